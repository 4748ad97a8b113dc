/*
 * How a request in a BatchEngine ended, with the counts a usage report needs.
 */
package dev.vireo.serve;

import dev.vireo.generate.StopReason;

/**
 * @param reason why generation stopped (CANCELLED also for a request dropped at shutdown)
 * @param promptTokens tokens of the prompt
 * @param cachedPromptTokens prompt tokens whose KV pages came from the prefix cache
 * @param generatedTokens tokens generated (end-of-generation token excluded)
 * @param preemptions times the request lost its pages and was recomputed
 * @param error what went wrong, when the engine failed the request; null otherwise
 */
public record SequenceOutcome(StopReason reason, int promptTokens, int cachedPromptTokens, int generatedTokens,
        int preemptions, Throwable error) {}
