/*
 * TypeScriptSchema: JSON schemas of every shape the renderer handles, against TypeScript-like text
 * written by hand from the rules in the file's header (harmony's json_schema_to_typescript as
 * documented and read): nesting and its indentation, oneOf, type lists, nullable, arrays, enums,
 * titles, examples and defaults.
 */
package dev.vireo.chat.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeScriptSchemaTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema(String json) {
        return (Map<String, Object>) JsonText.parse(json, "schema");
    }

    private static String type(String json) {
        return TypeScriptSchema.type(schema(json), "");
    }

    @Test
    void scalars() {
        assertEquals("string", type("{\"type\": \"string\"}"));
        assertEquals("number", type("{\"type\": \"integer\"}"));
        assertEquals("number", type("{\"type\": \"number\"}"));
        assertEquals("boolean", type("{\"type\": \"boolean\"}"));
        assertEquals("any", type("{\"type\": \"null\"}"));
        assertEquals("any", type("{}"));
        assertEquals("any", type("{\"description\": \"no type\"}"));
    }

    @Test
    void enumsAndTypeLists() {
        assertEquals("\"red\" | \"green\" | \"blue\"", type("{\"type\": \"string\", \"enum\": [\"red\", \"green\", \"blue\"]}"));
        assertEquals("string", type("{\"type\": \"string\", \"enum\": [1, 2]}"), "only string literals are written");
        assertEquals("string", type("{\"type\": \"string\", \"enum\": []}"));
        assertEquals("number", type("{\"type\": \"integer\", \"enum\": [1, 2]}"), "numeric enums are not unions");
        assertEquals("string | number | null", type("{\"type\": [\"string\", \"integer\", \"null\"]}"));
        assertEquals("any", type("{\"type\": []}"));
    }

    @Test
    void arrays() {
        assertEquals("string[]", type("{\"type\": \"array\", \"items\": {\"type\": \"string\"}}"));
        assertEquals("number[][]", type("{\"type\": \"array\", \"items\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}}"));
        assertEquals("Array<any>", type("{\"type\": \"array\"}"));
        assertEquals("any[]", type("{\"type\": \"array\", \"items\": true}"));
        assertEquals("\"a\" | \"b\"[]", type("{\"type\": \"array\", \"items\": {\"type\": \"string\", \"enum\": [\"a\", \"b\"]}}"),
                "an enum's union is not parenthesised, as harmony writes it");
    }

    @Test
    void flatObjectWithDefaultsAndNullable() {
        String json = """
                {"type": "object", "properties": {
                  "q": {"type": "string", "description": "Search words"},
                  "limit": {"type": "integer", "default": 10},
                  "ratio": {"type": "number", "default": 0.5},
                  "exact": {"type": "boolean", "default": true},
                  "lang": {"type": "string", "enum": ["de", "en"], "default": "en"},
                  "sort": {"type": "string", "default": "say \\"relevance\\""},
                  "filters": {"type": "object", "default": {"a": [1, 2]}},
                  "after": {"type": "string", "nullable": true},
                  "tags": {"type": ["string", "null"], "nullable": true}
                }, "required": ["q"]}""";
        String expected = """
                {
                // Search words
                q: string,
                limit?: number, // default: 10
                ratio?: number, // default: 0.5
                exact?: boolean, // default: true
                lang?: "de" | "en", // default: en
                sort?: string, // default: "say "relevance""
                filters?: {
                    }, // default: {"a":[1,2]}
                after?: string | null,
                tags?: string | null,
                }""";
        assertEquals(expected, type(json));
    }

    @Test
    void nestedObjectsAreIndented() {
        String json = """
                {"type": "object", "description": "An order", "properties": {
                  "address": {"type": "object", "description": "Where to deliver", "properties": {
                      "street": {"type": "string"},
                      "zip": {"type": "string", "description": "Postal code"}
                    }, "required": ["street"]},
                  "items": {"type": "array", "items": {"type": "object", "properties": {
                      "sku": {"type": "string"}, "qty": {"type": "integer"}}, "required": ["sku", "qty"]}}
                }, "required": ["address", "items"]}""";
        String expected = """
                // An order
                {
                // Where to deliver
                address: {
                    street: string,
                    // Postal code
                    zip?: string,
                    },
                items: {
                    sku: string,
                    qty: number,
                    }[],
                }""";
        assertEquals(expected, TypeScriptSchema.parameters(schema(json)));
        // Below the top level an object's own description is not repeated.
        assertFalse(type(json).contains("An order"));
    }

    @Test
    void oneOfProperties() {
        String json = """
                {"type": "object", "properties": {
                  "when": {"description": "When to remind", "oneOf": [
                      {"type": "string", "description": "An ISO time"},
                      {"type": "integer", "description": "Minutes from now", "default": 15}]},
                  "target": {"description": "Who", "default": "me", "oneOf": [
                      {"type": "string", "description": "Who"},
                      {"type": "array", "items": {"type": "string"}, "nullable": true}]}
                }, "required": ["target"]}""";
        // The property's description goes above; the first variant then carries no description; a variant
        // whose description repeats the property's is not repeated; defaults join the variant's comment.
        String expected = """
                {
                // When to remind
                when?:
                 | string
                 | number // Minutes from now default: 15
                ,
                // default: "me"
                target:
                 | string
                 | string[] | null
                ,
                }""";
        assertEquals(expected, type(json));
    }

    @Test
    void topLevelOneOf() {
        String json = """
                {"oneOf": [{"type": "string", "description": "a name"}, {"type": "integer", "nullable": true},
                           {"type": "string", "enum": ["x"], "default": "x"}]}""";
        assertEquals("\n | string // a name\n | number | null\n | \"x\" // default: x", type(json));
    }

    @Test
    void titlesAndExamples() {
        String json = """
                {"type": "object", "properties": {
                  "city": {"type": "string", "title": "City", "description": "A city name",
                           "examples": ["Bern", "Genève", 3]}}}""";
        String expected = """
                {
                // City
                //
                // A city name
                // Examples:
                // - "Bern"
                // - "Genève"
                city?: string,
                }""";
        assertEquals(expected, type(json));
    }

    @Test
    void parameterlessFunctions() {
        assertTrue(TypeScriptSchema.hasNoParameters(null));
        assertTrue(TypeScriptSchema.hasNoParameters(schema("{\"type\": \"object\"}")));
        assertTrue(TypeScriptSchema.hasNoParameters(schema("{\"type\": \"object\", \"properties\": {}}")));
        assertFalse(TypeScriptSchema.hasNoParameters(schema("{\"type\": \"object\", \"properties\": {\"a\": {}}}")));
    }

    @Test
    void parameterObjectDescriptionPrecedesTheBrace() {
        ToolDefinition t = ToolDefinition.fromJson("""
                {"name": "lookup", "description": "Looks a word up.", "parameters": {"type": "object",
                 "description": "What to look up", "properties": {"word": {"type": "string"}}, "required": ["word"]}}""");
        assertEquals("# Tools\n\n## functions\n\nnamespace functions {\n\n// Looks a word up.\n"
                + "type lookup = (_: // What to look up\n{\nword: string,\n}) => any;\n\n} // namespace functions",
                HarmonyRenderer.toolsSection(java.util.List.of(new ToolNamespace("functions", null, java.util.List.of(t)))));
    }
}
