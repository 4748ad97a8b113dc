/*
 * The ways template-based families write tool calls in plain text, and their parsers:
 *   HERMES   Qwen 2.5 / Qwen3 / Hermes: <tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>, repeated
 *   LLAMA    Llama 3.1+: the whole answer is a JSON object {"name": ..., "parameters": {...}} (after a
 *            <|python_tag|>, which decodes to nothing), several separated by ';'
 *   MISTRAL  Mistral: [TOOL_CALLS] (a control token) then a JSON array of {"name", "arguments"}
 * The syntax is recognised from the template source. Arguments are returned as JSON text, as OpenAI's
 * API carries them. Tested on fixed strings by ToolCallSyntaxTest.
 */
package dev.vireo.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.chat.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A family's tool-call convention. */
public enum ToolCallSyntax {
    HERMES, LLAMA, MISTRAL, NONE;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opening and closing tags of a Hermes tool call. */
    public static final String HERMES_OPEN = "<tool_call>";
    public static final String HERMES_CLOSE = "</tool_call>";

    /** The convention a chat template writes tool calls in, judged from its source. */
    public static ToolCallSyntax ofTemplate(String source) {
        if (source.contains(HERMES_OPEN)) {
            return HERMES;
        }
        if (source.contains("<|python_tag|>") || source.contains("\"parameters\"") && source.contains("<|eot_id|>")) {
            return LLAMA;
        }
        if (source.contains("[TOOL_CALLS]")) {
            return MISTRAL;
        }
        return NONE;
    }

    /**
     * Whether an answer that starts like {@code text} (whitespace stripped) may be a tool call that
     * must be held back until it is complete. For HERMES calls appear inside the text instead.
     */
    public boolean startsCall(String text) {
        String t = text.stripLeading();
        return switch (this) {
            case LLAMA -> t.startsWith("{");
            case MISTRAL -> t.startsWith("[");
            case HERMES, NONE -> false;
        };
    }

    /**
     * The calls in a whole answer written in this syntax (for HERMES: one tag's body), or empty when
     * the text is not a well-formed call.
     */
    public Optional<List<ToolCall>> parse(String text, int firstIndex) {
        String t = text.strip();
        try {
            return switch (this) {
                case HERMES -> one(JSON.readTree(t), "arguments", firstIndex).map(List::of);
                case LLAMA -> {
                    List<ToolCall> calls = new ArrayList<>();
                    for (String part : t.split(";\\s*(?=\\{)")) {
                        Optional<ToolCall> c = one(JSON.readTree(part), "parameters", firstIndex + calls.size());
                        if (c.isEmpty()) {
                            yield Optional.empty();
                        }
                        calls.add(c.get());
                    }
                    yield Optional.of(calls);
                }
                case MISTRAL -> {
                    JsonNode array = JSON.readTree(t);
                    if (!array.isArray() || array.isEmpty()) {
                        yield Optional.empty();
                    }
                    List<ToolCall> calls = new ArrayList<>();
                    for (JsonNode n : array) {
                        Optional<ToolCall> c = one(n, "arguments", firstIndex + calls.size());
                        if (c.isEmpty()) {
                            yield Optional.empty();
                        }
                        calls.add(c.get());
                    }
                    yield Optional.of(calls);
                }
                case NONE -> Optional.empty();
            };
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {"name": string, args: object} (Llama also accepts "arguments") as a call with JSON-text arguments. */
    private static Optional<ToolCall> one(JsonNode n, String argsField, int index) throws java.io.IOException {
        if (n == null || !n.isObject() || !n.path("name").isTextual()) {
            return Optional.empty();
        }
        JsonNode args = n.has(argsField) ? n.get(argsField) : n.get("arguments");
        if (args == null) {
            args = JSON.createObjectNode();
        }
        if (args.isTextual()) {
            args = JSON.readTree(args.asText());   // some models write the arguments as a JSON string
        }
        if (!args.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new ToolCall(callId(index), n.get("name").asText(), JSON.writeValueAsString(args)));
    }

    /** A call id unique within the answer, random across answers as OpenAI's are. */
    static String callId(int index) {
        return "call_" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 8) + index;
    }
}
