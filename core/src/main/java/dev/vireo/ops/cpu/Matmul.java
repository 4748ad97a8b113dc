/*
 * The matmul kernel of the CPU backend: out[t, o] for a block of output rows, as Ops.matmul defines
 * it. The activations arrive converted to the weight's vec_dot type (Activations); weights are never
 * dequantized as a whole but read from the (mapped) segment block by block.
 *
 * One token (the decode step), quantized weights: integer block dot products (QuantDot), the codes
 * of each weight block multiplied with the activation's codes as ggml's vec_dot does.
 *
 * Several tokens (prefill), and float weights: each weight row is decoded a chunk at a time (CHUNK
 * floats = 4 KB, L1-resident) and that chunk is FMA'd against every token of the current tile
 * before the next chunk is decoded, the token loop unrolled by 4 so one load of decoded weights
 * feeds four sums. Quantized activations come dequantized (d·q), so this computes the same sum of
 * block terms, Σ (d_w·c)·(d_x·q), grouped by value instead of by block: on the Vector API four float
 * FMAs per decoded vector beat the integer path, which needs about eight operations per token and
 * 32 values (no int8/int16 dot-product instruction is reachable from Java), by some 3×. For Q4_1 and
 * Q5_1 the decoded weights carry the bias m, whose term ggml takes as m·s from the activation's
 * stored s: the difference Σ_b m_b·(s_b − d_b·Σq_b) is added per token. A weight block is read and
 * decoded once per TOKEN_TILE tokens: the tile bounds the activations revisited per row to 32 rows
 * (L2), and at 32 tokens the FMAs per weight outweigh one more decode by more than ten to one.
 * One token with float weights uses the type's fused BlockDecoder.dot: every block decoded into
 * registers and FMA'd against the activation at once.
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
import jdk.incubator.vector.VectorOperators;

/** Row-block matmul over decoded weight chunks. */
final class Matmul {
    private Matmul() {}

    /** Floats of a weight row decoded at a time: a multiple of every block size (256). */
    static final int CHUNK = 1024;
    /** Tokens whose activations share one decoded chunk (32 rows of 4 KB chunks: 128 KB, L2). */
    static final int TOKEN_TILE = 32;

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
        if (n == 1 && !decoder.type().isQuantized()) {
            // One token (decoding): each weight is used once, so fuse decode and FMA in registers.
            for (int r = r0; r < r1; r++) {
                out.setAtIndex(F32_LE, r, decoder.dot(w, r * rowBytes, blocks, x, 0));
            }
            return;
        }
        long blockBytes = decoder.type().blockBytes();
        int chunk = Math.min(CHUNK, inDim);
        float[] decoded = s.weights;
        float[] sums = s.sums;
        boolean biasCorrection = a.type == VecDotType.Q8_1;
        if (biasCorrection) {
            s.mins = Scratch.grow(s.mins, blocks);
        }
        for (int t0 = 0; t0 < n; t0 += TOKEN_TILE) {
            int t1 = Math.min(n, t0 + TOKEN_TILE);
            for (int r = r0; r < r1; r++) {
                Arrays.fill(sums, 0, t1 - t0, 0f);
                long row = r * rowBytes;
                for (int c = 0; c < inDim; c += chunk) {
                    int len = Math.min(chunk, inDim - c);
                    decoder.decode(w, row + (c / blockSize) * blockBytes, len / blockSize, decoded, 0);
                    dots(decoded, len, x, c, inDim, t0, t1, sums);
                }
                if (biasCorrection) {
                    // Q4_1 / Q5_1: m (the f16 at byte 2 of each block) times the activation's s − d·Σq.
                    for (int b = 0; b < blocks; b++) {
                        s.mins[b] = Float.float16ToFloat(w.get(I16_LE, row + b * blockBytes + 2));
                    }
                    for (int t = t0; t < t1; t++) {
                        sums[t - t0] += dot(s.mins, 0, a.sums, t * blocks, blocks);
                    }
                }
                for (int t = t0; t < t1; t++) {
                    out.setAtIndex(F32_LE, (long) t * outDim + r, sums[t - t0]);
                }
            }
        }
    }

    /** sums[t − t0] += w[0, len) · x[t·stride + col ..] for tokens t in [t0, t1). */
    static void dots(float[] w, int len, float[] x, int col, int stride, int t0, int t1, float[] sums) {
        int t = t0;
        for (; t + 4 <= t1; t += 4) {
            dot4(w, len, x, t * stride + col, stride, sums, t - t0);
        }
        for (; t < t1; t++) {
            sums[t - t0] += dot(w, 0, x, t * stride + col, len);
        }
    }

    /** w[wo, wo+len) · x[xo, xo+len); four accumulators keep four FMAs in flight (FMA latency ≈ 4). */
    static float dot(float[] w, int wo, float[] x, int xo, int len) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int i = 0;
        for (int bound = len - len % (4 * FL); i < bound; i += 4 * FL) {
            a0 = FloatVector.fromArray(F, w, wo + i).fma(FloatVector.fromArray(F, x, xo + i), a0);
            a1 = FloatVector.fromArray(F, w, wo + i + FL).fma(FloatVector.fromArray(F, x, xo + i + FL), a1);
            a2 = FloatVector.fromArray(F, w, wo + i + 2 * FL).fma(FloatVector.fromArray(F, x, xo + i + 2 * FL), a2);
            a3 = FloatVector.fromArray(F, w, wo + i + 3 * FL).fma(FloatVector.fromArray(F, x, xo + i + 3 * FL), a3);
        }
        for (int bound = len - len % FL; i < bound; i += FL) {
            a0 = FloatVector.fromArray(F, w, wo + i).fma(FloatVector.fromArray(F, x, xo + i), a0);
        }
        float sum = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            sum += w[wo + i] * x[xo + i];
        }
        return sum;
    }

    /** Four tokens (x rows xo, xo+stride, ...) against one decoded chunk; adds into sums[s0 .. s0+3]. */
    private static void dot4(float[] w, int len, float[] x, int xo, int stride, float[] sums, int s0) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F);
        int x1 = xo + stride;
        int x2 = x1 + stride;
        int x3 = x2 + stride;
        int i = 0;
        for (int bound = len - len % FL; i < bound; i += FL) {
            FloatVector wv = FloatVector.fromArray(F, w, i);
            a0 = wv.fma(FloatVector.fromArray(F, x, xo + i), a0);
            a1 = wv.fma(FloatVector.fromArray(F, x, x1 + i), a1);
            a2 = wv.fma(FloatVector.fromArray(F, x, x2 + i), a2);
            a3 = wv.fma(FloatVector.fromArray(F, x, x3 + i), a3);
        }
        float s0v = a0.reduceLanes(VectorOperators.ADD);
        float s1v = a1.reduceLanes(VectorOperators.ADD);
        float s2v = a2.reduceLanes(VectorOperators.ADD);
        float s3v = a3.reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            s0v += w[i] * x[xo + i];
            s1v += w[i] * x[x1 + i];
            s2v += w[i] * x[x2 + i];
            s3v += w[i] * x[x3 + i];
        }
        sums[s0] += s0v;
        sums[s0 + 1] += s1v;
        sums[s0 + 2] += s2v;
        sums[s0 + 3] += s3v;
    }
}
