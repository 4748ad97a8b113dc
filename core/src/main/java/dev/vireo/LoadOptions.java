/*
 * How to load a model.
 */
package dev.vireo;

/**
 * @param backend where to run it
 * @param threads CPU worker threads (0: one per available processor)
 */
public record LoadOptions(Backend backend, int threads) {
    public LoadOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
        }
    }

    /** Automatic backend, all processors. */
    public static LoadOptions defaults() {
        return new LoadOptions(Backend.AUTO, 0);
    }

    public LoadOptions withBackend(Backend b) {
        return new LoadOptions(b, threads);
    }

    public LoadOptions withThreads(int t) {
        return new LoadOptions(backend, t);
    }
}
