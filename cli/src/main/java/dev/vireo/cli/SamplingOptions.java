/*
 * Sampling and stopping options shared by run and chat; names and defaults as llama.cpp's CLI.
 */
package dev.vireo.cli;

import dev.vireo.generate.GenerationOptions;
import dev.vireo.sample.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** --temp, --top-k, ... */
final class SamplingOptions {
    @Option(names = {"-n", "--n-predict"}, paramLabel = "N", defaultValue = "256",
            description = "tokens to generate (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--temp", paramLabel = "T", defaultValue = "0.8", description = "temperature; 0 = greedy (default: ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40", description = "top-k; 0 = off (default: ${DEFAULT-VALUE})")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95", description = "top-p; 1 = off (default: ${DEFAULT-VALUE})")
    float topP;

    @Option(names = "--min-p", paramLabel = "P", defaultValue = "0.05", description = "min-p; 0 = off (default: ${DEFAULT-VALUE})")
    float minP;

    @Option(names = "--repeat-penalty", paramLabel = "R", defaultValue = "1.0", description = "repetition penalty; 1 = off")
    float repeatPenalty;

    @Option(names = "--presence-penalty", paramLabel = "P", defaultValue = "0", description = "presence penalty")
    float presencePenalty;

    @Option(names = "--frequency-penalty", paramLabel = "P", defaultValue = "0", description = "frequency penalty")
    float frequencyPenalty;

    @Option(names = "--repeat-last-n", paramLabel = "N", defaultValue = "64",
            description = "tokens the penalties look back on; -1 = whole context (default: ${DEFAULT-VALUE})")
    int repeatLastN;

    @Option(names = {"-s", "--seed"}, paramLabel = "S", description = "random seed (default: random)")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "stop when the output contains TEXT (repeatable)")
    List<String> stop = new ArrayList<>();

    @Option(names = "--ignore-eos", description = "keep generating past end-of-generation tokens")
    boolean ignoreEos;

    GenerationOptions toOptions() {
        long s = seed != null ? seed : new java.util.SplittableRandom().nextLong();
        SamplingParams p = new SamplingParams(temperature, topK, topP, minP, repeatPenalty, presencePenalty,
                frequencyPenalty, repeatLastN, s);
        return new GenerationOptions(maxTokens, p, stop, ignoreEos);
    }
}
