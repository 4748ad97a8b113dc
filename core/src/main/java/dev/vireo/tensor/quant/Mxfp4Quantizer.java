/*
 * Reference encoding to ggml's MXFP4 block, following quantize_row_mxfp4_ref in ggml-quants.c:
 *   e = (uint8_t)(floorf(log2f(amax)) − 2 + 127), 0 for an all-zero block;
 *   each value takes the E2M1 code whose doubled value k times d = 2^(e−128) is nearest by the float
 *   error |k·d − x|, the lowest code winning ties: an exact midpoint goes to the smaller magnitude,
 *   and zero is always code 0 (+0), never code 8.
 * The exponent uses libm's log2f, which rounds up to the next integer for values a few ulps below a
 * power of two (e.g. just under 2^8 or 2^-64): floorLog2f reproduces that rounding. Below 2^-125 the
 * C cast to uint8_t wraps around (e = 255, 254, ...), as the x86-64 build computes it.
 * Tested by LlamaCppQuantizeTest (bytes, against llama-quantize and ggml_quantize_chunk) and
 * GgmlFloatsTest (floorLog2f against libm's thresholds in conversions.txt).
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Quantizer for {@link DType#MXFP4} in ggml's 17-byte block layout. */
final class Mxfp4Quantizer extends BlockEncoder {
    private static final double LN2 = 0.6931471805599453;

    Mxfp4Quantizer() {
        super(DType.MXFP4);
    }

    @Override
    void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
        float amax = 0.0f;
        for (int j = 0; j < 32; j++) {
            if (amax < Math.abs(x[xo + j])) {
                amax = Math.abs(x[xo + j]);
            }
        }
        int e = amax > 0.0f ? CFloat.cvtt(floorLog2f(amax) - 2 + 127) & 0xFF : 0;
        float d = Mxfp4Codec.halfScale(e);
        Bytes.put8(dst, off, e);
        for (int j = 0; j < 16; j++) {
            int lo = nearestCode(x[xo + j], d);
            int hi = nearestCode(x[xo + 16 + j], d);
            Bytes.put8(dst, off + 1 + j, lo | (hi << 4));
        }
    }

    /** ggml's best_index_mxfp4: the first code with the smallest float error |k·d − x|. */
    private static int nearestCode(float x, float d) {
        int best = 0;
        float bestErr = Math.abs(Mxfp4Codec.DOUBLED_E2M1[0] * d - x);
        for (int i = 1; i < 16; i++) {
            float err = Math.abs(Mxfp4Codec.DOUBLED_E2M1[i] * d - x);
            if (err < bestErr) {
                best = i;
                bestErr = err;
            }
        }
        return best;
    }

    /**
     * floorf(log2f(x)) for x > 0 as glibc computes it: log2f returns the float nearest to log2(x), so
     * for x in [2^E, 2^(E+1)) the result is E+1 when log2(x) lies within half an ulp (of E+1) below
     * E+1, and E otherwise. log2(x) = E + log2(m) with m in [1, 2) is evaluated in double (error far
     * below a float ulp) and rounded to float once. Infinity gives infinity.
     */
    static float floorLog2f(float x) {
        if (x == Float.POSITIVE_INFINITY) {
            return x;
        }
        int bits = Float.floatToRawIntBits(x);
        int exp;
        double m;
        if (bits < 0x0080_0000) {
            // Subnormal: value = bits · 2^-149, with its top set bit giving the exponent.
            exp = 31 - Integer.numberOfLeadingZeros(bits) - 149;
            m = Math.scalb((double) bits, -149 - exp);
        } else {
            exp = Math.getExponent(x);
            m = 1.0 + (bits & 0x007F_FFFF) * 0x1p-23;
        }
        float log2 = (float) (exp + StrictMath.log(m) / LN2);
        return log2 >= exp + 1 ? exp + 1 : exp;
    }
}
