/*
 * How a BatchEngine is sized: sequences decoded together, rows per forward step, the shared KV pool,
 * the per-sequence context, and the waiting queue.
 */
package dev.vireo.serve;

/**
 * @param maxSequences sequences decoded together (the batch); more requests wait in the queue
 * @param maxBatchTokens rows of one forward step: one per decoding sequence plus prefill chunks
 * @param kvCapacity positions the shared KV pool holds, summed over all sequences; at least
 *     {@code contextLength}, so that one sequence alone always fits
 * @param pageSize positions per KV page (also the granularity of prefix sharing)
 * @param contextLength positions one sequence may hold (prompt plus generated)
 * @param maxQueue requests that may wait for a slot before new ones are refused
 * @param prefixCaching share the KV pages of identical prompt prefixes between sequences
 */
public record EngineOptions(int maxSequences, int maxBatchTokens, int kvCapacity, int pageSize, int contextLength,
        int maxQueue, boolean prefixCaching) {

    public EngineOptions {
        if (maxSequences <= 0 || maxBatchTokens < maxSequences || pageSize <= 0 || contextLength <= 0
                || maxQueue < 0) {
            throw new IllegalArgumentException("bad engine options: " + maxSequences + " sequences, "
                    + maxBatchTokens + " rows per step (at least one per sequence), page " + pageSize
                    + ", context " + contextLength + ", queue " + maxQueue);
        }
        if (kvCapacity < contextLength) {
            throw new IllegalArgumentException("the KV pool (" + kvCapacity + " positions) must hold at least one "
                    + "whole context (" + contextLength + ")");
        }
    }

    /**
     * {@code maxSequences} sequences of up to {@code contextLength} positions, a KV pool of
     * {@code max(contextLength, maxSequences × 512)} positions, 256-row steps, 16-position pages,
     * a queue of four times the batch, prefix caching on.
     */
    public static EngineOptions defaults(int maxSequences, int contextLength) {
        return new EngineOptions(maxSequences, Math.max(256, maxSequences), Math.max(contextLength, maxSequences * 512),
                16, contextLength, 4 * maxSequences, true);
    }

    public EngineOptions withKvCapacity(int positions) {
        return new EngineOptions(maxSequences, maxBatchTokens, positions, pageSize, contextLength, maxQueue,
                prefixCaching);
    }

    public EngineOptions withMaxQueue(int n) {
        return new EngineOptions(maxSequences, maxBatchTokens, kvCapacity, pageSize, contextLength, n, prefixCaching);
    }

    public EngineOptions withPrefixCaching(boolean on) {
        return new EngineOptions(maxSequences, maxBatchTokens, kvCapacity, pageSize, contextLength, maxQueue, on);
    }

    public EngineOptions withMaxBatchTokens(int n) {
        return new EngineOptions(maxSequences, n, kvCapacity, pageSize, contextLength, maxQueue, prefixCaching);
    }
}
