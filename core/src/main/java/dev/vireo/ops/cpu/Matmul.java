/*
 * The matmul kernel of the CPU backend: out[t, o] for a block of output rows, as Ops.matmul defines
 * it. The activations arrive converted to the weight's vec_dot type (Activations); weights are never
 * dequantized as a whole but read from the (mapped) segment block by block.
 *
 * One token (the decode step), quantized weights: integer block dot products (QuantDot), the codes
 * of each weight block multiplied with the activation's codes as ggml's vec_dot does.
 *
 * Several tokens (prefill, batched decoding), and float weights: each weight row is decoded a chunk
 * at a time (CHUNK floats = 4 KB, L1-resident) and that chunk is FMA'd against every token of the
 * current tile before the next chunk is decoded. Four rows are decoded side by side and multiplied
 * with three tokens at a time (pairs4x3), so one load of activations feeds four rows and one load of
 * weights three tokens: 14 loads per 24 FMAs instead of 10 per 8 with one row and four tokens, which
 * took prefill matmuls from ~45 to ~95 GFLOP/s on two AVX-512 cores (MatmulBenchmark). The plain
 * alternating order (most types on 16-lane machines) has its own copy of that kernel, alternating4x3,
 * whose offsets are its loop counter: C2 then checks bounds once per call rather than per load.
 * Quantized activations come dequantized (d·q), so this computes the same sum of block terms,
 * Σ (d_w·c)·(d_x·q), grouped by value instead of by block: on the Vector API float FMAs on decoded
 * weights beat the integer path, which needs about eight operations per token and 32 values (no
 * int8/int16 dot-product instruction is reachable from Java), by some 3×. For Q4_1 and
 * Q5_1 the decoded weights carry the bias m, whose term ggml takes as m·s from the activation's
 * stored s: the difference Σ_b m_b·(s_b − d_b·Σq_b) is added per token. A weight block is read and
 * decoded once per tile of up to TOKEN_TILE tokens: the tile bounds the activations revisited per row
 * to TILE_BYTES (L2), and at 30 tokens the FMAs per weight outweigh one more decode by some ten to one.
 * One token with float weights (or, in a batch-invariant CpuOps, the default, with any weights) uses
 * the type's fused BlockDecoder.dot: every block decoded into registers and FMA'd against the activation at once.
 *
 * Batch invariance: the tile path adds each token's products in exactly the order of the type's
 * fused dot (BlockDecoder.dotOrder: the same vector accumulators, fed the same vectors in the same
 * order, carried across chunks, reduced the same way by Vec.sum), so a token's row is bit-identical
 * whether it is multiplied alone through the fused dot or among many in the tile, wherever it sits.
 * For float weights that always holds; for quantized weights only when every token count takes the
 * float path (CpuOps' batch-invariant mode, the default), since one token otherwise goes through the
 * integer kernels. Batched serving relies on it (MatmulBatchInvarianceTest; end to end BatchEngineTest),
 * and so does agreement with llama.cpp's greedy runs: with the integer kernels for one token, a decode
 * step of tiny-llama3-q4_0 moved 4e-2 of the logit scale away from the same token's prefill (an 8-bit
 * activation rounding flipped on a 1e-6 difference) and took the other side of a 0.5% near-tie.
 *
 * Sums are float (integer within a block on the integer path), in lane-parallel order; the
 * conformance suite bounds the difference from the reference by NMSE.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.F32_LE;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.I16_LE;

import dev.vireo.tensor.quant.VecDotType;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/** Row-block matmul over decoded weight chunks. */
final class Matmul {
    private Matmul() {}

    /** Floats of a weight row decoded at a time: a multiple of every block size (256). */
    static final int CHUNK = 1024;
    /**
     * Tokens whose activations share one decoded chunk (30 rows of 4 KB chunks: 120 KB, L2); a multiple
     * of three, the tokens pairs4x3 takes at a time.
     */
    static final int TOKEN_TILE = 30;
    /**
     * The bytes of activations a tile may span, so that they stay in L2 (1 MB per core here) beside
     * the decoded rows and accumulators: 30 tokens of 2048 floats, 15 of 8192 (measured ~5% faster at
     * 2048×8192 than 30 tokens, within this machine's noise elsewhere).
     */
    static final int TILE_BYTES = 512 * 1024;

    /** Tokens per tile for rows of {@code inDim}: TOKEN_TILE, fewer for long rows, a multiple of three. */
    static int tokenTile(int inDim) {
        int fit = TILE_BYTES / (4 * inDim) / 3 * 3;
        return Math.max(3, Math.min(TOKEN_TILE, fit));
    }

    /** Weight rows multiplied together in the tile path (two-accumulator orders). */
    static final int ROWS = 4;

