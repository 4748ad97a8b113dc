/*
 * Decoders of the plain float weight types. F32 is a copy; BF16 is the top half of an F32 (a shift);
 * F16 widens with the classic bit trick: shift exponent and mantissa into place and multiply by
 * 2^112 to rebias the exponent, which is exact for normal and subnormal halves alike, with Inf/NaN
 * patched by a blend (NaNs quieted). Bit-identical to Float.float16ToFloat and the reference codecs (CpuDecoderTest).
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.F32_LE;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.I16_LE;
import static dev.vireo.ops.cpu.Vec.LE;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** F32, F16 and BF16 decoders ("blocks" are single elements). */
final class FloatDecoders {
    private FloatDecoders() {}

    static final BlockDecoder F32 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.F32;
        }

        private static final DotOrder ORDER = DotOrder.alternating(true);

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment src, long offset, int count, float[] dst, int dstOffset) {
            MemorySegment.copy(src, F32_LE, offset, dst, dstOffset, count);
        }

        @Override
        public float dot(MemorySegment src, long offset, int count, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            int i = 0;
            for (int bound = count - count % (2 * FL); i < bound; i += 2 * FL) {
                a0 = FloatVector.fromMemorySegment(F, src, offset + 4L * i, LE)
                        .fma(FloatVector.fromArray(F, x, xo + i), a0);
                a1 = FloatVector.fromMemorySegment(F, src, offset + 4L * (i + FL), LE)
                        .fma(FloatVector.fromArray(F, x, xo + i + FL), a1);
            }
            for (int bound = count - count % FL; i < bound; i += FL) {
                a0 = FloatVector.fromMemorySegment(F, src, offset + 4L * i, LE)
                        .fma(FloatVector.fromArray(F, x, xo + i), a0);
            }
            float sum = Vec.sum(a0.add(a1));
            for (; i < count; i++) {
                sum += src.get(F32_LE, offset + 4L * i) * x[xo + i];
            }
            return sum;
        }
    };

    static final BlockDecoder F16 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.F16;
        }

        private static final DotOrder ORDER = DotOrder.single();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment src, long offset, int count, float[] dst, int dstOffset) {
            int i = 0;
            for (int bound = count - count % FL; i < bound; i += FL) {
                IntVector h = ((IntVector) ShortVector.fromMemorySegment(Vec.S, src, offset + 2L * i, LE)
                        .convertShape(VectorOperators.S2I, Vec.I, 0)).and(0xFFFF);
                IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
                IntVector shifted = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
                // Exponent 31 (Inf/NaN): keep the mantissa, set the float exponent to all ones, and
                // quiet a NaN as the hardware conversion behind Float.float16ToFloat does.
                IntVector bits = finite.blend(shifted.or(0x7F800000), shifted.compare(VectorOperators.GE, 0x7C00 << 13))
                        .lanewise(VectorOperators.OR, 0x00400000, shifted.compare(VectorOperators.GT, 0x7C00 << 13));
                bits.or(sign).reinterpretAsFloats().intoArray(dst, dstOffset + i);
            }
            for (; i < count; i++) {
                dst[dstOffset + i] = Float.float16ToFloat(src.get(I16_LE, offset + 2L * i));
            }
        }

        /** As decode, with each vector of weights FMA'd into the sum instead of stored. */
        @Override
        public float dot(MemorySegment src, long offset, int count, float[] x, int xo) {
            FloatVector acc = FloatVector.zero(F);
            int i = 0;
            for (int bound = count - count % FL; i < bound; i += FL) {
                IntVector h = ((IntVector) ShortVector.fromMemorySegment(Vec.S, src, offset + 2L * i, LE)
                        .convertShape(VectorOperators.S2I, Vec.I, 0)).and(0xFFFF);
                IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
                IntVector shifted = h.and(0x7FFF).lanewise(VectorOperators.LSHL, 13);
                IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
                IntVector bits = finite.blend(shifted.or(0x7F800000), shifted.compare(VectorOperators.GE, 0x7C00 << 13))
                        .lanewise(VectorOperators.OR, 0x00400000, shifted.compare(VectorOperators.GT, 0x7C00 << 13));
                acc = bits.or(sign).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + i), acc);
            }
            float sum = Vec.sum(acc);
            for (; i < count; i++) {
                sum += Float.float16ToFloat(src.get(I16_LE, offset + 2L * i)) * x[xo + i];
            }
            return sum;
        }
    };

    static final BlockDecoder BF16 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.BF16;
        }

        private static final DotOrder ORDER = DotOrder.alternating(false);

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment src, long offset, int count, float[] dst, int dstOffset) {
            int i = 0;
            for (int bound = count - count % FL; i < bound; i += FL) {
                IntVector h = (IntVector) ShortVector.fromMemorySegment(Vec.S, src, offset + 2L * i, LE)
                        .convertShape(VectorOperators.S2I, Vec.I, 0);
                h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, dstOffset + i);
            }
            for (; i < count; i++) {
                dst[dstOffset + i] = Float.intBitsToFloat((src.get(I16_LE, offset + 2L * i) & 0xFFFF) << 16);
            }
        }

        @Override
        public float dot(MemorySegment src, long offset, int count, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            int i = 0;
            for (int bound = count - count % (2 * FL); i < bound; i += 2 * FL) {
                IntVector h0 = (IntVector) ShortVector.fromMemorySegment(Vec.S, src, offset + 2L * i, LE)
                        .convertShape(VectorOperators.S2I, Vec.I, 0);
                IntVector h1 = (IntVector) ShortVector.fromMemorySegment(Vec.S, src, offset + 2L * (i + FL), LE)
                        .convertShape(VectorOperators.S2I, Vec.I, 0);
                a0 = h0.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + i), a0);
                a1 = h1.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + i + FL), a1);
            }
            float sum = Vec.sum(a0.add(a1));
            for (; i < count; i++) {
                sum += Float.intBitsToFloat((src.get(I16_LE, offset + 2L * i) & 0xFFFF) << 16) * x[xo + i];
            }
            return sum;
        }
    };
}
