/*
 * A function tool as the developer defines it: name, description and a JSON schema of its parameters,
 * the same triple the OpenAI API takes ({"type": "function", "function": {...}}). HarmonyRenderer
 * writes it into the developer message as a TypeScript-like type (TypeScriptSchema). Tested in
 * HarmonyRendererTest and TypeScriptSchemaTest.
 */
package dev.vireo.chat.harmony;

import java.util.Map;
import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name        the function name (the model calls it as {@code functions.NAME})
 * @param description what it does; each line becomes a {@code //} comment (may be empty)
 * @param parameters  the JSON schema of its argument object (maps keep property order), or null for a
 *                    function without parameters
 */
public record ToolDefinition(String name, String description, Map<String, Object> parameters) {

    @SuppressWarnings("unchecked")
    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a tool name must be a non-empty word, got '" + name + "'");
        }
        description = description == null ? "" : description;
        parameters = parameters == null ? null : (Map<String, Object>) JsonText.copy(parameters);
    }

    /**
     * A tool from its JSON definition, either the OpenAI shape {@code {"type": "function", "function":
     * {"name", "description", "parameters"}}} or the inner object alone.
     *
     * @throws IllegalArgumentException when the text is not JSON or has no name
     */
    public static ToolDefinition fromJson(String json) {
        if (!(JsonText.parse(json, "tool definition") instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("a tool definition must be a JSON object: " + json);
        }
        return fromMap(m);
    }

    /** A tool from its parsed definition (see {@link #fromJson(String)}). */
    @SuppressWarnings("unchecked")
    public static ToolDefinition fromMap(Map<?, ?> m) {
        Map<?, ?> f = m.get("function") instanceof Map<?, ?> inner ? inner : m;
        if (!(f.get("name") instanceof String name)) {
            throw new IllegalArgumentException("a tool definition needs a string \"name\": " + m);
        }
        Object description = f.get("description");
        if (description != null && !(description instanceof String)) {
            throw new IllegalArgumentException("tool " + name + ": \"description\" must be a string");
        }
        Object parameters = f.get("parameters");
        if (parameters != null && !(parameters instanceof Map)) {
            throw new IllegalArgumentException("tool " + name + ": \"parameters\" must be a JSON schema object");
        }
        return new ToolDefinition(name, (String) description, (Map<String, Object>) parameters);
    }
}
