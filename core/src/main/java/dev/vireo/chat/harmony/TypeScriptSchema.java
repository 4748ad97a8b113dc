/*
 * JSON schema to the TypeScript-like types harmony writes in its "# Tools" sections (model-spec.md
 * §4.3; the rules of OpenAI's harmony renderer, json_schema_to_typescript in its encoding.rs, as read
 * from its source and documentation): integer and number are `number`; a string enum is a union of
 * quoted literals; an array is `T[]` (`Array<any>` without items); a list of types is a union;
 * `nullable` adds `| null`; an object is `{` one property per line `}` with `?` on the optional ones,
 * its description, title and examples as `//` lines above, its default as a trailing comment; a
 * `oneOf` is a list of `| variant` lines. Nested objects are indented by four spaces, oneOf variants by
 * three. One deliberate difference: a nested object's description is written once, above its
 * property, not again before its brace. Tested in TypeScriptSchemaTest.
 */
package dev.vireo.chat.harmony;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

final class TypeScriptSchema {
    private TypeScriptSchema() {}

    /**
     * The type of a function's parameter object, as written after {@code (_: }: an object schema's own
     * description goes on a comment line before its brace.
     */
    static String parameters(Map<?, ?> schema) {
        if (!schema.containsKey("oneOf") && "object".equals(schema.get("type"))) {
            return object(schema, "", true);
        }
        return type(schema, "");
    }

    /** The TypeScript-like type of {@code schema}; nested lines are indented with {@code indent}. */
    static String type(Map<?, ?> schema, String indent) {
        if (schema.get("oneOf") instanceof List<?> variants) {
            StringBuilder out = new StringBuilder();
            for (Object v : variants) {
                Map<?, ?> variant = asMap(v);
                out.append('\n').append(indent).append(" | ").append(nullable(type(variant, indent + "   "), variant));
                List<String> comments = new ArrayList<>();
                if (variant.get("description") instanceof String d) {
                    comments.add(d);
                }
                if (variant.containsKey("default")) {
                    comments.add("default: " + defaultText(variant));
                }
                if (!comments.isEmpty()) {
                    out.append(" // ").append(String.join(" ", comments));
                }
            }
            return out.toString();
        }
        Object type = schema.get("type");
        if (type instanceof List<?> types) {
            List<String> names = new ArrayList<>();
            for (Object t : types) {
                if (t instanceof String s) {
                    names.add(s.equals("integer") ? "number" : s);
                }
            }
            if (!names.isEmpty()) {
                return String.join(" | ", names);
            }
        }
        if (!(type instanceof String t)) {
            return "any";
        }
        return switch (t) {
            case "object" -> object(schema, indent, false);
            case "string" -> enumUnion(schema);
            case "number", "integer" -> "number";
            case "boolean" -> "boolean";
            case "array" -> {
                if (!schema.containsKey("items")) {
                    yield "Array<any>";
                }
                yield type(asMap(schema.get("items")), indent) + "[]";
            }
            default -> "any";
        };
    }

    /** Whether a function with these parameters takes none: no schema, or an object without properties. */
    static boolean hasNoParameters(Map<?, ?> parameters) {
        return parameters == null || !(parameters.get("properties") instanceof Map<?, ?> p) || p.isEmpty();
    }

