/*
 * How to load a model.
 */
package dev.vireo;

/**
 * @param backend where to run it
 * @param threads CPU worker threads (0: one per available processor)
 * @param batchInvariant computations that give every sequence the same bits whatever it is batched
 *     with (see CpuOps); what a batching server wants, at some cost to single-token speed with
 *     quantized weights
 */
public record LoadOptions(Backend backend, int threads, boolean batchInvariant) {
    public LoadOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
        }
    }

    /** Not batch-invariant. */
    public LoadOptions(Backend backend, int threads) {
        this(backend, threads, false);
    }

    /** Automatic backend, all processors. */
    public static LoadOptions defaults() {
        return new LoadOptions(Backend.AUTO, 0);
    }

    public LoadOptions withBackend(Backend b) {
        return new LoadOptions(b, threads, batchInvariant);
    }

    public LoadOptions withThreads(int t) {
        return new LoadOptions(backend, t, batchInvariant);
    }

    public LoadOptions withBatchInvariant(boolean on) {
        return new LoadOptions(backend, threads, on);
    }
}
