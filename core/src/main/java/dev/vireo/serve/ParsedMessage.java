/*
 * The assistant message a chat format reads out of generated text: visible content, reasoning
 * ("thinking") text, and tool calls.
 */
package dev.vireo.serve;

import dev.vireo.chat.ToolCall;
import java.util.List;

/**
 * @param content the answer text (empty when the model only called tools)
 * @param reasoning the reasoning text, or empty
 * @param toolCalls the calls, with arguments as JSON text
 */
public record ParsedMessage(String content, String reasoning, List<ToolCall> toolCalls) {
    public ParsedMessage {
        toolCalls = List.copyOf(toolCalls);
    }
}
