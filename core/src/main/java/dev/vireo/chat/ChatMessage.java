/*
 * One message of a conversation, as chat templates see it: the OpenAI / Hugging Face message dict
 * (role, content, tool_calls, tool_call_id, name, reasoning_content) plus any other fields a template
 * reads (gpt-oss's "thinking", content given as a list of parts, ...). Tested through
 * ChatTemplateTest and ChatTemplateGoldenTest.
 */
package dev.vireo.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chat message.
 *
 * <p>In the template a message is a dict that always has {@code role} and {@code content} (content may
 * be None, as in an assistant message that only calls tools); {@code name}, {@code tool_calls},
 * {@code tool_call_id} and {@code reasoning_content} appear only when set, followed by the
 * {@code extra} fields in their order. An extra field may replace {@code content}, e.g. with a list of
 * content parts for templates that accept them.
 *
 * @param role             "system", "user", "assistant", "tool", or whatever the template knows ("developer", "ipython")
 * @param content          the text, or null
 * @param name             optional participant or tool name
 * @param toolCallId       for role "tool": the id of the call this message answers
 * @param toolCalls        for role "assistant": the calls it made (empty when none)
 * @param reasoningContent the reasoning ("thinking") text of an assistant turn, read by Qwen3-style templates
 * @param extra            further fields, with values made of String, Number, Boolean, null, List and Map
 */
public record ChatMessage(String role, String content, String name, String toolCallId, List<ToolCall> toolCalls,
                          String reasoningContent, Map<String, Object> extra) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        extra = extra == null || extra.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(extra));   // keeps order, allows null values
    }

    /** A message with only a role and content. */
    public ChatMessage(String role, String content) {
        this(role, content, null, null, List.of(), null, Map.of());
    }

    public static ChatMessage system(String content) {
        return new ChatMessage("system", content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage("assistant", content);
    }

    /** An assistant turn that calls tools; content may be null or the text said alongside the calls. */
    public static ChatMessage assistantToolCalls(String content, List<ToolCall> calls) {
        return new ChatMessage("assistant", content, null, null, calls, null, Map.of());
    }

    /** The result of the tool call with the given id. */
    public static ChatMessage tool(String toolCallId, String content) {
        return new ChatMessage("tool", content, null, toolCallId, List.of(), null, Map.of());
    }

    /** This message with its reasoning text set. */
    public ChatMessage withReasoningContent(String reasoning) {
        return new ChatMessage(role, content, name, toolCallId, toolCalls, reasoning, extra);
    }

    /** This message with its participant or tool name set. */
    public ChatMessage withName(String newName) {
        return new ChatMessage(role, content, newName, toolCallId, toolCalls, reasoningContent, extra);
    }

    /** This message with one more field for the template (replacing a field of the same name). */
    public ChatMessage with(String field, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extra);
        more.put(Objects.requireNonNull(field, "field"), value);
        return new ChatMessage(role, content, name, toolCallId, toolCalls, reasoningContent, more);
    }

    /**
     * A message from its dict form (an OpenAI / Hugging Face message, e.g. parsed from JSON): the known
     * fields go to their components, tool calls in the {@code {"id", "type", "function": {"name",
     * "arguments"}}} shape become {@link ToolCall}s, and every other field (or a content that is not a
     * string, such as a list of parts) is kept in {@link #extra()}.
     *
     * @throws IllegalArgumentException when role is missing or a field has the wrong type
     */
    public static ChatMessage fromMap(Map<String, ?> m) {
        Map<String, Object> extra = new LinkedHashMap<>();
        String content = null;
        List<ToolCall> calls = new ArrayList<>();
        for (Map.Entry<String, ?> e : m.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "role", "name", "tool_call_id", "reasoning_content" -> text(e.getKey(), v);
                case "content" -> {
                    if (v == null || v instanceof String) {
                        content = (String) v;
                    } else {
                        extra.put("content", v);
                    }
                }
                case "tool_calls" -> {
                    if (!(v instanceof List<?> list)) {
                        throw new IllegalArgumentException("tool_calls must be a list, got " + v);
                    }
                    for (Object call : list) {
                        calls.add(toolCall(call));
                    }
                }
                default -> extra.put(e.getKey(), v);
            }
        }
        String role = text("role", m.get("role"));
        if (role == null) {
            throw new IllegalArgumentException("message without a role: " + m);
        }
        return new ChatMessage(role, content, text("name", m.get("name")), text("tool_call_id", m.get("tool_call_id")),
                calls, text("reasoning_content", m.get("reasoning_content")), extra);
    }

    private static String text(String field, Object v) {
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException(field + " must be a string, got " + v);
        }
        return (String) v;
    }

    private static ToolCall toolCall(Object call) {
        if (call instanceof Map<?, ?> c && c.get("function") instanceof Map<?, ?> f && f.get("name") instanceof String n) {
            return new ToolCall(text("id", c.get("id")), n, f.get("arguments"));
        }
        throw new IllegalArgumentException("a tool call needs {\"function\": {\"name\": ..., \"arguments\": ...}}, got " + call);
    }

    /** The dict the template sees (a fresh, mutable copy). */
    Map<String, Object> toTemplateValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", TemplateValues.copy(content));   // None when null
        if (name != null) {
            m.put("name", name);
        }
        if (!toolCalls.isEmpty()) {
            List<Object> calls = new ArrayList<>(toolCalls.size());
            for (ToolCall call : toolCalls) {
                calls.add(call.toTemplateValue());
            }
            m.put("tool_calls", calls);
        }
        if (toolCallId != null) {
            m.put("tool_call_id", toolCallId);
        }
        if (reasoningContent != null) {
            m.put("reasoning_content", reasoningContent);
        }
        for (Map.Entry<String, Object> e : extra.entrySet()) {
            m.put(e.getKey(), TemplateValues.copy(e.getValue()));
        }
        return m;
    }
}
