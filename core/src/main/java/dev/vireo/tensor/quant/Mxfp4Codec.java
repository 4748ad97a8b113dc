/*
 * Reference decoding of ggml's MXFP4 block (OCP microscaling FP4): one E8M0 exponent byte, then 16
 * bytes of E2M1 codes with element j in the low nibble and element j+16 in the high nibble of byte j.
 * Follows dequantize_row_mxfp4 in ggml-quants.c: ggml keeps the E2M1 values doubled (integers) and
 * halves the scale instead, 2^(e−128); the product equals E2M1·2^(e−127) exactly (model-spec.md §2.1).
 * Hugging Face's blocks+scales layout (nibble order 2j / 2j+1) arrives with the gpt-oss loader.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Codec for {@link DType#MXFP4} in ggml's 17-byte block layout. */
final class Mxfp4Codec extends LegacyQuantCodecs.Codec {

    /** E2M1 code → value ×2 (sign in bit 3), as in ggml's kvalues_mxfp4. */
    static final byte[] DOUBLED_E2M1 = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

    Mxfp4Codec() {
        super(DType.MXFP4);
    }

    /** 2^(e−128) as a float, with e = 0 and 1 giving the subnormals 2^-128 and 2^-127. */
    static float halfScale(int e) {
        int bits = e < 2 ? 0x00200000 << e : (e - 1) << 23;
        return Float.intBitsToFloat(bits);
    }

    @Override
    void decodeBlock(MemorySegment s, long b, float[] y, int o) {
        float d = halfScale(Bytes.u8(s, b));
        for (int j = 0; j < 16; j++) {
            int q = Bytes.u8(s, b + 1 + j);
            y[o + j] = DOUBLED_E2M1[q & 0x0F] * d;
            y[o + j + 16] = DOUBLED_E2M1[q >>> 4] * d;
        }
    }
}
