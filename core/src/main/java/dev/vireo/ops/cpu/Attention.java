/*
 * Paged grouped-query attention for the CPU backend, one (query row, head) per work item: the
 * explicit score vector over the visible keys (dot products vectorised over headDim, keys read in
 * place from the pages), a vectorised exp pass, then a weighted sum of value rows. Masks and sinks
 * follow model-spec.md §1.3: a query at p sees spec.firstVisible(p) .. p; the sink logit is in the
 * denominator only. Checked against RefOps by AttentionConformanceTest.
 *
 * One instance is reused by every call of its CpuOps (the fields are the call's arguments), so a
 * call allocates nothing.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.F32_LE;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.LE;

import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.KvPages;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/** The attention loop body; see the file comment. */
final class Attention implements WorkerPool.RangeTask {
    private final Scratch[] scratch;

    // The current call's arguments, set by prepare().
    private MemorySegment q;
    private MemorySegment keys;
    private MemorySegment values;
    private MemorySegment sinks;
    private MemorySegment out;
    private int[] pageTable;
    private int[] positions;
    private int pageSize;
    private AttentionSpec spec;

    Attention(Scratch[] scratch) {
        this.scratch = scratch;
    }

    void prepare(MemorySegment q, KvPages kv, int[] pageTable, int[] positions, AttentionSpec spec,
            MemorySegment sinks, MemorySegment out) {
        this.q = q;
        this.keys = kv.keys().data();
        this.values = kv.values().data();
        this.pageSize = kv.pageSize();
        this.pageTable = pageTable;
        this.positions = positions;
        this.spec = spec;
        this.sinks = sinks;
        this.out = out;
    }

    /** Drops the references to the call's tensors. */
    void clear() {
        q = keys = values = sinks = out = null;
        pageTable = positions = null;
    }

    @Override
    public void run(int worker, int start, int end) {
        Scratch s = scratch[worker];
        int heads = spec.heads();
        int hd = spec.headDim();
        int kvDim = spec.kvDim();
        float scale = spec.scale();
        s.query = Scratch.grow(s.query, hd);
        s.accumulator = Scratch.grow(s.accumulator, hd);
        float[] qv = s.query;
        float[] acc = s.accumulator;
        for (int item = start; item < end; item++) {
            int t = item / heads;
            int h = item % heads;
            int pos = positions[t];
            int first = spec.firstVisible(pos);
            int len = pos - first + 1;
            s.scores = Scratch.grow(s.scores, len);
            float[] scores = s.scores;
            long qOffset = ((long) t * heads + h) * hd;
            MemorySegment.copy(q, F32_LE, qOffset * 4, qv, 0, hd);
            long kvOffset = (long) (h / spec.groupSize()) * hd;

            float max = sinks == null ? Float.NEGATIVE_INFINITY : sinks.getAtIndex(F32_LE, h);
            for (int j = 0; j < len; j++) {
                long k = (row(first + j) * kvDim + kvOffset) * 4;
                float score = dot(qv, keys, k, hd) * scale;
                scores[j] = score;
                max = Math.max(max, score);
            }
            float denominator = exp(scores, len, max);
            if (sinks != null) {
                denominator += Exp.exp(sinks.getAtIndex(F32_LE, h) - max);
            }

            Arrays.fill(acc, 0, hd, 0f);
            for (int j = 0; j < len; j++) {
                long v = (row(first + j) * kvDim + kvOffset) * 4;
                axpy(scores[j], values, v, acc, hd);
            }
            float inv = 1 / denominator;
            for (int i = 0; i < hd; i++) {
                out.setAtIndex(F32_LE, qOffset + i, acc[i] * inv);
            }
        }
    }

    /** Flat KV row of a position (pages were validated by OpChecks.attention). */
    private long row(int pos) {
        return (long) pageTable[pos / pageSize] * pageSize + pos % pageSize;
    }

    /** q[0, n) · the n floats at byte {@code off} of {@code seg}. */
    private static float dot(float[] q, MemorySegment seg, long off, int n) {
        FloatVector a = FloatVector.zero(F);
        int i = 0;
        for (int bound = n - n % FL; i < bound; i += FL) {
            a = FloatVector.fromArray(F, q, i).fma(FloatVector.fromMemorySegment(F, seg, off + 4L * i, LE), a);
        }
        float sum = Vec.sum(a);
        for (; i < n; i++) {
            sum += q[i] * seg.get(F32_LE, off + 4L * i);
        }
        return sum;
    }

    /** acc[0, n) += a · the n floats at byte {@code off} of {@code seg}. */
    private static void axpy(float a, MemorySegment seg, long off, float[] acc, int n) {
        FloatVector av = FloatVector.broadcast(F, a);
        int i = 0;
        for (int bound = n - n % FL; i < bound; i += FL) {
            FloatVector.fromMemorySegment(F, seg, off + 4L * i, LE)
                    .fma(av, FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
        }
        for (; i < n; i++) {
            acc[i] += a * seg.get(F32_LE, off + 4L * i);
        }
    }

    /** x[i] = e^(x[i] − max) for i < n, returning the sum (vector lanes first, then the tail, in order). */
    static float exp(float[] x, int n, float max) {
        int bound = n - n % FL;
        int i = 0;
        for (; i < bound; i += FL) {
            FloatVector.fromArray(F, x, i).sub(max).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] -= max;
        }
        Exp.exp(x, 0, n);
        FloatVector sum = FloatVector.zero(F);
        for (i = 0; i < bound; i += FL) {
            sum = sum.add(FloatVector.fromArray(F, x, i));
        }
        float total = Vec.sum(sum);
        for (; i < n; i++) {
            total += x[i];
        }
        return total;
    }
}
