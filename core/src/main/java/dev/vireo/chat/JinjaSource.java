/*
 * The template text as jinja2's lexer sees it, for the three lexer rules jinjava implements differently:
 *
 *   - line breaks: jinja2 turns \r\n and \r into \n in the whole source;
 *   - keep_trailing_newline=False: jinja2 drops one line break at the end of the source (jinjava's
 *     switch of that name trims the rendered output instead, which differs whenever the output's last
 *     newline comes from an expression);
 *   - lstrip_blocks: jinja2 removes the spaces and tabs before a block tag or comment only when they
 *     start the line; jinjava strips them before every tag, so `a {% if x %}b` lost its space.
 *
 * This is a small scanner over data, {{ }}, {% %}, {# #} and {% raw %} (strings inside tags are
 * skipped, so a "{%" inside a string literal is left alone). It only deletes characters within a line
 * (line numbers in errors stay right). jinjava's own lstripBlocks is switched off. Tested by
 * PyHelpersTest and ChatTemplateGoldenTest.
 */
package dev.vireo.chat;

/** Applies jinja2's source normalisation and lstrip_blocks rule. */
final class JinjaSource {
    private JinjaSource() {}

    static String prepare(String source) {
        String s = source.indexOf('\r') >= 0 ? source.replace("\r\n", "\n").replace('\r', '\n') : source;
        if (s.endsWith("\n")) {
            s = s.substring(0, s.length() - 1);
        }
        return lstripBlocks(s);
    }

    static String lstripBlocks(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            if (s.startsWith("{#", i) || s.startsWith("{%", i)) {
                boolean comment = s.charAt(i + 1) == '#';
                char modifier = i + 2 < n ? s.charAt(i + 2) : 0;
                if (modifier == '+') {
                    out.append(s, i, i + 2);   // `{%+` keeps the indentation; jinjava does not know '+'
                    i += 3;
                } else {
                    if (modifier != '-') {
                        stripIndentation(out);
                    }
                    out.append(s, i, i + 2);
                    i += 2;
                }
                int end = comment ? endOfComment(s, i) : endOfTag(s, i, "%}");
                if (!comment && isRaw(s, i, end)) {
                    int close = endOfRaw(s, end);
                    out.append(s, i, close);
                    i = close;
                } else {
                    out.append(s, i, end);
                    i = end;
                }
            } else if (s.startsWith("{{", i)) {
                int end = endOfTag(s, i + 2, "}}");
                out.append(s, i, end);
                i = end;
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    /** Removes the spaces and tabs that begin the current line of out, if nothing else is on it. */
    private static void stripIndentation(StringBuilder out) {
        int j = out.length();
        while (j > 0 && (out.charAt(j - 1) == ' ' || out.charAt(j - 1) == '\t')) {
            j--;
        }
        if (j == 0 || out.charAt(j - 1) == '\n') {
            out.setLength(j);
        }
    }

    /** The index just past the closing delimiter, skipping string literals; the end of s if unclosed. */
    private static int endOfTag(String s, int from, String close) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = endOfString(s, i);
            } else if (s.startsWith(close, i)) {
                return i + close.length();
            }
        }
        return s.length();
    }

    private static int endOfString(String s, int open) {
        char quote = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return s.length() - 1;
    }

    private static int endOfComment(String s, int from) {
        int close = s.indexOf("#}", from);
        return close < 0 ? s.length() : close + 2;
    }

    /** Whether the tag body s[from, end) is `raw` (with optional whitespace control). */
    private static boolean isRaw(String s, int from, int end) {
        String body = s.substring(from, Math.max(from, end - 2)).strip();
        if (body.startsWith("-")) {
            body = body.substring(1).strip();
        }
        if (body.endsWith("-")) {
            body = body.substring(0, body.length() - 1).strip();
        }
        return body.equals("raw");
    }

    /** The index just past the `{% endraw %}` that closes a raw block starting at from. */
    private static int endOfRaw(String s, int from) {
        int i = from;
        while (true) {
            int open = s.indexOf("{%", i);
            if (open < 0) {
                return s.length();
            }
            int end = endOfTag(s, open + 2, "%}");
            String body = s.substring(open + 2, Math.max(open + 2, end - 2)).replace("-", " ").strip();
            if (body.equals("endraw")) {
                return end;
            }
            i = end;
        }
    }
}
