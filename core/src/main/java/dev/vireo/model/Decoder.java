/*
 * A loaded decoder-only model bound to a backend: the one forward pass of its family, run on whatever
 * Ops it was loaded with. Families implement it in dev.vireo.model.arch.
 *
 * The forward is batched: one step runs the new tokens of several sequences (segments) together.
 * Everything that works row by row (embedding, norms, projections, the feed-forward, the output
 * projection) runs once over all rows; only RoPE positions, the KV store and attention are per
 * segment, each over its own sequence's pages. The single-sequence forward is the one-segment case.
 * A family implements forward(Workspace, List<Segment>) and gets the rest. Tested by
 * BatchedForwardTest (batched logits bit-identical to separate single-sequence steps).
 */
package dev.vireo.model;

import dev.vireo.ops.Ops;
import dev.vireo.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/** A transformer decoder whose weights are loaded for one {@link Ops} backend. */
public interface Decoder extends AutoCloseable {

    DecoderShape shape();

    /** The backend the weights were loaded for. */
    Ops ops();

    /**
     * One sequence's part of a batched step: tokens {@code tokens[offset..offset+count)} appended at
     * positions {@code sequence.length()} onward.
     *
     * @param allLogits logits for every one of these tokens (scoring) instead of only the last
     */
    record Segment(KvCache.Sequence sequence, int[] tokens, int offset, int count, boolean allLogits) {
        public Segment {
            Objects.requireNonNull(sequence, "sequence");
            Objects.checkFromIndexSize(offset, count, tokens.length);
            if (count <= 0) {
                throw new IllegalArgumentException("a segment needs at least one token");
            }
        }

        /** Logit rows this segment contributes to the step's result. */
        public int logitRows() {
            return allLogits ? count : 1;
        }
    }

    /**
     * Runs one step over several sequences: stores each segment's keys and values in its sequence's
     * pages and advances it. Row-wise work runs once over the rows of all segments (in segment
     * order); attention of a segment sees only its own sequence. The result for a segment is the
     * same as a forward of that segment alone (bit for bit on a batch-invariant backend such as
     * CpuOps), so batching never changes what a sequence generates.
     *
     * <p>The segments' sequences must be distinct, come from caches of this model, and together hold
     * at most {@code ws.maxBatch()} tokens. Pages are reserved here if the caller has not already
     * done so (a KvCacheFullException leaves every sequence's length unchanged).
     *
     * @return logits, {@link Segment#logitRows()} rows per segment in segment order ([Σ, vocab]), a
     *     view into {@code ws} valid until the next step
     */
    Tensor forward(Workspace ws, List<Segment> segments);

    /**
     * Runs {@code count} tokens {@code tokens[offset..offset+count)} of one sequence at positions
     * {@code seq.length()} onward: the one-segment case of {@link #forward(Workspace, List)}.
     *
     * @param allLogits logits for every token (for scoring) instead of only the last one
     * @return logits [count, vocab] or [1, vocab], a view into {@code ws} valid until the next step
     */
    default Tensor forward(Workspace ws, KvCache.Sequence seq, int[] tokens, int offset, int count,
            boolean allLogits) {
        return forward(ws, List.of(new Segment(seq, tokens, offset, count, allLogits)));
    }

    /** A KV cache sized for this model. */
    default KvCache newKvCache(int capacity, int maxSequences, int maxBatch, int pageSize) {
        DecoderShape s = shape();
        return new KvCache(ops(), s.kvDim(), s.window(), pageSize, capacity, maxSequences, maxBatch);
    }

    /** Releases what the model holds (mapped file, device copies of the weights). */
    @Override
    void close();
}
