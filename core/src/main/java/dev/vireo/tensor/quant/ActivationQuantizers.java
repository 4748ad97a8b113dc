/*
 * ggml's CPU-backend activation conversions, bit for bit as the prebuilt x86-64 library runs them
 * (libggml-cpu-*.so with AVX2 or better; llama.cpp picks the zen4 build on an AVX-512 machine):
 *
 *   Q8_0  quantize_row_q8_0, the AVX2 code of ggml-cpu/arch/x86/quants.c (not the _ref function):
 *         max|x| by MAXPS in its reduction tree; d = max/127 stored as f16; the multiplier is
 *         127/max (not 1/d); codes round to nearest-even (VRNDSCALEPS, CVTPS2DQ) and saturate
 *         through PACKSSDW/PACKSSWB, so a NaN product becomes −128.
 *   Q8_1  quantize_row_q8_1, the same plus s = f16(d·Σq) with the float d and the codes' int32 sum
 *         taken before saturation.
 *   Q8_K  quantize_row_q8_K, which on x86 is quantize_row_q8_K_ref (ggml-quants.c): the scale comes
 *         from the first value of largest magnitude, iscale = −127/max, codes nearest_int(iscale·x)
 *         capped at 127, d = 1/iscale kept as f32, bsums = int16 sums of 16 codes. An all-zero
 *         block gets d = 0 and zero codes; ggml leaves its bsums unwritten, here they are 0.
 *   F16   ggml_cpu_fp32_to_fp16: IEEE round to nearest-even. ggml converts most of a row with
 *         VCVTPS2PH and the last n mod 4 values in software, which differ only in a NaN's payload;
 *         this writes ggml's software NaN (GgmlFloats.toF16) everywhere.
 *   BF16  ggml_cpu_fp32_to_bf16, the scalar rounding of GgmlFloats.toBf16 (subnormals kept).
 *
 * The float operations are the ones ggml performs in the same order; libggml-cpu contracts an
 * FMA only inside its fp32→fp16 bit trick, where the product is a power-of-two scaling and exact.
 * Tested by ActivationQuantizersTest against ggml's own from_float on seeded and awkward rows.
 */
package dev.vireo.tensor.quant;

import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** The {@link ActivationQuantizer} of each {@link VecDotType}. */
public final class ActivationQuantizers {
    private static final Map<VecDotType, ActivationQuantizer> ALL = new EnumMap<>(VecDotType.class);

    private ActivationQuantizers() {}

    /** The quantizer producing {@code type}; every {@link VecDotType} has one. */
    public static ActivationQuantizer of(VecDotType type) {
        return ALL.get(type);
    }

    /** Argument checks up front, then one block at a time. */
    private abstract static class Encoder implements ActivationQuantizer {
        private final VecDotType type;

        Encoder(VecDotType type) {
            this.type = type;
            ALL.put(type, this);
        }

        @Override
        public final VecDotType type() {
            return type;
        }

        /** Encodes {@code type().blockSize()} values from {@code x[xo..]} into the block at {@code off}. */
        abstract void encodeBlock(float[] x, int xo, MemorySegment dst, long off);