    /**
     * An object type. Only the parameter object writes its own description (a property's description
     * is already written above the property; harmony's renderer would write a nested object's twice).
     */
    private static String object(Map<?, ?> schema, String indent, boolean describe) {
        StringBuilder out = new StringBuilder();
        if (describe && schema.get("description") instanceof String d) {
            out.append(indent).append("// ").append(d).append('\n');
        }
        out.append("{\n");
        Set<String> required = new HashSet<>();
        if (schema.get("required") instanceof List<?> names) {
            for (Object n : names) {
                if (n instanceof String s) {
                    required.add(s);
                }
            }
        }
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            for (Map.Entry<?, ?> e : properties.entrySet()) {
                String key = String.valueOf(e.getKey());
                String optional = required.contains(key) ? "" : "?";
                Map<?, ?> value = asMap(e.getValue());
                if (value.get("title") instanceof String title) {
                    out.append(indent).append("// ").append(title).append('\n').append(indent).append("//\n");
                }
                boolean hasOneOf = value.containsKey("oneOf");
                if (!hasOneOf && value.get("description") instanceof String d) {
                    out.append(indent).append("// ").append(d).append('\n');
                }
                if (value.get("examples") instanceof List<?> examples && !examples.isEmpty()) {
                    out.append(indent).append("// Examples:\n");
                    for (Object ex : examples) {
                        if (ex instanceof String s) {
                            out.append(indent).append("// - \"").append(s).append("\"\n");
                        }
                    }
                }
                if (value.get("oneOf") instanceof List<?> variants) {
                    oneOfProperty(out, key + optional, value, variants, indent);
                    continue;
                }
                out.append(indent).append(key).append(optional).append(": ")
                        .append(nullable(type(value, indent + "    "), value)).append(',');
                if (!hasOneOf && value.containsKey("default")) {
                    out.append(" // default: ").append(defaultText(value));
                }
                out.append('\n');
            }
        }
        return out.append(indent).append('}').toString();
    }

    /**
     * A property whose schema is a oneOf: its description and default as comments above, the name, then
     * one {@code | variant} line each, each with its own description and default; the property's
     * description is not repeated on a variant that has the same one.
     */
    private static void oneOfProperty(StringBuilder out, String name, Map<?, ?> value, List<?> variants, String indent) {
        String propertyDescription = value.get("description") instanceof String d ? d : null;
        boolean sameAsFirst = propertyDescription != null && !variants.isEmpty()
                && propertyDescription.equals(asMap(variants.getFirst()).get("description"));
        boolean describedAbove = propertyDescription != null && !sameAsFirst;
        if (describedAbove) {
            out.append(indent).append("// ").append(propertyDescription).append('\n');
        }
        if (value.containsKey("default")) {
            out.append(indent).append("// default: ").append(defaultText(value)).append('\n');
        }
        out.append(indent).append(name).append(":\n");
        for (int i = 0; i < variants.size(); i++) {
            Map<?, ?> variant = asMap(variants.get(i));
            out.append(indent).append(" | ").append(nullable(type(variant, indent + "   "), variant));
            List<String> comments = new ArrayList<>();
            if (!(i == 0 && describedAbove) && variant.get("description") instanceof String d
                    && !d.equals(propertyDescription)) {
                comments.add(d);
            }
            if (variant.containsKey("default")) {
                comments.add("default: " + defaultText(variant));
            }
            if (!comments.isEmpty()) {
                out.append(" // ").append(String.join(" ", comments));
            }
            out.append('\n');
        }
        out.append(indent).append(",\n");
    }

    private static String enumUnion(Map<?, ?> schema) {
        if (schema.get("enum") instanceof List<?> values) {
            List<String> literals = new ArrayList<>();
            for (Object v : values) {
                if (v instanceof String s) {
                    literals.add('"' + s + '"');
                }
            }
            if (!literals.isEmpty()) {
                return String.join(" | ", literals);
            }
        }
        return "string";
    }

    private static String nullable(String type, Map<?, ?> schema) {
        return Boolean.TRUE.equals(schema.get("nullable")) && !type.contains("null") ? type + " | null" : type;
    }

    /**
     * A default value as a comment shows it: a string in quotes, except the default of an enum (which
     * reads as one of the literals above it), anything else as compact JSON.
     */
    private static String defaultText(Map<?, ?> schema) {
        Object value = schema.get("default");
        if (value instanceof String s) {
            boolean isEnum = schema.get("enum") instanceof List<?> l && !l.isEmpty();
            return isEnum ? s : '"' + s + '"';
        }
        return JsonText.compact(value);
    }

    private static Map<?, ?> asMap(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }
}
