/*
 * A snapshot of a BatchEngine's state for monitoring (the server's /metrics), taken after every step.
 */
package dev.vireo.serve;

/**
 * @param queued requests waiting for a slot
 * @param running sequences being prefilled or decoded
 * @param kvPagesTotal pages in the KV pools
 * @param kvPagesUsed pages held by sequences or the prefix cache
 * @param kvPagesCached pages held only by the prefix cache (reclaimable at any time)
 * @param promptTokens prompt tokens evaluated so far (prefix-cache hits excluded)
 * @param cachedPromptTokens prompt tokens served from the prefix cache so far
 * @param generatedTokens tokens generated so far
 * @param steps forward steps run
 * @param preemptions sequences that lost their pages to make room
 * @param requestsFinished requests ended, for any reason
 * @param tokensPerSecond generated tokens per second over the last ten seconds
 */
public record EngineStats(int queued, int running, int kvPagesTotal, int kvPagesUsed, int kvPagesCached,
        long promptTokens, long cachedPromptTokens, long generatedTokens, long steps, long preemptions,
        long requestsFinished, double tokensPerSecond) {}
