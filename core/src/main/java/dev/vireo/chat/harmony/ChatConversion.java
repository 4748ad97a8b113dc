/*
 * OpenAI-style chat messages (dev.vireo.chat.ChatMessage) to a HarmonyConversation, following how the
 * gpt-oss chat template reads them (llama.cpp's models/templates/openai-gpt-oss-120b.jinja, a copy of
 * the model's own): the first system/developer message is the developer's instructions, "thinking"
 * (here also reasoning_content) is analysis, tool calls go to functions.NAME on commentary. Where the
 * template is narrower this is more general (every tool call, not only the first; a tool result
 * matched by its call id), documented on HarmonyConversation.fromChat. Tested in
 * HarmonyTemplateAgreementTest and HarmonyConversationTest.
 */
package dev.vireo.chat.harmony;

import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ToolCall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class ChatConversion {
    private ChatConversion() {}

    static HarmonyConversation convert(List<ChatMessage> messages, List<?> tools, SystemOptions system) {
        List<ToolDefinition> functions = new ArrayList<>();
        if (tools != null) {
            for (Object t : tools) {
                functions.add(switch (t) {
                    case ToolDefinition d -> d;
                    case Map<?, ?> m -> ToolDefinition.fromMap(m);
                    case String json -> ToolDefinition.fromJson(json);
                    default -> throw new IllegalArgumentException("a tool must be a ToolDefinition, a map or JSON text, got " + t);
                });
            }
        }
        int start = 0;
        String instructions = null;
        if (!messages.isEmpty() && isSystemLike(messages.getFirst())) {
            instructions = messages.getFirst().content();
            if (instructions != null && instructions.isEmpty()) {
                instructions = null;   // the template writes no developer message for an empty one
            }
            start = 1;
        }
        List<HarmonyMessage> out = new ArrayList<>();
        Map<String, String> callNames = new HashMap<>();
        String lastCall = null;
        for (int i = start; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            switch (m.role()) {
                case "user" -> out.add(HarmonyMessage.user(text(m, i)));
                case "assistant" -> {
                    String reasoning = reasoning(m);
                    if (!m.toolCalls().isEmpty()) {
                        String content = m.content();
                        if (reasoning != null) {
                            out.add(HarmonyMessage.analysis(reasoning));
                            if (content != null && !content.isEmpty()) {
                                // Text beside the calls, when the thinking is separate: a preamble.
                                out.add(HarmonyMessage.commentary(content));
                            }
                        } else if (content != null && !content.isEmpty()) {
                            out.add(HarmonyMessage.analysis(content));   // as the template does
                        }
                        for (ToolCall call : m.toolCalls()) {
                            out.add(HarmonyMessage.toolCall(call.name(), arguments(call.arguments())));
                            if (call.id() != null) {
                                callNames.put(call.id(), call.name());
                            }
                            lastCall = call.name();
                        }
                    } else {
                        if (reasoning != null) {
                            out.add(HarmonyMessage.analysis(reasoning));
                        }
                        if (m.content() != null) {
                            out.add(HarmonyMessage.finalAnswer(m.content()));
                        }
                    }
                }
                case "tool" -> {
                    String function = m.toolCallId() != null ? callNames.get(m.toolCallId()) : null;
                    if (function == null) {
                        function = m.name() != null ? m.name() : lastCall;
                    }
                    if (function == null) {
                        throw new IllegalArgumentException("message " + i + " is a tool result, but no assistant "
                                + "message called a tool before it and it has no name");
                    }
                    out.add(HarmonyMessage.toolResult(function, toolOutput(m)));
                }
                case "system", "developer" -> throw new IllegalArgumentException("message " + i + " has role "
                        + m.role() + ": harmony takes the developer's instructions only from the first message");
                default -> throw new IllegalArgumentException("message " + i + " has role '" + m.role()
                        + "'; harmony conversations have user, assistant and tool messages");
            }
        }
        return new HarmonyConversation(system, instructions, functions, out);
    }

    private static boolean isSystemLike(ChatMessage m) {
        return m.role().equals("system") || m.role().equals("developer");
    }

    private static String text(ChatMessage m, int index) {
        if (m.content() != null) {
            return m.content();
        }
        if (m.extra().containsKey("content")) {
            throw new IllegalArgumentException("message " + index + ": content given as parts; harmony takes text");
        }
        return "";
    }

    private static String reasoning(ChatMessage m) {
        if (m.reasoningContent() != null && !m.reasoningContent().isEmpty()) {
            return m.reasoningContent();
        }
        return m.extra().get("thinking") instanceof String s && !s.isEmpty() ? s : null;
    }

    /** Arguments as JSON text: a string is taken as already being JSON; a value is written as json.dumps does. */
    private static String arguments(Object args) {
        return switch (args) {
            case null -> "{}";
            case String s -> s;
            default -> JsonText.pythonStyle(JsonText.copy(args));
        };
    }

    private static String toolOutput(ChatMessage m) {
        if (m.content() != null) {
            return m.content();
        }
        Object structured = m.extra().get("content");
        return structured == null ? "" : JsonText.pythonStyle(JsonText.copy(structured));
    }
}
