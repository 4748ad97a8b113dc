/*
 * Reference encoding to Q8_0 and Q4_0, following quantize_row_q8_0_ref and quantize_row_q4_0_ref in
 * ggml-quants.c (what llama-quantize runs for these types when no importance matrix is given) step by
 * step in float arithmetic: where the scale's reciprocal is taken, roundf versus truncation, the order
 * of the comparisons that pick the block maximum. libggml-base is compiled without FMA, so nothing is
 * contracted and Java's separately rounded float operations match it.
 * Tested by LlamaCppQuantizeTest (bytes equal llama-quantize's) and QuantRoundTripTest (error bounds).
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Quantizers for the 32-element block types Vireo writes. */
final class LegacyQuantizers {
    private LegacyQuantizers() {}

    /** Q8_0: d = amax/127 (stored as f16), q = roundf(x · (1/d)) with the float reciprocal, not the f16 one. */
    static final BlockQuantizer Q8_0 = new BlockEncoder(DType.Q8_0) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            float amax = 0.0f;
            for (int j = 0; j < 32; j++) {
                float v = Math.abs(x[xo + j]);
                // ggml's MAX(a, b) is (a > b ? a : b): a NaN replaces the running maximum, and the next
                // value replaces the NaN. Math.max would keep the NaN.
                amax = amax > v ? amax : v;
            }
            float d = amax / 127;
            float id = d != 0.0f ? 1.0f / d : 0.0f;
            Bytes.put16(dst, off, GgmlFloats.toF16(d));
            for (int j = 0; j < 32; j++) {
                Bytes.put8(dst, off + 2 + j, CFloat.cvtt(CFloat.roundf(x[xo + j] * id)));
            }
        }
    };

    /**
     * Q4_0: the scale comes from the signed value of largest magnitude (the first one on a tie), d =
     * max/−8, so that value encodes as code 0 (−8·d) and the other side reaches +7·d; codes are
     * min(15, (int8_t)(x/d + 8.5f)): a truncation of a float sum, not a rounding.
     */
    static final BlockQuantizer Q4_0 = new BlockEncoder(DType.Q4_0) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            float amax = 0.0f;
            float max = 0.0f;
            for (int j = 0; j < 32; j++) {
                float v = x[xo + j];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0.0f ? 1.0f / d : 0.0f;
            Bytes.put16(dst, off, GgmlFloats.toF16(d));
            for (int j = 0; j < 16; j++) {
                int lo = code(x[xo + j] * id);
                int hi = code(x[xo + 16 + j] * id);
                // uint8 lo | (uint8 hi << 4), truncated to a byte, exactly as ggml stores it.
                Bytes.put8(dst, off + 2 + j, (lo & 0xFF) | ((hi & 0xFF) << 4));
            }
        }

        /** MIN(15, (int8_t)(v + 8.5f)); for finite inputs this is always 0..15. */
        private static int code(float v) {
            return Math.min(15, (byte) CFloat.cvtt(v + 8.5f));
        }
    };
}
