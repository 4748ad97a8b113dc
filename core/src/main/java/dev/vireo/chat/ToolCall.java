/*
 * A function call made by an assistant turn, in the OpenAI shape that chat templates expect:
 * {"id": ..., "type": "function", "function": {"name": ..., "arguments": ...}}. Tested through
 * ChatTemplateGoldenTest.
 */
package dev.vireo.chat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tool call.
 *
 * @param id        the call id (templates such as Mistral's check it), or null
 * @param name      the function name
 * @param arguments the arguments: a Map (most templates run it through tojson) or a String holding
 *                  JSON text (which templates insert as is)
 */
public record ToolCall(String id, String name, Object arguments) {

    public ToolCall {
        Objects.requireNonNull(name, "name");
    }

    /** The dict the template sees. */
    Map<String, Object> toTemplateValue() {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", name);
        function.put("arguments", TemplateValues.copy(arguments));
        Map<String, Object> m = new LinkedHashMap<>();
        if (id != null) {
            m.put("id", id);
        }
        m.put("type", "function");
        m.put("function", function);
        return m;
    }
}
