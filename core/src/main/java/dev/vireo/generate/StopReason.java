/*
 * Why a generation ended, as reported to the caller (and mapped to OpenAI's finish_reason later).
 */
package dev.vireo.generate;

/** Why generation stopped. */
public enum StopReason {
    /** The model produced an end-of-generation token (not included in the output). */
    END_OF_GENERATION,
    /** The output reached one of the caller's stop strings (not included in the output). */
    STOP_STRING,
    /** The caller's token limit was reached. */
    MAX_TOKENS,
    /** The sequence filled the context window. */
    CONTEXT_FULL,
    /** The caller cancelled. */
    CANCELLED
}
