/*
 * The outcome of one chat turn: the answer, the reasoning and the tool calls (as the ChatListener saw
 * them stream), the generated ids, why it stopped and how fast it went; and the assistant message to
 * append to the conversation for the next turn. Tested in LanguageModelChatTest.
 */
package dev.vireo.chat;

import dev.vireo.generate.StopReason;
import dev.vireo.generate.Timings;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An assistant turn.
 *
 * @param content    the answer (without stop strings or end-of-turn tokens); with gpt-oss the final
 *                   channel, or a preamble to tool calls
 * @param reasoning  the reasoning (gpt-oss's analysis channel, or a {@code <think>} block); empty when the
 *                   model gave none
 * @param toolCalls  the tool calls, in order; with gpt-oss at most one, since {@code <|call|>} ends the turn
 * @param tokens     the generated ids (without the id that ended the turn)
 * @param stopReason why generation ended
 * @param timings    prompt and generation speed
 */
public record ChatReply(String content, String reasoning, List<ToolCall> toolCalls, int[] tokens,
        StopReason stopReason, Timings timings) {

    public ChatReply {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(reasoning, "reasoning");
        toolCalls = List.copyOf(toolCalls);
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** Whether the model called a tool and waits for its result. */
    public boolean calledTools() {
        return !toolCalls.isEmpty();
    }

    /**
     * The turn as the assistant message to append to the conversation: the content, the reasoning as
     * {@code reasoning_content} (null when empty) and the tool calls. The chat formats decide what of it
     * the next prompt shows: harmony drops the reasoning once a later answer follows it and keeps it
     * while a tool call is pending; templates such as Qwen3's drop the reasoning of earlier turns.
     */
    public ChatMessage message() {
        String text = content.isEmpty() && calledTools() ? null : content;
        return new ChatMessage("assistant", text, null, null, toolCalls, reasoning.isEmpty() ? null : reasoning, Map.of());
    }
}
