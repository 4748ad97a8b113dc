/*
 * The few C float operations ggml's reference quantizers use whose Java spelling differs: C's roundf,
 * and C's float → integer conversion as llama.cpp's x86-64 build compiles it. Tested through the
 * quantizers (LlamaCppQuantizeTest's edge set covers NaN, infinities and overflowing scales) and
 * directly in CFloatTest.
 */
package dev.vireo.tensor.quant;

/** C float semantics needed to reproduce ggml's quantizers exactly. */
final class CFloat {
    private CFloat() {}

    /**
     * C's roundf: nearest integer, halfway cases away from zero (Math.round rounds them up, so
     * −2.5 → −2 where roundf gives −3). NaN, infinities and values already integral come back as is;
     * the sign of zero is kept.
     */
    static float roundf(float x) {
        if (!(Math.abs(x) < 0x1p23f)) {
            return x; // NaN, infinite, or so large every float is an integer
        }
        // |x| < 2^23: |x| + 0.5 is exact in double (24-bit significand plus one bit), so floor is exact.
        double r = Math.floor(Math.abs((double) x) + 0.5);
        return Math.copySign((float) r, x);
    }

    /**
     * A C cast of a float to an integer type, as x86-64 executes it (cvttss2si / cvttps2dq): truncate
     * toward zero; NaN and values outside the int range give 0x80000000. Narrower C targets
     * (int8_t, uint8_t) then keep the low bits, so callers cast the result to byte. C leaves the
     * out-of-range cases undefined; ggml hits them only for inputs llama-quantize rejects (NaN,
     * infinities, scales whose reciprocal overflows), and there this reproduces what llama.cpp's
     * x86-64 build stores.
     */
    static int cvtt(float x) {
        if (!(x >= -0x1p31f && x < 0x1p31f)) {
            return Integer.MIN_VALUE;
        }
        return (int) x;
    }
}
