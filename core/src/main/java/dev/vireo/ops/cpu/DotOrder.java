/*
 * The order in which a BlockDecoder's fused dot adds products up, written down as data so that the
 * many-token matmul path (decoded chunks FMA'd against a tile of tokens) can add them up in exactly
 * the same order. That makes the CPU matmul batch-invariant: an output row is bit-identical whether
 * its token was multiplied alone (the fused dot), with 3 or with 63 others, and wherever it sat in
 * the tile. The serving engine relies on it (batching must not change results), and so does
 * prompt-prefix reuse (a prefix computed in one batch is reused by another).
 *
 * Every fused dot has the same shape: one or two vector accumulators, each fed whole FL-wide
 * vectors of weights in a fixed pattern that repeats every `period` elements, then (float types
 * only) at most one more vector into the first accumulator and a scalar tail after the reduction.
 * Tested by MatmulBatchInvarianceTest against every decoder at awkward shapes.
 */
package dev.vireo.ops.cpu;

/**
 * @param period elements after which the pattern repeats (a block, or 2·FL / FL for float types)
 * @param first offsets within a period of the vectors added into the first accumulator, in order
 * @param second the same for the second accumulator, or null when the dot uses only one
 * @param vectorTail after the whole periods, one more full vector (if there is room) goes into the
 *     first accumulator before the scalar tail (F32's dot)
 */
record DotOrder(int period, int[] first, int[] second, boolean vectorTail) {

    DotOrder {
        if (second != null && second.length != first.length) {
            throw new IllegalArgumentException("both accumulators take as many vectors per period");
        }
    }

    /**
     * The run length r when the pattern is plain alternation of runs, vectors 2jr .. 2jr+r−1 into
     * the first accumulator and the next r into the second (F32 and BF16: r = 1; the legacy blocks:
     * 16 / FL; Q4_K and Q5_K: 32 / FL), else 0. The matmul then runs a simple strided loop instead of
     * following the offset tables.
     */
    int alternatingRun() {
        if (second == null || 2 * first.length * Vec.FL != period) {
            return 0;
        }
        int r = 1;
        while (r < first.length && first[r] == r * Vec.FL) {
            r++;
        }
        for (int i = 0; i < first.length; i++) {
            // Entry i covers run i / r of the period, vector i % r of that run.
            int expected = (i / r) * 2 * r * Vec.FL + (i % r) * Vec.FL;
            if (first[i] != expected || second[i] != expected + r * Vec.FL) {
                return 0;
            }
        }
        return r;
    }

    /** Two accumulators, alternating by vector: F32 and BF16. */
    static DotOrder alternating(boolean vectorTail) {
        return new DotOrder(2 * Vec.FL, new int[] {0}, new int[] {Vec.FL}, vectorTail);
    }

    /** One accumulator over consecutive vectors: F16. */
    static DotOrder single() {
        return new DotOrder(Vec.FL, new int[] {0}, null, false);
    }

    /**
     * The 32-element legacy blocks: the first 16 elements into the first accumulator, the second 16
     * into the second, a 16-byte load's worth (PARTS vectors) at a time.
     */
    static DotOrder halves() {
        int[] a = new int[Vec.PARTS];
        int[] b = new int[Vec.PARTS];
        for (int p = 0; p < Vec.PARTS; p++) {
            a[p] = p * Vec.FL;
            b[p] = 16 + p * Vec.FL;
        }
        return new DotOrder(32, a, b, false);
    }

    /** Q4_K and Q5_K: per 64-element group, elements 0..31 into the first, 32..63 into the second. */
    static DotOrder kQuantNibbles() {
        int n = 4 * 2 * Vec.PARTS;
        int[] a = new int[n];
        int[] b = new int[n];
        int i = 0;
        for (int c = 0; c < 4; c++) {
            for (int l = 0; l < 32; l += 16) {
                for (int p = 0; p < Vec.PARTS; p++, i++) {
                    a[i] = 64 * c + l + p * Vec.FL;
                    b[i] = a[i] + 32;
                }
            }
        }
        return new DotOrder(256, a, b, false);
    }

    /** Q6_K: per 16 l of a 128-element half, y[l], y[l+64] into the first, y[l+32], y[l+96] into the second. */
    static DotOrder q6k() {
        int n = 2 * 2 * Vec.PARTS * 2;
        int[] a = new int[n];
        int[] b = new int[n];
        int i = 0;
        for (int half = 0; half < 2; half++) {
            for (int g = 0; g < 2; g++) {
                for (int p = 0; p < Vec.PARTS; p++) {
                    int at = 128 * half + 16 * g + p * Vec.FL;
                    a[i] = at;
                    b[i++] = at + 32;
                    a[i] = at + 64;
                    b[i++] = at + 96;
                }
            }
        }
        return new DotOrder(256, a, b, false);
    }
}