    /**
     * Computes output rows {@code [r0, r1)} for all tokens of {@code a}.
     *
     * @param dot the integer kernel of a quantized weight type (used when {@code a} holds codes)
     * @param decoder the weight type's float decoder (used when {@code a} holds values)
     * @param w the weight bytes, rows of {@code rowBytes}
     * @param a the converted activations, {@code a.rows} tokens of {@code inDim} values
     * @param out F32 [a.rows, outDim]
     */
    static void rows(QuantDot dot, BlockDecoder decoder, MemorySegment w, long rowBytes, int inDim, Activations a,
            MemorySegment out, int outDim, int r0, int r1, Scratch s) {
        int n = a.rows;
        int blockSize = decoder.type().blockSize();
        int blocks = inDim / blockSize;
        if (a.form == Activations.Form.CODES) {
            for (int t0 = 0; t0 < n; t0 += TOKEN_TILE) {
                int t1 = Math.min(n, t0 + TOKEN_TILE);
                for (int r = r0; r < r1; r++) {
                    for (int t = t0; t < t1; t++) {
                        out.setAtIndex(F32_LE, (long) t * outDim + r, dot.dot(w, r * rowBytes, blocks, a, t));
                    }
                }
            }
            return;
        }
        float[] x = a.values;
        boolean biasCorrection = a.type == VecDotType.Q8_1;
        if (biasCorrection) {
            s.mins = Scratch.grow(s.mins, blocks);
        }
        if (n == 1) {
            // One token: each weight is used once, so fuse decode and FMA in registers.
            for (int r = r0; r < r1; r++) {
                float sum = decoder.dot(w, r * rowBytes, blocks, x, 0);
                if (biasCorrection) {
                    loadMins(w, r * rowBytes, decoder.type().blockBytes(), blocks, s.mins);
                    sum += biasTerm(s.mins, blocks, a, 0);
                }
                out.setAtIndex(F32_LE, r, sum);
            }
            return;
        }
        DotOrder order = decoder.dotOrder();
        int run = order.alternatingRun();
        long blockBytes = decoder.type().blockBytes();
        int chunk = Math.min(CHUNK, inDim);
        int lastStart = (inDim - 1) / chunk * chunk;   // chunks are whole periods except the last
        int lastLen = inDim - lastStart;
        int lastFull = lastLen - lastLen % order.period();
        int vectorEnd = lastFull + (order.vectorTail() && lastLen - lastFull >= FL ? FL : 0);
        float[] decoded = s.weights;
        float[] acc = s.accumulators;
        // Row blocks need the two-accumulator orders (every type but F16).
        boolean rowBlocks = order.second() != null;
        int tile = tokenTile(inDim);
        for (int t0 = 0; t0 < n; t0 += tile) {
            int t1 = Math.min(n, t0 + tile);
            int r = r0;
            if (rowBlocks) {
                // ROWS rows at a time: each activation vector loaded feeds every row's FMAs.
                for (; r + ROWS <= r1; r += ROWS) {
                    Arrays.fill(acc, 0, ROWS * TOKEN_TILE * 2 * FL, 0f);
                    long row = r * rowBytes;
                    for (int c = 0; c < inDim; c += chunk) {
                        int len = Math.min(chunk, inDim - c);
                        long at = row + (c / blockSize) * blockBytes;
                        for (int k = 0; k < ROWS; k++) {
                            decoder.decode(w, at + k * rowBytes, len / blockSize, decoded, k * CHUNK);
                        }
                        accumulateRows(order, decoded, len, x, c, inDim, t0, t1, acc);
                    }
                    for (int k = 0; k < ROWS; k++) {
                        finishRow(decoder, w, r + k, rowBytes, blocks, a, order, decoded, k * CHUNK, acc,
                                k * TOKEN_TILE * 2 * FL, lastStart, lastLen, vectorEnd, x, inDim, t0, t1, out, outDim,
                                s);
                    }
                }
            }
            for (; r < r1; r++) {
                Arrays.fill(acc, 0, (t1 - t0) * 2 * FL, 0f);
                long row = r * rowBytes;
                for (int c = 0; c < inDim; c += chunk) {
                    int len = Math.min(chunk, inDim - c);
                    decoder.decode(w, row + (c / blockSize) * blockBytes, len / blockSize, decoded, 0);
                    accumulate(order, run, decoded, len, x, c, inDim, t0, t1, acc);
                }
                finishRow(decoder, w, r, rowBytes, blocks, a, order, decoded, 0, acc, 0, lastStart, lastLen, vectorEnd,
                        x, inDim, t0, t1, out, outDim, s);
            }
        }
    }

