/*
 * How a harmony message or turn ended (model-spec.md §4.2, §4.4). Reported by HarmonyParser; tested in
 * HarmonyParserTest.
 */
package dev.vireo.chat.harmony;

/** The token that ended a message or an assistant turn. */
public enum Terminator {
    /** {@code <|end|>}: the message is complete; the turn goes on. */
    END,
    /** {@code <|return|>}: the final answer is complete; the turn is over. */
    RETURN,
    /** {@code <|call|>}: a tool call is complete; the turn is over until the tool answers. */
    CALL,
    /** {@code <|endoftext|>}: the model stopped outside the format; the turn is over. */
    END_OF_TEXT,
    /** None: the stream stopped (token limit, cancellation) or a new message began without one. */
    NONE
}
