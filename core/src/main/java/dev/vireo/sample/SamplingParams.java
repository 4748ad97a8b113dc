/*
 * What a user can ask of token selection. Defaults follow llama.cpp's command-line defaults, so the
 * same flags mean the same thing in both tools.
 */
package dev.vireo.sample;

/**
 * Sampling settings.
 *
 * @param temperature ≤ 0 selects greedily (argmax after penalties)
 * @param topK keep the k most likely tokens; ≤ 0 disables
 * @param topP keep the smallest set of most likely tokens whose probability reaches p; ≥ 1 disables
 * @param minP drop tokens less likely than minP × the most likely one; ≤ 0 disables
 * @param repeatPenalty divides positive (multiplies negative) logits of recently seen tokens; 1 disables
 * @param presencePenalty subtracted once from the logit of every recently seen token
 * @param frequencyPenalty subtracted per occurrence of a recently seen token
 * @param penaltyLastN how many recent tokens the penalties look at (0: none, -1: the whole context)
 * @param seed seeds the random draw; the same seed, settings and logits give the same tokens
 */
public record SamplingParams(float temperature, int topK, float topP, float minP, float repeatPenalty,
        float presencePenalty, float frequencyPenalty, int penaltyLastN, long seed) {

    public SamplingParams {
        if (Float.isNaN(temperature) || Float.isNaN(topP) || Float.isNaN(minP) || !(repeatPenalty > 0)
                || penaltyLastN < -1 || topP < 0 || minP > 1) {
            throw new IllegalArgumentException("invalid sampling parameters: temperature=" + temperature
                    + " top_p=" + topP + " min_p=" + minP + " repeat_penalty=" + repeatPenalty
                    + " penalty_last_n=" + penaltyLastN);
        }
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties. */
    public static SamplingParams defaults(long seed) {
        return new SamplingParams(0.8f, 40, 0.95f, 0.05f, 1f, 0f, 0f, 64, seed);
    }

    /** Always the most likely token. */
    public static SamplingParams greedy() {
        return new SamplingParams(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, 0);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    public boolean hasPenalties() {
        return penaltyLastN != 0 && (repeatPenalty != 1f || presencePenalty != 0f || frequencyPenalty != 0f);
    }

    public SamplingParams withTemperature(float t) {
        return new SamplingParams(t, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplingParams withSeed(long s) {
        return new SamplingParams(temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, s);
    }
}
