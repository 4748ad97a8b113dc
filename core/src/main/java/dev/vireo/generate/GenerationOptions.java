/*
 * What a caller asks of one text generation, beyond the prompt.
 */
package dev.vireo.generate;

import dev.vireo.sample.SamplingParams;
import java.util.List;

/**
 * @param maxTokens most tokens to generate
 * @param sampling how tokens are chosen
 * @param stop strings that end generation when the output contains them (they are not returned)
 * @param ignoreEndOfGeneration keep going past the model's end-of-generation tokens
 */
public record GenerationOptions(int maxTokens, SamplingParams sampling, List<String> stop,
        boolean ignoreEndOfGeneration) {

    public GenerationOptions {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("maxTokens must be ≥ 0, got " + maxTokens);
        }
        stop = List.copyOf(stop);
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
    }

    /** {@code maxTokens} tokens, llama.cpp's default sampling with {@code seed}, no stop strings. */
    public static GenerationOptions of(int maxTokens, long seed) {
        return new GenerationOptions(maxTokens, SamplingParams.defaults(seed), List.of(), false);
    }

    /** {@code maxTokens} greedy tokens. */
    public static GenerationOptions greedy(int maxTokens) {
        return new GenerationOptions(maxTokens, SamplingParams.greedy(), List.of(), false);
    }

    public GenerationOptions withStop(List<String> s) {
        return new GenerationOptions(maxTokens, sampling, s, ignoreEndOfGeneration);
    }

    public GenerationOptions withSampling(SamplingParams p) {
        return new GenerationOptions(maxTokens, p, stop, ignoreEndOfGeneration);
    }
}
