/*
 * The outcome of one token-level generation.
 */
package dev.vireo.generate;

/**
 * @param tokens the generated ids (without a final end-of-generation token)
 * @param stopReason why it ended
 * @param timings prompt and generation speed
 */
public record GenerationResult(int[] tokens, StopReason stopReason, Timings timings) {
    public GenerationResult {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
