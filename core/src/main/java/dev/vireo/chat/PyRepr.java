/*
 * Python's str() and repr() of template values, for what a template prints: `{{ flag }}` writes True,
 * `{{ tool }}` or `tool|string` writes {'name': 'x', 'required': True}, None writes None. jinjava's own
 * printing writes true, {name=x} or a JSON-like form. Used by the output hook and the string filter in
 * HfJinja. Tested by PyHelpersTest and ChatTemplateTest.
 */
package dev.vireo.chat;

import com.hubspot.jinjava.objects.Namespace;
import com.hubspot.jinjava.objects.SafeString;

import java.util.Collection;
import java.util.Map;

/** str() and repr() as Python writes them. */
final class PyRepr {
    private PyRepr() {}

    /** str(v); null (undefined) is empty, as jinja2's Undefined prints. */
    static String str(Object v) {
        return switch (v) {
            case null -> "";
            case String s -> s;
            case SafeString s -> s.toString();
            default -> repr(v);
        };
    }

    static String repr(Object v) {
        StringBuilder sb = new StringBuilder();
        repr(v, sb);
        return sb.toString();
    }

    private static void repr(Object v, StringBuilder sb) {
        switch (v) {
            case null -> sb.append("None");
            case PyNone n -> sb.append("None");
            case Boolean b -> sb.append(b ? "True" : "False");
            case String s -> quote(s, sb);
            case SafeString s -> quote(s.toString(), sb);
            case Character c -> quote(c.toString(), sb);
            case Double d -> sb.append(floatText(d));
            case Float f -> sb.append(floatText(f.doubleValue()));
            case Number n -> sb.append(n);
            case Namespace ns -> {
                sb.append("<Namespace ");
                mapping(ns, sb);
                sb.append('>');
            }
            case Map<?, ?> m -> mapping(m, sb);
            case Map.Entry<?, ?> e -> {
                sb.append('(');
                repr(e.getKey(), sb);
                sb.append(", ");
                repr(e.getValue(), sb);
                sb.append(')');
            }
            case Collection<?> c -> {
                sb.append('[');
                boolean first = true;
                for (Object item : c) {
                    sb.append(first ? "" : ", ");
                    repr(item, sb);
                    first = false;
                }
                sb.append(']');
            }
            default -> sb.append(v);
        }
    }

    private static void mapping(Map<?, ?> m, StringBuilder sb) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            sb.append(first ? "" : ", ");
            repr(e.getKey(), sb);
            sb.append(": ");
            repr(e.getValue(), sb);
            first = false;
        }
        sb.append('}');
    }

    /** Python's float repr; its inf and nan differ from JSON's Infinity and NaN. */
    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return PyJson.floatRepr(d);
    }

    /** Python's string repr: single quotes unless the text has ' and no ", escapes for unprintables. */
    private static void quote(String s, StringBuilder sb) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        sb.append(q);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == q || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
            } else if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (printable(cp)) {
                sb.appendCodePoint(cp);
            } else if (cp < 0x100) {
                sb.append(String.format("\\x%02x", cp));
            } else if (cp < 0x10000) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.append(String.format("\\U%08x", cp));
            }
        }
        sb.append(q);
    }

    /** Python's str.isprintable for one code point: not a control, format, separator or unassigned one (space is). */
    private static boolean printable(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