    /**
     * Writes row r of tokens [t0, t1): reduces each token's accumulators (at acc[accAt + (t − t0)·2·FL]),
     * then adds the scalar tail from the last chunk (still at decoded[wAt ..]) and, for Q4_1 / Q5_1, the
     * bias term, exactly as the fused dot finishes.
     */
    private static void finishRow(BlockDecoder decoder, MemorySegment w, int r, long rowBytes, int blocks,
            Activations a, DotOrder order, float[] decoded, int wAt, float[] acc, int accAt, int lastStart, int lastLen,
            int vectorEnd, float[] x, int inDim, int t0, int t1, MemorySegment out, int outDim, Scratch s) {
        boolean biasCorrection = a.type == VecDotType.Q8_1;
        if (biasCorrection) {
            loadMins(w, r * rowBytes, decoder.type().blockBytes(), blocks, s.mins);
        }
        for (int t = t0; t < t1; t++) {
            int at = accAt + (t - t0) * 2 * FL;
            FloatVector a0 = FloatVector.fromArray(F, acc, at);
            float sum = Vec.sum(order.second() != null ? a0.add(FloatVector.fromArray(F, acc, at + FL)) : a0);
            int xo = t * inDim + lastStart;
            for (int i = vectorEnd; i < lastLen; i++) {
                sum += decoded[wAt + i] * x[xo + i];
            }
            if (biasCorrection) {
                sum += biasTerm(s.mins, blocks, a, t);
            }
            out.setAtIndex(F32_LE, (long) t * outDim + r, sum);
        }
    }

    /** The bias m of each block of a Q4_1 / Q5_1 row (the f16 at byte 2 of each block). */
    private static void loadMins(MemorySegment w, long row, long blockBytes, int blocks, float[] mins) {
        for (int b = 0; b < blocks; b++) {
            mins[b] = Float.float16ToFloat(w.get(I16_LE, row + b * blockBytes + 2));
        }
    }

