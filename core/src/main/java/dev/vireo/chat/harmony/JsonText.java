/*
 * The little JSON this package needs: parsing tool definitions (Jackson, keys kept in order, since the
 * order of properties is the order the model sees them), deep immutable copies of parsed values, and
 * writing values back as text in two spacings: compact (how harmony writes a schema default) and
 * Python's json.dumps spacing (how chat templates write tool arguments and results). Floats are
 * written as Python's repr writes them (1e-05, 1e+16, 0.5). Tested in JsonTextTest.
 */
package dev.vireo.chat.harmony;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON values as Map (insertion-ordered), List, String, Number, Boolean and null. */
final class JsonText {
    private JsonText() {}

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Parses JSON text.
     *
     * @param what names the text in the error message
     * @throws IllegalArgumentException when it is not valid JSON
     */
    static Object parse(String json, String what) {
        try {
            return copy(MAPPER.readValue(json, Object.class));
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
            throw new IllegalArgumentException(what + " is not valid JSON: " + msg, e);
        }
    }

    /** A deep, unmodifiable copy (maps keep their order and may hold null values). */
    static Object copy(Object v) {
        return switch (v) {
            case null -> null;
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!(e.getKey() instanceof String key)) {
                        throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                    }
                    out.put(key, copy(e.getValue()));
                }
                yield Collections.unmodifiableMap(out);
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object o : l) {
                    out.add(copy(o));
                }
                yield Collections.unmodifiableList(out);
            }
            case String s -> s;
            case Boolean b -> b;
            case Number n -> n;
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass().getSimpleName());
        };
    }

    /** JSON text with no spaces: {@code {"a":[1,2]}}. */
    static String compact(Object v) {
        StringBuilder out = new StringBuilder();
        write(out, v, ",", ":");
        return out.toString();
    }

    /** JSON text spaced as Python's json.dumps: {@code {"a": [1, 2]}}; non-ASCII kept as is. */
    static String pythonStyle(Object v) {
        StringBuilder out = new StringBuilder();
        write(out, v, ", ", ": ");
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, String itemSep, String keySep) {
        switch (v) {
            case null -> out.append("null");
            case String s -> string(out, s);
            case Boolean b -> out.append(b);
            case Double d -> out.append(floatText(d));
            case Float f -> out.append(floatText(f.doubleValue()));
            case BigDecimal d -> out.append(floatText(d.doubleValue()));
            case BigInteger i -> out.append(i);
            case Number n -> out.append(n.longValue());
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) {
                        out.append(itemSep);
                    }
                    first = false;
                    string(out, String.valueOf(e.getKey()));
                    out.append(keySep);
                    write(out, e.getValue(), itemSep, keySep);
                }
                out.append('}');
            }
            case List<?> l -> {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) {
                        out.append(itemSep);
                    }
                    write(out, l.get(i), itemSep, keySep);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass().getSimpleName());
        }
    }

    /** A JSON string literal; only what JSON requires is escaped (non-ASCII text stays as is). */
    static void string(StringBuilder out, String s) {
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
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A float as Python's repr writes it: the shortest digits that read back to the same double (Java's
     * Double.toString finds the same digits), positional for decimal exponents -4..15, otherwise
     * {@code d.ddde±XX}; NaN and infinities as Python's json writes them.
     */
    static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();   // decimal exponent of the first digit
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
