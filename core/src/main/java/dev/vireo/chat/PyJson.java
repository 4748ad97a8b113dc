/*
 * Python's json.dumps, as Hugging Face's `tojson` filter calls it: ensure_ascii=False by default, the
 * separators ", " and ": " (or "," and ": " once an indent is given), insertion-ordered keys, floats
 * written the way Python's repr writes them (1e-05, 1e+16, 0.5). Jinja's own tojson (HTML-escaped) and
 * jinjava's (Jackson's spacing) differ from it, and templates put its output into the prompt, so the
 * bytes matter. Tested by PyHelpersTest and, through the templates, by ChatTemplateGoldenTest.
 */
package dev.vireo.chat;

import com.hubspot.jinjava.objects.SafeString;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Python-compatible JSON text for template values (maps, lists, strings, numbers, booleans, null). */
final class PyJson {
    private PyJson() {}

    /**
     * json.dumps(value, ensure_ascii, indent, separators, sort_keys).
     *
     * @param indent       null for one line; a count of spaces or a string to repeat per level
     * @param itemSep      null for Python's default
     * @param keySep       null for Python's default
     */
    static String dumps(Object value, boolean ensureAscii, Object indent, String itemSep, String keySep,
                        boolean sortKeys) {
        String indentUnit = indentUnit(indent);
        String items = itemSep != null ? itemSep : (indentUnit == null ? ", " : ",");
        String keys = keySep != null ? keySep : ": ";
        StringBuilder out = new StringBuilder();
        new Writer(out, ensureAscii, indentUnit, items, keys, sortKeys).write(value, 0);
        return out.toString();
    }

    /** json.dumps(value) with Hugging Face's defaults. */
    static String dumps(Object value) {
        return dumps(value, false, null, null, null, false);
    }

    private static String indentUnit(Object indent) {
        if (indent == null) {
            return null;
        }
        if (indent instanceof Number n) {
            return " ".repeat(Math.max(0, n.intValue()));   // Python: a negative indent means none
        }
        return indent.toString();
    }

    private record Writer(StringBuilder out, boolean ensureAscii, String indent, String itemSep, String keySep,
                          boolean sortKeys) {
        void write(Object v, int depth) {
            switch (v) {
                case null -> out.append("null");
                case PyNone n -> out.append("null");
                case Boolean b -> out.append(b ? "true" : "false");
                case String s -> string(s);
                case SafeString s -> string(s.toString());
                case Character c -> string(c.toString());
                case Double d -> out.append(floatRepr(d));
                case Float f -> out.append(floatRepr(f.doubleValue()));
                case BigDecimal d -> out.append(floatRepr(d.doubleValue()));
                case Number n -> out.append(n instanceof BigInteger ? n.toString() : Long.toString(n.longValue()));
                case Map<?, ?> m -> map(m, depth);
                case Collection<?> c -> list(c, depth);
                case Object[] a -> list(java.util.Arrays.asList(a), depth);
                default -> throw new IllegalArgumentException(
                        "Object of type " + v.getClass().getSimpleName() + " is not JSON serializable");
            }
        }

        private void map(Map<?, ?> m, int depth) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
            if (sortKeys) {
                entries.sort((a, b) -> keyText(a.getKey()).compareTo(keyText(b.getKey())));
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : entries) {
                separator(first, depth + 1);
                first = false;
                string(keyText(e.getKey()));
                out.append(keySep);
                write(e.getValue(), depth + 1);
            }
            close(depth);
            out.append('}');
        }

        private void list(Collection<?> c, int depth) {
            if (c.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object item : c) {
                separator(first, depth + 1);
                first = false;
                write(item, depth + 1);
            }
            close(depth);
            out.append(']');
        }

        private void separator(boolean first, int depth) {
            if (!first) {
                out.append(itemSep);
            }
            if (indent != null) {
                out.append('\n').append(indent.repeat(depth));
            }
        }

        private void close(int depth) {
            if (indent != null) {
                out.append('\n').append(indent.repeat(depth));
            }
        }

        /** Python turns non-string keys into their JSON spelling (True -> "true", None -> "null"). */
        private static String keyText(Object key) {
            return switch (key) {
                case null -> "null";
                case Boolean b -> b ? "true" : "false";
                case Double d -> floatRepr(d);
                default -> key.toString();
            };
        }

        private void string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                            out.append(String.format("\\u%04x", (int) c));   // UTF-16 units, as Python
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }

    /**
     * Python's repr of a float: the shortest digits that round-trip (Java's Double.toString finds the
     * same digits since JDK 19), written in fixed notation when the decimal exponent is in [-4, 16) and
     * as d.ddde±XX otherwise.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - 1 - exact.scale();   // d.ddd × 10^exponent
        StringBuilder sb = new StringBuilder(d < 0 ? "-" : "");
        if (exponent >= -4 && exponent < 16) {
            if (exponent < 0) {
                sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
            } else if (digits.length() <= exponent + 1) {
                sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            sb.append(abs < 10 ? "0" : "").append(abs);
        }
        return sb.toString();
    }
}
