/*
 * What one generated assistant turn amounted to, as HarmonyChat collects it: every message, the
 * reasoning and the answer as text, the tool calls, how it ended, and the messages to keep in the
 * conversation (model-spec.md §4.2 history rules). Tested in HarmonyChatTest.
 */
package dev.vireo.chat.harmony;

import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ToolCall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The outcome of an assistant turn.
 *
 * @param messages  every message the model wrote, in order (the last may be cut short)
 * @param reasoning the analysis-channel text (messages joined by a newline); not for end users
 * @param answer    the final-channel text
 * @param toolCalls the completed tool calls, in order
 * @param end       how the turn ended: {@link Terminator#RETURN}, {@link Terminator#CALL},
 *                  {@link Terminator#END_OF_TEXT}, or {@link Terminator#NONE} when generation stopped
 *                  without a stop token (token limit, cancellation)
 * @param unparsed  output that did not fit the format, as text (empty when all was well-formed)
 */
public record TurnResult(List<HarmonyMessage> messages, String reasoning, String answer,
                         List<HarmonyEvent.ToolCallComplete> toolCalls, Terminator end, String unparsed) {

    public TurnResult {
        messages = List.copyOf(messages);
        toolCalls = List.copyOf(toolCalls);
    }

    /** Whether the turn stopped to let a tool run ({@code <|call|>}): append the results and generate again. */
    public boolean endedInToolCall() {
        return end == Terminator.CALL;
    }

    /**
     * The messages to append to the conversation for the next prompt: when the turn gave a final answer,
     * its analysis is left out (the format drops it anyway); when it ended in a tool call, the analysis
     * stays with the call, as the model needs its chain of thought to go on.
     */
    public List<HarmonyMessage> historyMessages() {
        return HarmonyRenderer.standard().shownMessages(messages);
    }

    /**
     * The turn as one OpenAI-style assistant message: content the answer (null when there is none and
     * tools were called), reasoning_content the reasoning (null when empty), and the tool calls with
     * their arguments as JSON text and no id.
     */
    public ChatMessage toChatMessage() {
        List<ToolCall> calls = new ArrayList<>();
        for (HarmonyEvent.ToolCallComplete c : toolCalls) {
            calls.add(new ToolCall(null, c.functionName(), c.arguments()));
        }
        String content = answer.isEmpty() && !calls.isEmpty() ? null : answer;
        return new ChatMessage("assistant", content, null, null, calls, reasoning.isEmpty() ? null : reasoning, Map.of());
    }
}