        @Override
        public final void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
            Objects.requireNonNull(src, "src");
            Objects.requireNonNull(dst, "dst");
            long bytes = type.rowBytes(count);
            Objects.checkFromIndexSize(srcOffset, count, src.length);
            Objects.checkFromIndexSize(dstOffset, bytes, dst.byteSize());
            int blocks = count / type.blockSize();
            for (int i = 0; i < blocks; i++) {
                encodeBlock(src, srcOffset + i * type.blockSize(), dst, dstOffset + (long) i * type.blockBytes());
            }
        }
    }

    static final ActivationQuantizer F32 = new Encoder(VecDotType.F32) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            dst.set(Bytes.I32, off, Float.floatToRawIntBits(x[xo]));
        }
    };

    static final ActivationQuantizer F16 = new Encoder(VecDotType.F16) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            Bytes.put16(dst, off, GgmlFloats.toF16(x[xo]));
        }
    };

    static final ActivationQuantizer BF16 = new Encoder(VecDotType.BF16) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            Bytes.put16(dst, off, GgmlFloats.toBf16(x[xo]));
        }
    };

    /** Q8_0 block: {f16 d, int8 q[32]}. */
    static final ActivationQuantizer Q8_0 = new Encoder(VecDotType.Q8_0) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            float max = maxAbs32(x, xo);
            float d = max / 127f;
            float id = max != 0f ? 127f / max : 0f;
            Bytes.put16(dst, off, GgmlFloats.toF16(d));
            for (int j = 0; j < 32; j++) {
                // VRNDSCALEPS (nearest-even) then CVTPS2DQ: the rounding happens once, in either.
                Bytes.put8(dst, off + 2 + j, CFloat.saturateToByte(CFloat.cvtps2dq(x[xo + j] * id)));
            }
        }
    };

    /** Q8_1 block: {f16 d, f16 s, int8 q[32]}. */
    static final ActivationQuantizer Q8_1 = new Encoder(VecDotType.Q8_1) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            float max = maxAbs32(x, xo);
            float d = max / 127f;
            float id = max != 0f ? 127f / max : 0f;
            int sum = 0; // int32 lanes summed with wrap-around, as VPADDD does
            for (int j = 0; j < 32; j++) {
                int q = CFloat.cvtps2dq(x[xo + j] * id);
                sum += q;
                Bytes.put8(dst, off + 4 + j, CFloat.saturateToByte(q));
            }
            Bytes.put16(dst, off, GgmlFloats.toF16(d));
            Bytes.put16(dst, off + 2, GgmlFloats.toF16(d * sum));
        }
    };

    /** Q8_K block: {f32 d, int8 q[256], int16 bsums[16]}. */
    static final ActivationQuantizer Q8_K = new Encoder(VecDotType.Q8_K) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            float max = 0;
            float amax = 0;
            for (int j = 0; j < 256; j++) {
                float ax = Math.abs(x[xo + j]);
                if (ax > amax) {
                    amax = ax;
                    max = x[xo + j];
                }
            }
            if (amax == 0) {
                dst.asSlice(off, 292).fill((byte) 0);
                return;
            }
            float iscale = -127f / max;
            for (int g = 0; g < 16; g++) {
                int sum = 0;
                for (int l = 0; l < 16; l++) {
                    int j = 16 * g + l;
                    byte q = (byte) Math.min(127, nearestInt(iscale * x[xo + j]));
                    Bytes.put8(dst, off + 4 + j, q);
                    sum += q;
                }
                dst.set(Bytes.I16, off + 260 + 2L * g, (short) sum);
            }
            dst.set(Bytes.F32, off, 1 / iscale);
        }
    };

    /**
     * max |x| over 32 values as quantize_row_q8_0's AVX2 code reduces them: four 8-lane vectors
     * folded by MAXPS lane by lane, then the upper four lanes against the lower four, then pairs.
     * With NaNs present the order decides which value survives, so it is kept exactly.
     */
    static float maxAbs32(float[] x, int o) {
        float h0 = CFloat.maxps(laneMax(x, o + 4), laneMax(x, o));
        float h1 = CFloat.maxps(laneMax(x, o + 5), laneMax(x, o + 1));
        float h2 = CFloat.maxps(laneMax(x, o + 6), laneMax(x, o + 2));
        float h3 = CFloat.maxps(laneMax(x, o + 7), laneMax(x, o + 3));
        return CFloat.maxps(CFloat.maxps(h0, h2), CFloat.maxps(h1, h3));
    }

    /** Lane l of the 8-lane running maximum: |x[l]|, |x[l+8]|, |x[l+16]|, |x[l+24]| folded in that order. */
    private static float laneMax(float[] x, int l) {
        float m = CFloat.maxps(CFloat.andnotSign(x[l]), CFloat.andnotSign(x[l + 8]));
        m = CFloat.maxps(m, CFloat.andnotSign(x[l + 16]));
        return CFloat.maxps(m, CFloat.andnotSign(x[l + 24]));
    }

    /**
     * ggml's nearest_int: adds 1.5·2^23 so that the float adder rounds to an integer (nearest-even)
     * and reads it from the low mantissa bits. Exact for |v| ≤ 2^22; for NaN and infinities it
     * returns what those bits give, as ggml does.
     */
    static int nearestInt(float v) {
        int bits = Float.floatToRawIntBits(v + 12582912f);
        return (bits & 0x007F_FFFF) - 0x0040_0000;
    }
}
