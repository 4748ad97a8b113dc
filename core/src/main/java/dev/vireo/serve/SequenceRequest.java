/*
 * One generation asked of a BatchEngine: prompt ids, limits and sampling. Text concerns (templates,
 * stop strings, tool-call parsing) stay with the caller, which sees tokens through the listener.
 */
package dev.vireo.serve;

import dev.vireo.sample.SamplingParams;
import java.util.Objects;

/**
 * @param prompt prompt token ids (at least one)
 * @param maxTokens most tokens to generate
 * @param sampling how tokens are chosen (the sampler's random state lives as long as the request,
 *     across preemptions)
 * @param ignoreEndOfGeneration keep going past end-of-generation tokens
 * @param listener receives the tokens and the outcome, on the engine thread
 */
public record SequenceRequest(int[] prompt, int maxTokens, SamplingParams sampling, boolean ignoreEndOfGeneration,
        SequenceListener listener) {

    public SequenceRequest {
        prompt = prompt.clone();
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: at least one token (e.g. BOS) is needed");
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be ≥ 0, got " + maxTokens);
        }
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(listener, "listener");
    }
}
