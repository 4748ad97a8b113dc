/*
 * ggml's scalar conversions between F32 and its 16-bit float types, bit for bit: ggml-impl.h's
 * ggml_compute_fp32_to_fp16 / ggml_compute_fp16_to_fp32 and ggml_compute_fp32_to_bf16 (the ones
 * ggml_quantize_chunk and the dequantizers use in libggml-base).
 * Tested by GgmlFloatsTest: fixed edge cases, and fingerprints of ggml's own conversions over every
 * float bit pattern recorded in core/src/test/resources/quant/conversions.txt.
 */
package dev.vireo.tensor.quant;

/** F32 ↔ F16 / BF16 conversions that round exactly as ggml does. */
public final class GgmlFloats {
    private GgmlFloats() {}

    /**
     * F32 → IEEE half bits, as ggml_compute_fp32_to_fp16. ggml's bit trick computes the correctly
     * rounded half (round to nearest, ties to even; subnormal halves; overflow to infinity), which is
     * what {@link Float#floatToFloat16} computes too. The one difference is NaN: ggml drops the payload
     * and returns the canonical quiet NaN 0x7E00 with the input's sign, where the JDK keeps the payload.
     */
    public static short toF16(float f) {
        int w = Float.floatToRawIntBits(f);
        if ((w & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) (((w >>> 16) & 0x8000) | 0x7E00);
        }
        return Float.floatToFloat16(f);
    }

    /**
     * IEEE half bits → F32, as ggml_compute_fp16_to_fp32: exact; a NaN keeps its sign and payload and
     * becomes quiet (ggml's multiply by 2^-112 quiets it; the JDK's conversion does the same).
     */
    public static float f16ToFloat(short h) {
        return Float.float16ToFloat(h);
    }

    /**
     * F32 → bfloat16 bits, as ggml_compute_fp32_to_bf16: round to nearest, ties to even, by adding
     * 0x7FFF plus the lowest kept bit and truncating; large finite values round up to infinity;
     * subnormals are kept (not flushed). A NaN keeps its top 16 bits with the quiet bit (0x40) forced on.
     */
    public static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7FFF_FFFF) > 0x7F80_0000) {
            return (short) ((u >>> 16) | 0x40);
        }
        // No overflow past 32 bits: the largest non-NaN pattern is 0xFF800000.
        return (short) ((u + 0x7FFF + ((u >>> 16) & 1)) >>> 16);
    }

    /** bfloat16 bits → F32: bfloat16 is the top half of an F32, so widening is a shift. */
    public static float bf16ToFloat(short h) {
        return Float.intBitsToFloat((h & 0xFFFF) << 16);
    }
}
