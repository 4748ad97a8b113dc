/*
 * The few C float operations ggml's quantizers use whose Java spelling differs: C's roundf, C's
 * float → integer conversion as llama.cpp's x86-64 build compiles it, and the x86 SIMD operations
 * of the CPU backend's activation quantizers (MAXPS, CVTPS2DQ, the saturating packs). Tested through
 * the quantizers (LlamaCppQuantizeTest's edge set covers NaN, infinities and overflowing scales;
 * ActivationQuantizersTest compares with ggml's CPU backend) and directly in CFloatTest.
 */
package dev.vireo.tensor.quant;

/** C and x86 float semantics needed to reproduce ggml's quantizers exactly. */
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

    /**
     * x86's MAXPS / MAXSS lane operation {@code (a > b) ? a : b}: when either is NaN, or both are
     * zeros of either sign, the second operand wins. (Math.max would return the NaN.)
     */
    static float maxps(float a, float b) {
        return a > b ? a : b;
    }

    /** The absolute value as ANDNPS with the sign mask computes it: the sign bit cleared, NaN payloads kept. */
    static float andnotSign(float x) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0x7FFF_FFFF);
    }

    /**
     * CVTPS2DQ under the default MXCSR: round to nearest, ties to even; NaN and values outside the
     * int range give the "integer indefinite" 0x80000000.
     */
    static int cvtps2dq(float x) {
        if (!(x >= -0x1p31f && x < 0x1p31f)) {
            return Integer.MIN_VALUE;
        }
        return (int) Math.rint(x);
    }

    /** PACKSSDW then PACKSSWB of one lane: an int saturated to int16, then to int8. */
    static byte saturateToByte(int v) {
        return (byte) Math.clamp(v, -128, 127);
    }
}
