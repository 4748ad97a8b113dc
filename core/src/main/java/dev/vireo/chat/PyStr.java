/*
 * The Python str methods that chat templates call (content.strip(), .split('</think>'), .startswith(...),
 * .rstrip('\n'), .title(), ...), with Python's semantics: whitespace is what str.isspace() accepts (it
 * includes U+00A0 and U+3000, unlike Character.isWhitespace), split() without a separator splits on runs
 * of whitespace and drops empty pieces, a chars argument is a set of code points. jinjava exposes only
 * the Java methods of java.lang.String, so PyMethodResolver routes calls here. Tested by PyHelpersTest.
 */
package dev.vireo.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Python string methods over java.lang.String. */
final class PyStr {
    private PyStr() {}

    /** Python's str.isspace() for one code point (Unicode categories Zs, or bidi classes WS, B, S). */
    static boolean isSpace(int cp) {
        return switch (cp) {
            case '\t', '\n', 0x0b, 0x0c, '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0, 0x1680,
                 0x2028, 0x2029, 0x202f, 0x205f, 0x3000 -> true;
            default -> cp >= 0x2000 && cp <= 0x200a;
        };
    }

    /** Python's str.strip/lstrip/rstrip: chars null strips whitespace, otherwise any code point in chars. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        if (left) {
            while (start < end) {
                int cp = s.codePointAt(start);
                if (!stripped(cp, chars)) {
                    break;
                }
                start += Character.charCount(cp);
            }
        }
        if (right) {
            while (end > start) {
                int cp = s.codePointBefore(end);
                if (!stripped(cp, chars)) {
                    break;
                }
                end -= Character.charCount(cp);
            }
        }
        return s.substring(start, end);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(Character.toString(cp)) >= 0;
    }

    /** Python's str.split(sep, maxsplit); sep null splits on whitespace runs. */
    static List<Object> split(String s, String sep, int maxSplit) {
        List<Object> parts = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
                if (i >= n) {
                    break;
                }
                if (maxSplit >= 0 && parts.size() == maxSplit) {
                    parts.add(strip(s.substring(i), null, false, true));
                    break;
                }
                int j = i;
                while (j < n && !isSpace(s.codePointAt(j))) {
                    j += Character.charCount(s.codePointAt(j));
                }
                parts.add(s.substring(i, j));
                i = j;
            }
            return parts;
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        int from = 0;
        while (maxSplit < 0 || parts.size() < maxSplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Python's str.rsplit(sep, maxsplit) for an explicit separator (whitespace form: see split). */
    static List<Object> rsplit(String s, String sep, int maxSplit) {
        if (sep == null || maxSplit < 0) {
            return split(s, sep, maxSplit);
        }
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        List<Object> parts = new ArrayList<>();
        int end = s.length();
        while (parts.size() < maxSplit) {
            int at = s.lastIndexOf(sep, end - sep.length());
            if (at < 0) {
                break;
            }
            parts.addFirst(s.substring(at + sep.length(), end));
            end = at;
        }
        parts.addFirst(s.substring(0, end));
        return parts;
    }

    /** Python's str.splitlines() (without keepends): \n, \r, \r\n and the other Unicode line breaks. */
    static List<Object> splitLines(String s) {
        List<Object> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            boolean br = c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d
                    || c == 0x1e || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (br) {
                lines.add(s.substring(start, i));
                i += (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') ? 2 : 1;
                start = i;
            } else {
                i++;
            }
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    /** Python's startswith/endswith: the prefix may be a string or a tuple (list) of strings. */
    static boolean startsWith(String s, Object prefixes, boolean end) {
        if (prefixes instanceof Collection<?> many) {
            for (Object p : many) {
                if (startsWith(s, p, end)) {
                    return true;
                }
            }
            return false;
        }
        String p = String.valueOf(prefixes);
        return end ? s.endsWith(p) : s.startsWith(p);
    }

    /** Python's str.title(): a cased letter after an uncased character starts a word. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean cased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
            if (cased) {
                sb.appendCodePoint(previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
            } else {
                sb.appendCodePoint(cp);
            }
            previousCased = cased;
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** Python's str.capitalize(): first character title-cased, the rest lower-cased. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        int n = Character.charCount(first);
        return new StringBuilder().appendCodePoint(Character.toTitleCase(first))
                .append(s.substring(n).toLowerCase(Locale.ROOT)).toString();
    }

    /** Python's str.replace(old, new, count); count < 0 replaces all. */
    static String replace(String s, String old, String replacement, int count) {
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int done = 0; done < count; done++) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            sb.append(s, from, at).append(replacement);
            from = at + old.length();
            if (old.isEmpty()) {   // Python inserts between every character
                if (from >= s.length()) {
                    from = s.length();
                    break;
                }
                sb.append(s.charAt(from));
                from++;
            }
        }
        return sb.append(s.substring(from)).toString();
    }

    /** Python's str.count(sub) (non-overlapping occurrences). */
    static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.codePointCount(0, s.length()) + 1;
        }
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    /** Python's sep.join(items); items must be strings, as in Python. */
    static String join(String sep, Collection<?> items) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Object item : items) {
            if (!(item instanceof CharSequence) && !(item instanceof com.hubspot.jinjava.objects.SafeString)) {
                throw new IllegalArgumentException("sequence item: expected str instance, "
                        + (item == null ? "NoneType" : item.getClass().getSimpleName()) + " found");
            }
            if (!first) {
                sb.append(sep);
            }
            sb.append(item);
            first = false;
        }
        return sb.toString();
    }

    /**
     * Python's str.format for positional fields: {}, {0}, and {{ }} escapes; each value is written as
     * str() writes it. Format specs and named fields are refused rather than guessed.
     */
    static String format(String template, Object[] args) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("Single '{' encountered in format string");
                }
                String field = template.substring(i + 1, close);
                int index;
                if (field.isEmpty()) {
                    index = auto++;
                } else if (field.chars().allMatch(Character::isDigit)) {
                    index = Integer.parseInt(field);
                } else {
                    throw new IllegalArgumentException("format field {" + field + "} is not supported (positional only)");
                }
                if (index >= args.length) {
                    throw new IllegalArgumentException("Replacement index " + index + " out of range for positional args tuple");
                }
                sb.append(PyRepr.str(args[index]));
                i = close;
            } else if (c == '}') {
                throw new IllegalArgumentException("Single '}' encountered in format string");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Python's str.isdigit/isalpha/isalnum/isupper/islower for the common cases. */
    static boolean allMatch(String s, java.util.function.IntPredicate p) {
        return !s.isEmpty() && s.codePoints().allMatch(p);
    }
}
