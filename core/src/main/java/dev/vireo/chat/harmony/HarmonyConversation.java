/*
 * Everything a harmony prompt is made of: the system options, the developer's instructions and
 * function tools (together they make the developer message), and the messages that follow. Immutable;
 * a chat loop appends to it with plus(...). fromChat converts an OpenAI-style message list the way the
 * gpt-oss chat template reads one (ChatConversion). Tested in HarmonyRendererTest and
 * HarmonyTemplateAgreementTest.
 */
package dev.vireo.chat.harmony;

import dev.vireo.chat.ChatMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A harmony conversation.
 *
 * @param system       the system message's contents, or null for no system message
 * @param instructions the developer's instructions ("system prompt"), or null
 * @param functions    the function tools the developer offers (namespace {@code functions})
 * @param messages     user, assistant and tool messages, oldest first
 */
public record HarmonyConversation(SystemOptions system, String instructions, List<ToolDefinition> functions,
                                  List<HarmonyMessage> messages) {

    public HarmonyConversation {
        functions = functions == null ? List.of() : List.copyOf(functions);
        messages = messages == null ? List.of() : List.copyOf(messages);
        for (HarmonyMessage m : messages) {
            if (m.role() == Role.SYSTEM || m.role() == Role.DEVELOPER) {
                throw new IllegalArgumentException("system and developer messages are made from SystemOptions and "
                        + "the instructions/functions, not given as messages");
            }
        }
    }

    /** A conversation with harmony's default system message, no developer message, and {@code messages}. */
    public static HarmonyConversation of(HarmonyMessage... messages) {
        return new HarmonyConversation(SystemOptions.defaults(), null, List.of(), Arrays.asList(messages));
    }

    /**
     * The conversation an OpenAI-style message list stands for, read as the gpt-oss chat template reads
     * it: a leading system or developer message gives the instructions; an assistant message's
     * {@code reasoning_content} (or {@code thinking} field) is its analysis and its {@code content} its
     * final answer; an assistant message with tool calls becomes its analysis (the reasoning, else the
     * content) followed by one call per tool call, arguments written as JSON text; a tool message
     * becomes the output of the function it answers (by {@code tool_call_id}, else its {@code name},
     * else the latest call). Analysis is kept here; the renderer drops what the format drops.
     *
     * @param tools  OpenAI-style tool definitions ({@code {"type": "function", "function": {...}}}), or null
     * @param system the system options
     * @throws IllegalArgumentException when a message cannot be expressed (a system message after the
     *                                  first, a tool result with no call before it, an unknown role)
     */
    public static HarmonyConversation fromChat(List<ChatMessage> messages, List<?> tools, SystemOptions system) {
        return ChatConversion.convert(messages, tools, system);
    }

    /** This with other system options (null: no system message). */
    public HarmonyConversation withSystem(SystemOptions options) {
        return new HarmonyConversation(options, instructions, functions, messages);
    }

    /** This with the developer's instructions (null: none). */
    public HarmonyConversation withInstructions(String text) {
        return new HarmonyConversation(system, text, functions, messages);
    }

    /** This with these function tools. */
    public HarmonyConversation withFunctions(List<ToolDefinition> tools) {
        return new HarmonyConversation(system, instructions, tools, messages);
    }

    /** This conversation with {@code more} appended. */
    public HarmonyConversation plus(HarmonyMessage... more) {
        return plus(Arrays.asList(more));
    }

    /** This conversation with {@code more} appended. */
    public HarmonyConversation plus(List<HarmonyMessage> more) {
        List<HarmonyMessage> all = new ArrayList<>(messages);
        all.addAll(more);
        return new HarmonyConversation(system, instructions, functions, all);
    }
}
