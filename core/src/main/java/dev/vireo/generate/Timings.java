/*
 * How long the two phases of a generation took, reported like llama.cpp's timing summary.
 */
package dev.vireo.generate;

/**
 * @param promptTokens tokens evaluated for the prompt (after prefix reuse)
 * @param promptNanos time spent on them
 * @param generatedTokens tokens sampled
 * @param generationNanos time spent generating (forward passes and sampling after the prompt)
 */
public record Timings(int promptTokens, long promptNanos, int generatedTokens, long generationNanos) {

    /** Prompt tokens per second (0 when none were evaluated). */
    public double promptTokensPerSecond() {
        return promptNanos == 0 ? 0 : promptTokens * 1e9 / promptNanos;
    }

    /** Generated tokens per second; the first token's forward pass belongs to the prompt phase. */
    public double generationTokensPerSecond() {
        return generationNanos == 0 ? 0 : generatedTokens * 1e9 / generationNanos;
    }

    @Override
    public String toString() {
        return String.format("prompt: %d tokens, %.2f tok/s | generation: %d tokens, %.2f tok/s",
                promptTokens, promptTokensPerSecond(), generatedTokens, generationTokensPerSecond());
    }
}
