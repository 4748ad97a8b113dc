/*
 * The outcome of a text generation.
 */
package dev.vireo;

import dev.vireo.generate.StopReason;
import dev.vireo.generate.Timings;

/**
 * @param text the generated text (without a stop string or end-of-generation token)
 * @param tokens the generated token ids
 * @param stopReason why generation ended
 * @param timings prompt and generation speed
 */
public record Completion(String text, int[] tokens, StopReason stopReason, Timings timings) {
    public Completion {
        tokens = tokens.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
