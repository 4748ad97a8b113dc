/*
 * A loaded decoder-only model bound to a backend: the one forward pass of its family, run on whatever
 * Ops it was loaded with. Families implement it in dev.vireo.model.arch.
 */
package dev.vireo.model;

import dev.vireo.ops.Ops;
import dev.vireo.tensor.Tensor;

/** A transformer decoder whose weights are loaded for one {@link Ops} backend. */
public interface Decoder extends AutoCloseable {

    DecoderShape shape();

    /** The backend the weights were loaded for. */
    Ops ops();

    /**
     * Runs {@code count} tokens {@code tokens[offset..offset+count)} at positions {@code seq.length()}
     * onward: stores their keys and values in the sequence's pages and advances it.
     *
     * @param allLogits logits for every token (for scoring) instead of only the last one
     * @return logits [count, vocab] or [1, vocab], a view into {@code ws} valid until the next step
     */
    Tensor forward(Workspace ws, KvCache.Sequence seq, int[] tokens, int offset, int count, boolean allLogits);

    /** A KV cache sized for this model. */
    default KvCache newKvCache(int capacity, int maxSequences, int maxBatch, int pageSize) {
        DecoderShape s = shape();
        return new KvCache(ops(), s.kvDim(), s.window(), pageSize, capacity, maxSequences, maxBatch);
    }

    /** Releases what the model holds (mapped file, device copies of the weights). */
    @Override
    void close();
}