    /**
     * Q4_1 / Q5_1: Σ_b m_b·(s_b − d_b·Σq_b) of token t, with the activation's correction from
     * {@code a.sums}; computed the same way for one token and for many.
     */
    private static float biasTerm(float[] mins, int blocks, Activations a, int t) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        int xo = t * blocks;
        for (int bound = blocks - blocks % FL; i < bound; i += FL) {
            acc = FloatVector.fromArray(F, mins, i).fma(FloatVector.fromArray(F, a.sums, xo + i), acc);
        }
        float sum = Vec.sum(acc);
        for (; i < blocks; i++) {
            sum += mins[i] * a.sums[xo + i];
        }
        return sum;
    }

    /**
     * Adds the products of one decoded chunk w[0, len) with tokens [t0, t1) into their accumulators
     * (two FL-vectors per token at acc[(t − t0)·2·FL ..]), in the decoder's dot order.
     */
    static void accumulate(DotOrder order, int run, float[] w, int len, float[] x, int col, int stride, int t0,
            int t1, float[] acc) {
        int full = len - len % order.period();
        int t = t0;
        for (; t + 4 <= t1; t += 4) {
            if (run > 0) {
                alternating4(w, full, run, x, t * stride + col, stride, acc, (t - t0) * 2 * FL);
            } else if (order.second() != null) {
                pairs4(order, w, full, x, t * stride + col, stride, acc, (t - t0) * 2 * FL);
            } else {
                single4(order, w, full, x, t * stride + col, stride, acc, (t - t0) * 2 * FL);
            }
        }
        accumulateTail(order, w, 0, len, full, x, col, stride, t0, t, t1, acc, 0);
    }

    /**
     * accumulate for ROWS rows at once, decoded at w[k·CHUNK ..] with accumulators at
     * acc[k·TOKEN_TILE·2·FL ..]; only for two-accumulator orders. Each row's sums are added in the
     * same order as accumulate adds them (the blocking changes which loads feed which FMAs, nothing else).
     */
    static void accumulateRows(DotOrder order, float[] w, int len, float[] x, int col, int stride, int t0, int t1,
            float[] acc) {
        int full = len - len % order.period();
        int t = t0;
        boolean alternating = order.alternatingRun() == 1;
        for (; t + 3 <= t1; t += 3) {
            if (alternating) {
                alternating4x3(w, full, x, t * stride + col, stride, acc, (t - t0) * 2 * FL);
            } else {
                pairs4x3(order, w, full, x, t * stride + col, stride, acc, (t - t0) * 2 * FL);
            }
        }
        for (; t < t1; t++) {
            pairs4x1(order, w, full, x, t * stride + col, acc, (t - t0) * 2 * FL);
        }
        if (order.vectorTail() && len - full >= FL) {
            // F32's vector tail goes through the one-row path, per row.
            for (int k = 0; k < ROWS; k++) {
                accumulateTail(order, w, k * CHUNK, len, full, x, col, stride, t0, t1, t1, acc,
                        k * TOKEN_TILE * 2 * FL);
            }
        }
    }

    /** The part of accumulate after the groups of four: tokens [rest, t1) whole, then the vector tail of all. */
    private static void accumulateTail(DotOrder order, float[] w, int wAt, int len, int full, float[] x, int col,
            int stride, int t0, int rest, int t1, float[] acc, int accAt) {
        for (int t = rest; t < t1; t++) {
            pairs1(order, w, wAt, full, x, t * stride + col, acc, accAt + (t - t0) * 2 * FL);
        }
        if (order.vectorTail() && len - full >= FL) {
            FloatVector wv = FloatVector.fromArray(F, w, wAt + full);
            for (int t = t0; t < t1; t++) {
                int a = accAt + (t - t0) * 2 * FL;
                wv.fma(FloatVector.fromArray(F, x, t * stride + col + full), FloatVector.fromArray(F, acc, a))
                        .intoArray(acc, a);
            }
        }
    }

    /**
     * Four rows (decoded at w[k·CHUNK ..]) times three tokens, two accumulators each (24 vectors):
     * one load of activations feeds four rows, one load of weights three tokens. Of 1×4, 2×4, 4×2,
     * 3×4 and 4×3 this shape measured fastest on AVX-512: the fewest loads per FMA that still leave
     * the accumulators in registers. Written out by hand-unrolling (no arrays of vectors: C2 would box them).
     */
    private static void pairs4x3(DotOrder order, float[] w, int full, float[] x, int xo, int stride, float[] acc,
            int a) {
        int step = 2 * FL;
        int rs = TOKEN_TILE * 2 * FL;
        FloatVector p00 = FloatVector.fromArray(F, acc, a);
        FloatVector q00 = FloatVector.fromArray(F, acc, a + FL);
        FloatVector p01 = FloatVector.fromArray(F, acc, a + step);
        FloatVector q01 = FloatVector.fromArray(F, acc, a + step + FL);
        FloatVector p02 = FloatVector.fromArray(F, acc, a + 2 * step);
        FloatVector q02 = FloatVector.fromArray(F, acc, a + 2 * step + FL);
        FloatVector p10 = FloatVector.fromArray(F, acc, rs + a);
        FloatVector q10 = FloatVector.fromArray(F, acc, rs + a + FL);
        FloatVector p11 = FloatVector.fromArray(F, acc, rs + a + step);
        FloatVector q11 = FloatVector.fromArray(F, acc, rs + a + step + FL);
        FloatVector p12 = FloatVector.fromArray(F, acc, rs + a + 2 * step);
        FloatVector q12 = FloatVector.fromArray(F, acc, rs + a + 2 * step + FL);
        FloatVector p20 = FloatVector.fromArray(F, acc, 2 * rs + a);
        FloatVector q20 = FloatVector.fromArray(F, acc, 2 * rs + a + FL);
        FloatVector p21 = FloatVector.fromArray(F, acc, 2 * rs + a + step);
        FloatVector q21 = FloatVector.fromArray(F, acc, 2 * rs + a + step + FL);
        FloatVector p22 = FloatVector.fromArray(F, acc, 2 * rs + a + 2 * step);
        FloatVector q22 = FloatVector.fromArray(F, acc, 2 * rs + a + 2 * step + FL);
        FloatVector p30 = FloatVector.fromArray(F, acc, 3 * rs + a);
        FloatVector q30 = FloatVector.fromArray(F, acc, 3 * rs + a + FL);
        FloatVector p31 = FloatVector.fromArray(F, acc, 3 * rs + a + step);
        FloatVector q31 = FloatVector.fromArray(F, acc, 3 * rs + a + step + FL);
        FloatVector p32 = FloatVector.fromArray(F, acc, 3 * rs + a + 2 * step);
        FloatVector q32 = FloatVector.fromArray(F, acc, 3 * rs + a + 2 * step + FL);
        int x1 = xo + stride;
        int x2 = x1 + stride;
        int[] first = order.first();
        int[] second = order.second();
        int period = order.period();
        for (int base = 0; base < full; base += period) {
            for (int i = 0; i < first.length; i++) {
                int op = base + first[i];
                FloatVector x0p = FloatVector.fromArray(F, x, xo + op);
                FloatVector x1p = FloatVector.fromArray(F, x, x1 + op);
                FloatVector x2p = FloatVector.fromArray(F, x, x2 + op);
                FloatVector w0p = FloatVector.fromArray(F, w, op);
                p00 = w0p.fma(x0p, p00);
                p01 = w0p.fma(x1p, p01);
                p02 = w0p.fma(x2p, p02);
                FloatVector w1p = FloatVector.fromArray(F, w, CHUNK + op);
                p10 = w1p.fma(x0p, p10);
                p11 = w1p.fma(x1p, p11);
                p12 = w1p.fma(x2p, p12);
                FloatVector w2p = FloatVector.fromArray(F, w, 2 * CHUNK + op);
                p20 = w2p.fma(x0p, p20);
                p21 = w2p.fma(x1p, p21);
                p22 = w2p.fma(x2p, p22);
                FloatVector w3p = FloatVector.fromArray(F, w, 3 * CHUNK + op);
                p30 = w3p.fma(x0p, p30);
                p31 = w3p.fma(x1p, p31);
                p32 = w3p.fma(x2p, p32);
                int oq = base + second[i];
                FloatVector x0q = FloatVector.fromArray(F, x, xo + oq);
                FloatVector x1q = FloatVector.fromArray(F, x, x1 + oq);
                FloatVector x2q = FloatVector.fromArray(F, x, x2 + oq);
                FloatVector w0q = FloatVector.fromArray(F, w, oq);
                q00 = w0q.fma(x0q, q00);
                q01 = w0q.fma(x1q, q01);
                q02 = w0q.fma(x2q, q02);
                FloatVector w1q = FloatVector.fromArray(F, w, CHUNK + oq);
                q10 = w1q.fma(x0q, q10);
                q11 = w1q.fma(x1q, q11);
                q12 = w1q.fma(x2q, q12);
                FloatVector w2q = FloatVector.fromArray(F, w, 2 * CHUNK + oq);
                q20 = w2q.fma(x0q, q20);
                q21 = w2q.fma(x1q, q21);
                q22 = w2q.fma(x2q, q22);
                FloatVector w3q = FloatVector.fromArray(F, w, 3 * CHUNK + oq);
                q30 = w3q.fma(x0q, q30);
                q31 = w3q.fma(x1q, q31);
                q32 = w3q.fma(x2q, q32);
            }
        }
        p00.intoArray(acc, a);
        q00.intoArray(acc, a + FL);
        p01.intoArray(acc, a + step);
        q01.intoArray(acc, a + step + FL);
        p02.intoArray(acc, a + 2 * step);
        q02.intoArray(acc, a + 2 * step + FL);
        p10.intoArray(acc, rs + a);
        q10.intoArray(acc, rs + a + FL);
        p11.intoArray(acc, rs + a + step);
        q11.intoArray(acc, rs + a + step + FL);
        p12.intoArray(acc, rs + a + 2 * step);
        q12.intoArray(acc, rs + a + 2 * step + FL);
        p20.intoArray(acc, 2 * rs + a);
        q20.intoArray(acc, 2 * rs + a + FL);
        p21.intoArray(acc, 2 * rs + a + step);
        q21.intoArray(acc, 2 * rs + a + step + FL);
        p22.intoArray(acc, 2 * rs + a + 2 * step);
        q22.intoArray(acc, 2 * rs + a + 2 * step + FL);
        p30.intoArray(acc, 3 * rs + a);
        q30.intoArray(acc, 3 * rs + a + FL);
        p31.intoArray(acc, 3 * rs + a + step);
        q31.intoArray(acc, 3 * rs + a + step + FL);
        p32.intoArray(acc, 3 * rs + a + 2 * step);
        q32.intoArray(acc, 3 * rs + a + 2 * step + FL);
    }

    /**
     * pairs4x3 for the plain alternating order (DotOrder.alternatingRun() == 1: vector 2j into the
     * first accumulators, 2j + 1 into the second; F32, BF16 and, on 16-lane machines, every 32-element
     * block type). The offsets are the loop counter itself instead of entries of the order's tables,
     * so C2 checks the array bounds once per call instead of at each of the 14 loads per step: 64-81 →
     * 91-94 GFLOP/s for this kernel alone on one core (4 rows × 30 tokens × 2048, L2-resident). A run
     * length passed as a parameter, with an inner loop over the run, measured slower than the tables
     * (36-56), so the other orders keep pairs4x3.
     */
    private static void alternating4x3(float[] w, int full, float[] x, int xo, int stride, float[] acc, int a) {
        int step = 2 * FL;
        int rs = TOKEN_TILE * 2 * FL;
        FloatVector p00 = FloatVector.fromArray(F, acc, a);
        FloatVector q00 = FloatVector.fromArray(F, acc, a + FL);
        FloatVector p01 = FloatVector.fromArray(F, acc, a + step);
        FloatVector q01 = FloatVector.fromArray(F, acc, a + step + FL);
        FloatVector p02 = FloatVector.fromArray(F, acc, a + 2 * step);
        FloatVector q02 = FloatVector.fromArray(F, acc, a + 2 * step + FL);
        FloatVector p10 = FloatVector.fromArray(F, acc, rs + a);
        FloatVector q10 = FloatVector.fromArray(F, acc, rs + a + FL);
        FloatVector p11 = FloatVector.fromArray(F, acc, rs + a + step);
        FloatVector q11 = FloatVector.fromArray(F, acc, rs + a + step + FL);
        FloatVector p12 = FloatVector.fromArray(F, acc, rs + a + 2 * step);
        FloatVector q12 = FloatVector.fromArray(F, acc, rs + a + 2 * step + FL);
        FloatVector p20 = FloatVector.fromArray(F, acc, 2 * rs + a);
        FloatVector q20 = FloatVector.fromArray(F, acc, 2 * rs + a + FL);
        FloatVector p21 = FloatVector.fromArray(F, acc, 2 * rs + a + step);
        FloatVector q21 = FloatVector.fromArray(F, acc, 2 * rs + a + step + FL);
        FloatVector p22 = FloatVector.fromArray(F, acc, 2 * rs + a + 2 * step);
        FloatVector q22 = FloatVector.fromArray(F, acc, 2 * rs + a + 2 * step + FL);
        FloatVector p30 = FloatVector.fromArray(F, acc, 3 * rs + a);
        FloatVector q30 = FloatVector.fromArray(F, acc, 3 * rs + a + FL);
        FloatVector p31 = FloatVector.fromArray(F, acc, 3 * rs + a + step);
        FloatVector q31 = FloatVector.fromArray(F, acc, 3 * rs + a + step + FL);
        FloatVector p32 = FloatVector.fromArray(F, acc, 3 * rs + a + 2 * step);
        FloatVector q32 = FloatVector.fromArray(F, acc, 3 * rs + a + 2 * step + FL);
        int x1 = xo + stride;
        int x2 = x1 + stride;
        for (int op = 0; op < full; op += 2 * FL) {
            FloatVector x0p = FloatVector.fromArray(F, x, xo + op);
            FloatVector x1p = FloatVector.fromArray(F, x, x1 + op);
            FloatVector x2p = FloatVector.fromArray(F, x, x2 + op);
            FloatVector w0p = FloatVector.fromArray(F, w, op);
            p00 = w0p.fma(x0p, p00);
            p01 = w0p.fma(x1p, p01);
            p02 = w0p.fma(x2p, p02);
            FloatVector w1p = FloatVector.fromArray(F, w, CHUNK + op);
            p10 = w1p.fma(x0p, p10);
            p11 = w1p.fma(x1p, p11);
            p12 = w1p.fma(x2p, p12);
            FloatVector w2p = FloatVector.fromArray(F, w, 2 * CHUNK + op);
            p20 = w2p.fma(x0p, p20);
            p21 = w2p.fma(x1p, p21);
            p22 = w2p.fma(x2p, p22);
            FloatVector w3p = FloatVector.fromArray(F, w, 3 * CHUNK + op);
            p30 = w3p.fma(x0p, p30);
            p31 = w3p.fma(x1p, p31);
            p32 = w3p.fma(x2p, p32);
            int oq = op + FL;
            FloatVector x0q = FloatVector.fromArray(F, x, xo + oq);
            FloatVector x1q = FloatVector.fromArray(F, x, x1 + oq);
            FloatVector x2q = FloatVector.fromArray(F, x, x2 + oq);
            FloatVector w0q = FloatVector.fromArray(F, w, oq);
            q00 = w0q.fma(x0q, q00);
            q01 = w0q.fma(x1q, q01);
            q02 = w0q.fma(x2q, q02);
            FloatVector w1q = FloatVector.fromArray(F, w, CHUNK + oq);
            q10 = w1q.fma(x0q, q10);
            q11 = w1q.fma(x1q, q11);
            q12 = w1q.fma(x2q, q12);
            FloatVector w2q = FloatVector.fromArray(F, w, 2 * CHUNK + oq);
            q20 = w2q.fma(x0q, q20);
            q21 = w2q.fma(x1q, q21);
            q22 = w2q.fma(x2q, q22);
            FloatVector w3q = FloatVector.fromArray(F, w, 3 * CHUNK + oq);
            q30 = w3q.fma(x0q, q30);
            q31 = w3q.fma(x1q, q31);
            q32 = w3q.fma(x2q, q32);
        }
        p00.intoArray(acc, a);
        q00.intoArray(acc, a + FL);
        p01.intoArray(acc, a + step);
        q01.intoArray(acc, a + step + FL);
        p02.intoArray(acc, a + 2 * step);
        q02.intoArray(acc, a + 2 * step + FL);
        p10.intoArray(acc, rs + a);
        q10.intoArray(acc, rs + a + FL);
        p11.intoArray(acc, rs + a + step);
        q11.intoArray(acc, rs + a + step + FL);
        p12.intoArray(acc, rs + a + 2 * step);
        q12.intoArray(acc, rs + a + 2 * step + FL);
        p20.intoArray(acc, 2 * rs + a);
        q20.intoArray(acc, 2 * rs + a + FL);
        p21.intoArray(acc, 2 * rs + a + step);
        q21.intoArray(acc, 2 * rs + a + step + FL);
        p22.intoArray(acc, 2 * rs + a + 2 * step);
        q22.intoArray(acc, 2 * rs + a + 2 * step + FL);
        p30.intoArray(acc, 3 * rs + a);
        q30.intoArray(acc, 3 * rs + a + FL);
        p31.intoArray(acc, 3 * rs + a + step);
        q31.intoArray(acc, 3 * rs + a + step + FL);
        p32.intoArray(acc, 3 * rs + a + 2 * step);
        q32.intoArray(acc, 3 * rs + a + 2 * step + FL);
    }

    /** pairs4x3 for one token: the tokens left over when a tile is not a multiple of three. */
    private static void pairs4x1(DotOrder order, float[] w, int full, float[] x, int xo, float[] acc, int a) {
        int rs = TOKEN_TILE * 2 * FL;
        FloatVector p00 = FloatVector.fromArray(F, acc, a);
        FloatVector q00 = FloatVector.fromArray(F, acc, a + FL);
        FloatVector p10 = FloatVector.fromArray(F, acc, rs + a);
        FloatVector q10 = FloatVector.fromArray(F, acc, rs + a + FL);
        FloatVector p20 = FloatVector.fromArray(F, acc, 2 * rs + a);
        FloatVector q20 = FloatVector.fromArray(F, acc, 2 * rs + a + FL);
        FloatVector p30 = FloatVector.fromArray(F, acc, 3 * rs + a);
        FloatVector q30 = FloatVector.fromArray(F, acc, 3 * rs + a + FL);
        int[] first = order.first();
        int[] second = order.second();
        int period = order.period();
        for (int base = 0; base < full; base += period) {
            for (int i = 0; i < first.length; i++) {
                int op = base + first[i];
                FloatVector x0p = FloatVector.fromArray(F, x, xo + op);
                FloatVector w0p = FloatVector.fromArray(F, w, op);
                p00 = w0p.fma(x0p, p00);
                FloatVector w1p = FloatVector.fromArray(F, w, CHUNK + op);
                p10 = w1p.fma(x0p, p10);
                FloatVector w2p = FloatVector.fromArray(F, w, 2 * CHUNK + op);
                p20 = w2p.fma(x0p, p20);
                FloatVector w3p = FloatVector.fromArray(F, w, 3 * CHUNK + op);
                p30 = w3p.fma(x0p, p30);
                int oq = base + second[i];
                FloatVector x0q = FloatVector.fromArray(F, x, xo + oq);
                FloatVector w0q = FloatVector.fromArray(F, w, oq);
                q00 = w0q.fma(x0q, q00);
                FloatVector w1q = FloatVector.fromArray(F, w, CHUNK + oq);
                q10 = w1q.fma(x0q, q10);
                FloatVector w2q = FloatVector.fromArray(F, w, 2 * CHUNK + oq);
                q20 = w2q.fma(x0q, q20);
                FloatVector w3q = FloatVector.fromArray(F, w, 3 * CHUNK + oq);
                q30 = w3q.fma(x0q, q30);
            }
        }
        p00.intoArray(acc, a);
        q00.intoArray(acc, a + FL);
        p10.intoArray(acc, rs + a);
        q10.intoArray(acc, rs + a + FL);
        p20.intoArray(acc, 2 * rs + a);
        q20.intoArray(acc, 2 * rs + a + FL);
        p30.intoArray(acc, 3 * rs + a);
        q30.intoArray(acc, 3 * rs + a + FL);
    }

    /** One token: its accumulators (a1 unused without a second) fed w[0, full) in the dot's order. */
    private static void pairs1(DotOrder order, float[] w, int wAt, int full, float[] x, int xo, float[] acc, int a) {
        FloatVector a0 = FloatVector.fromArray(F, acc, a);
        FloatVector a1 = FloatVector.fromArray(F, acc, a + FL);
        int[] first = order.first();
        int[] second = order.second();
        int period = order.period();
        for (int base = 0; base < full; base += period) {
            for (int i = 0; i < first.length; i++) {
                int o = base + first[i];
                a0 = FloatVector.fromArray(F, w, wAt + o).fma(FloatVector.fromArray(F, x, xo + o), a0);
                if (second != null) {
                    int o2 = base + second[i];
                    a1 = FloatVector.fromArray(F, w, wAt + o2).fma(FloatVector.fromArray(F, x, xo + o2), a1);
                }
            }
        }
        a0.intoArray(acc, a);
        a1.intoArray(acc, a + FL);
    }

    /** Four tokens (x rows xo, xo+stride, ...) with two accumulators each; one load of w feeds four FMAs. */
    private static void pairs4(DotOrder order, float[] w, int full, float[] x, int xo, int stride, float[] acc,
            int a) {
        int step = 2 * FL;
        FloatVector p0 = FloatVector.fromArray(F, acc, a);
        FloatVector q0 = FloatVector.fromArray(F, acc, a + FL);
        FloatVector p1 = FloatVector.fromArray(F, acc, a + step);
        FloatVector q1 = FloatVector.fromArray(F, acc, a + step + FL);
        FloatVector p2 = FloatVector.fromArray(F, acc, a + 2 * step);
        FloatVector q2 = FloatVector.fromArray(F, acc, a + 2 * step + FL);
        FloatVector p3 = FloatVector.fromArray(F, acc, a + 3 * step);
        FloatVector q3 = FloatVector.fromArray(F, acc, a + 3 * step + FL);
        int x1 = xo + stride;
        int x2 = x1 + stride;
        int x3 = x2 + stride;
        int[] first = order.first();
        int[] second = order.second();
        int period = order.period();
        for (int base = 0; base < full; base += period) {
            for (int i = 0; i < first.length; i++) {
                int o = base + first[i];
                FloatVector wv = FloatVector.fromArray(F, w, o);
                p0 = wv.fma(FloatVector.fromArray(F, x, xo + o), p0);
                p1 = wv.fma(FloatVector.fromArray(F, x, x1 + o), p1);
                p2 = wv.fma(FloatVector.fromArray(F, x, x2 + o), p2);
                p3 = wv.fma(FloatVector.fromArray(F, x, x3 + o), p3);
                o = base + second[i];
                wv = FloatVector.fromArray(F, w, o);
                q0 = wv.fma(FloatVector.fromArray(F, x, xo + o), q0);
                q1 = wv.fma(FloatVector.fromArray(F, x, x1 + o), q1);
                q2 = wv.fma(FloatVector.fromArray(F, x, x2 + o), q2);
                q3 = wv.fma(FloatVector.fromArray(F, x, x3 + o), q3);
            }
        }
        p0.intoArray(acc, a);
        q0.intoArray(acc, a + FL);
        p1.intoArray(acc, a + step);
        q1.intoArray(acc, a + step + FL);
        p2.intoArray(acc, a + 2 * step);
        q2.intoArray(acc, a + 2 * step + FL);
        p3.intoArray(acc, a + 3 * step);
        q3.intoArray(acc, a + 3 * step + FL);
    }

    /**
     * pairs4 for an order of alternating runs: {@code run} vectors into the first accumulators, the
     * next {@code run} into the second, and so on.
     */
    private static void alternating4(float[] w, int full, int run, float[] x, int xo, int stride, float[] acc,
            int a) {
        int step = 2 * FL;
        FloatVector p0 = FloatVector.fromArray(F, acc, a);
        FloatVector q0 = FloatVector.fromArray(F, acc, a + FL);
        FloatVector p1 = FloatVector.fromArray(F, acc, a + step);
        FloatVector q1 = FloatVector.fromArray(F, acc, a + step + FL);
        FloatVector p2 = FloatVector.fromArray(F, acc, a + 2 * step);
        FloatVector q2 = FloatVector.fromArray(F, acc, a + 2 * step + FL);
        FloatVector p3 = FloatVector.fromArray(F, acc, a + 3 * step);
        FloatVector q3 = FloatVector.fromArray(F, acc, a + 3 * step + FL);
        int x1 = xo + stride;
        int x2 = x1 + stride;
        int x3 = x2 + stride;
        int half = run * FL;
        for (int base = 0; base < full; base += 2 * half) {
            for (int o = base; o < base + half; o += FL) {
                FloatVector wv = FloatVector.fromArray(F, w, o);
                p0 = wv.fma(FloatVector.fromArray(F, x, xo + o), p0);
                p1 = wv.fma(FloatVector.fromArray(F, x, x1 + o), p1);
                p2 = wv.fma(FloatVector.fromArray(F, x, x2 + o), p2);
                p3 = wv.fma(FloatVector.fromArray(F, x, x3 + o), p3);
                int o2 = o + half;
                FloatVector wv2 = FloatVector.fromArray(F, w, o2);
                q0 = wv2.fma(FloatVector.fromArray(F, x, xo + o2), q0);
                q1 = wv2.fma(FloatVector.fromArray(F, x, x1 + o2), q1);
                q2 = wv2.fma(FloatVector.fromArray(F, x, x2 + o2), q2);
                q3 = wv2.fma(FloatVector.fromArray(F, x, x3 + o2), q3);
            }
        }
        p0.intoArray(acc, a);
        q0.intoArray(acc, a + FL);
        p1.intoArray(acc, a + step);
        q1.intoArray(acc, a + step + FL);
        p2.intoArray(acc, a + 2 * step);
        q2.intoArray(acc, a + 2 * step + FL);
        p3.intoArray(acc, a + 3 * step);
        q3.intoArray(acc, a + 3 * step + FL);
    }

    /** Four tokens with one accumulator each (F16's dot). */
    private static void single4(DotOrder order, float[] w, int full, float[] x, int xo, int stride, float[] acc,
            int a) {
        int step = 2 * FL;
        FloatVector p0 = FloatVector.fromArray(F, acc, a);
        FloatVector p1 = FloatVector.fromArray(F, acc, a + step);
        FloatVector p2 = FloatVector.fromArray(F, acc, a + 2 * step);
        FloatVector p3 = FloatVector.fromArray(F, acc, a + 3 * step);
        int x1 = xo + stride;
        int x2 = x1 + stride;
        int x3 = x2 + stride;
        int[] first = order.first();
        int period = order.period();
        for (int base = 0; base < full; base += period) {
            for (int i = 0; i < first.length; i++) {
                int o = base + first[i];
                FloatVector wv = FloatVector.fromArray(F, w, o);
                p0 = wv.fma(FloatVector.fromArray(F, x, xo + o), p0);
                p1 = wv.fma(FloatVector.fromArray(F, x, x1 + o), p1);
                p2 = wv.fma(FloatVector.fromArray(F, x, x2 + o), p2);
                p3 = wv.fma(FloatVector.fromArray(F, x, x3 + o), p3);
            }
        }
        p0.intoArray(acc, a);
        p1.intoArray(acc, a + step);
        p2.intoArray(acc, a + 2 * step);
        p3.intoArray(acc, a + 3 * step);
    }
}
