/*
 * How to load a model.
 */
package dev.vireo;

import dev.vireo.model.ModelOptions;
import java.util.Objects;

/**
 * @param backend where to run it
 * @param threads CPU worker threads (0: one per available processor)
 * @param batchInvariant computations that give every sequence the same bits whatever it is batched
 *     with, and a decoded token the same bits as the same token in a prefill (see CpuOps); the default
 * @param model numerical choices of the model family (for example llama.cpp's rounded YaRN range)
 */
public record LoadOptions(Backend backend, int threads, boolean batchInvariant, ModelOptions model) {
    public LoadOptions {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be ≥ 0, got " + threads);
        }
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(model, "model");
    }

    /** Batch-invariant; the model's reference numerics. */
    public LoadOptions(Backend backend, int threads) {
        this(backend, threads, true, ModelOptions.defaults());
    }

    /** Automatic backend, all processors. */
    public static LoadOptions defaults() {
        return new LoadOptions(Backend.AUTO, 0);
    }

    public LoadOptions withBackend(Backend b) {
        return new LoadOptions(b, threads, batchInvariant, model);
    }

    public LoadOptions withThreads(int t) {
        return new LoadOptions(backend, t, batchInvariant, model);
    }

    public LoadOptions withBatchInvariant(boolean on) {
        return new LoadOptions(backend, threads, on, model);
    }

    public LoadOptions withModel(ModelOptions m) {
        return new LoadOptions(backend, threads, batchInvariant, m);
    }
}
