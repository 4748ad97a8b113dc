/*
 * Integer dot products of the k-quants with Q8_K activations (ggml's ggml_vec_dot_q4_K_q8_K and
 * friends; the formulas are Ops.matmul's). Within a 256-value super-block everything is integer:
 * products of codes in int16 lanes, pairwise sums into int32 lanes (see LegacyDots), times the
 * sub-block's integer scale, accumulated over the super-block; then one conversion to float and one
 * FMA with d_w·d_x. Q4_K/Q5_K's min term, dmin_w·d_x·Σ m_s·Σq, is scalar, Σq per sub-block coming
 * precomputed with the activations (ggml's bsums). Activations are in natural order: value pairs
 * (2j, 2j+1) never straddle a sub-block or a Q6_K 16-value group.
 *
 * The JIT rule of LegacyDecoders holds here: no vector crosses a method of ours. Tested against
 * RefOps by the conformance suite and against ggml's vec_dot by LlamaCppMatmulTest.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.BH;
import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.I;
import static dev.vireo.ops.cpu.Vec.I16_LE;
import static dev.vireo.ops.cpu.Vec.LE;
import static dev.vireo.ops.cpu.Vec.SW;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.GE;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;

/** Integer dot products for Q4_K, Q5_K and Q6_K weights. */
final class KQuantDots {
    private KQuantDots() {}

    /** Activation codes covered by one {@link Vec#SW} vector. */
    private static final int SL = 2 * FL;

    private static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16_LE, off));
    }

    private static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** The 6-bit scale of sub-block j from the 12 packed bytes at sc (ggml's get_scale_min_k4). */
    private static int scale(MemorySegment s, long sc, int j) {
        return j < 4 ? u8(s, sc + j) & 63 : (u8(s, sc + j + 4) & 0xF) | (u8(s, sc + j - 4) >>> 6) << 4;
    }

    /** The 6-bit min of sub-block j. */
    private static int min(MemorySegment s, long sc, int j) {
        return j < 4 ? u8(s, sc + j + 4) & 63 : (u8(s, sc + j + 4) >>> 4) | (u8(s, sc + j) >>> 6) << 4;
    }

    /**
     * Q4_K {f16 d, f16 dmin, u8 scales[12], u8 qs[128]}: the 32 bytes at 32c hold sub-block 2c in their
     * low and 2c+1 in their high nibbles. |c·q| ≤ 15·128, at most four parts summed: int16-safe.
     */
    static final QuantDot Q4_K = new QuantDot() {
        @Override
        public DType type() {
            return DType.Q4_K;
        }

        @Override
        public Activations.Order order() {
            return Activations.Order.NATURAL;
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, Activations a, int t) {
            short[] q = a.codes;
            float[] dx = a.scales;
            int[] qsums = a.subBlockSums;
            int qo = t * a.cols;
            int k = t * blocks;
            FloatVector acc = FloatVector.zero(F);
            double mins = 0;
            for (int i = 0; i < blocks; i++, b += 144, qo += 256) {
                IntVector sum = IntVector.zero(I);
                int minSum = 0;
                for (int c = 0; c < 4; c++) {
                    ShortVector lo = ShortVector.zero(SW);
                    ShortVector hi = ShortVector.zero(SW);
                    for (int p = 0; p < 32; p += SL) {
                        ShortVector v = (ShortVector) ByteVector.fromMemorySegment(BH, s, b + 16 + 32 * c + p, LE)
                                .convertShape(B2S, SW, 0);
                        lo = lo.add(v.and((short) 0xF).mul(ShortVector.fromArray(SW, q, qo + 64 * c + p)));
                        hi = hi.add(v.lanewise(ASHR, 4).and((short) 0xF)
                                .mul(ShortVector.fromArray(SW, q, qo + 64 * c + 32 + p)));
                    }
                    IntVector li = lo.reinterpretAsInts();
                    IntVector hv = hi.reinterpretAsInts();
                    sum = sum.add(li.add(li.lanewise(LSHL, 16)).lanewise(ASHR, 16).mul(scale(s, b + 4, 2 * c)))
                            .add(hv.add(hv.lanewise(LSHL, 16)).lanewise(ASHR, 16).mul(scale(s, b + 4, 2 * c + 1)));
                    minSum += min(s, b + 4, 2 * c) * qsums[qo / 32 + 2 * c]
                            + min(s, b + 4, 2 * c + 1) * qsums[qo / 32 + 2 * c + 1];
                }
                float d = dx[k + i];
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, d * f16(s, b)), acc);
                mins += (double) (d * f16(s, b + 2)) * minSum;
            }
            return (float) (Vec.sum(acc) - mins);
        }
    };

    /**
     * Q5_K {f16 d, f16 dmin, u8 scales[12], u8 qh[32], u8 qs[128]}: Q4_K's nibbles plus bit j of
     * qh[l] as 16 for sub-block j. |c·q| ≤ 31·128, four parts 15872, pairs 31744: int16-safe.
     */
    static final QuantDot Q5_K = new QuantDot() {
        @Override
        public DType type() {
            return DType.Q5_K;
        }

        @Override
        public Activations.Order order() {
            return Activations.Order.NATURAL;
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, Activations a, int t) {
            short[] q = a.codes;
            float[] dx = a.scales;
            int[] qsums = a.subBlockSums;
            int qo = t * a.cols;
            int k = t * blocks;
            FloatVector acc = FloatVector.zero(F);
            double mins = 0;
            for (int i = 0; i < blocks; i++, b += 176, qo += 256) {
                IntVector sum = IntVector.zero(I);
                int minSum = 0;
                for (int c = 0; c < 4; c++) {
                    ShortVector lo = ShortVector.zero(SW);
                    ShortVector hi = ShortVector.zero(SW);
                    for (int p = 0; p < 32; p += SL) {
                        ShortVector v = (ShortVector) ByteVector.fromMemorySegment(BH, s, b + 48 + 32 * c + p, LE)
                                .convertShape(B2S, SW, 0);
                        ShortVector h = (ShortVector) ByteVector.fromMemorySegment(BH, s, b + 16 + p, LE)
                                .convertShape(B2S, SW, 0);
                        ShortVector cl = v.and((short) 0xF).or(h.lanewise(ASHR, 2 * c).and((short) 1).lanewise(LSHL, 4));
                        ShortVector ch = v.lanewise(ASHR, 4).and((short) 0xF)
                                .or(h.lanewise(ASHR, 2 * c + 1).and((short) 1).lanewise(LSHL, 4));
                        lo = lo.add(cl.mul(ShortVector.fromArray(SW, q, qo + 64 * c + p)));
                        hi = hi.add(ch.mul(ShortVector.fromArray(SW, q, qo + 64 * c + 32 + p)));
                    }
                    IntVector li = lo.reinterpretAsInts();
                    IntVector hv = hi.reinterpretAsInts();
                    sum = sum.add(li.add(li.lanewise(LSHL, 16)).lanewise(ASHR, 16).mul(scale(s, b + 4, 2 * c)))
                            .add(hv.add(hv.lanewise(LSHL, 16)).lanewise(ASHR, 16).mul(scale(s, b + 4, 2 * c + 1)));
                    minSum += min(s, b + 4, 2 * c) * qsums[qo / 32 + 2 * c]
                            + min(s, b + 4, 2 * c + 1) * qsums[qo / 32 + 2 * c + 1];
                }
                float d = dx[k + i];
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, d * f16(s, b)), acc);
                mins += (double) (d * f16(s, b + 2)) * minSum;
            }
            return (float) (Vec.sum(acc) - mins);
        }
    };

    /**
     * Q6_K {u8 ql[128], u8 qh[64], i8 scales[16], f16 d}: in half h, for l in 0..31, ql[l] and
     * ql[l+32] give the low four bits (low nibble for values l, l+32; high for l+64, l+96 of the half)
     * and qh[l] the top two bits of all four; codes − 32, so |c·q| ≤ 32·128 (int16-safe). Each 16
     * values have their own int8 scale: the int32 lanes of one part cover 2·FL values, so with 16
     * lanes (AVX-512) the upper eight lanes take the next group's scale.
     */
    static final QuantDot Q6_K = new QuantDot() {
        @Override
        public DType type() {
            return DType.Q6_K;
        }

        @Override
        public Activations.Order order() {
            return Activations.Order.NATURAL;
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, Activations a, int t) {
            short[] q = a.codes;
            float[] dx = a.scales;
            int qo = t * a.cols;
            int k = t * blocks;
            VectorMask<Integer> upper = IntVector.zero(I).addIndex(1).compare(GE, 8);
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 210, qo += 256) {
                IntVector sum = IntVector.zero(I);
                for (int half = 0; half < 2; half++) {
                    long ql = b + 64 * half;
                    long qh = b + 128 + 32 * half;
                    long sc = b + 192 + 8 * half;
                    int x = qo + 128 * half;
                    for (int p = 0; p < 32; p += SL) {
                        ShortVector a0 = (ShortVector) ByteVector.fromMemorySegment(BH, s, ql + p, LE)
                                .convertShape(B2S, SW, 0);
                        ShortVector a1 = (ShortVector) ByteVector.fromMemorySegment(BH, s, ql + 32 + p, LE)
                                .convertShape(B2S, SW, 0);
                        ShortVector h = (ShortVector) ByteVector.fromMemorySegment(BH, s, qh + p, LE)
                                .convertShape(B2S, SW, 0);
                        ShortVector c1 = a0.and((short) 0xF).or(h.and((short) 0x03).lanewise(LSHL, 4)).sub((short) 32);
                        ShortVector c2 = a1.and((short) 0xF).or(h.and((short) 0x0C).lanewise(LSHL, 2)).sub((short) 32);
                        ShortVector c3 = a0.lanewise(ASHR, 4).and((short) 0xF).or(h.and((short) 0x30)).sub((short) 32);
                        ShortVector c4 = a1.lanewise(ASHR, 4).and((short) 0xF).or(h.lanewise(ASHR, 2).and((short) 0x30))
                                .sub((short) 32);
                        IntVector p1 = c1.mul(ShortVector.fromArray(SW, q, x + p)).reinterpretAsInts();
                        IntVector p2 = c2.mul(ShortVector.fromArray(SW, q, x + 32 + p)).reinterpretAsInts();
                        IntVector p3 = c3.mul(ShortVector.fromArray(SW, q, x + 64 + p)).reinterpretAsInts();
                        IntVector p4 = c4.mul(ShortVector.fromArray(SW, q, x + 96 + p)).reinterpretAsInts();
                        // Value l of the half belongs to group l/16 of its quarter: scales sc[l/16 + 2·quarter].
                        int g = p / 16;
                        IntVector s1;
                        IntVector s2;
                        IntVector s3;
                        IntVector s4;
                        if (SL > 16) {
                            s1 = IntVector.broadcast(I, s.get(ValueLayout.JAVA_BYTE, sc))
                                    .blend(s.get(ValueLayout.JAVA_BYTE, sc + 1), upper);
                            s2 = IntVector.broadcast(I, s.get(ValueLayout.JAVA_BYTE, sc + 2))
                                    .blend(s.get(ValueLayout.JAVA_BYTE, sc + 3), upper);
                            s3 = IntVector.broadcast(I, s.get(ValueLayout.JAVA_BYTE, sc + 4))
                                    .blend(s.get(ValueLayout.JAVA_BYTE, sc + 5), upper);
                            s4 = IntVector.broadcast(I, s.get(ValueLayout.JAVA_BYTE, sc + 6))
                                    .blend(s.get(ValueLayout.JAVA_BYTE, sc + 7), upper);
                        } else {
                            s1 = IntVector.broadcast(I, s.get(ValueLayout.JAVA_BYTE, sc + g));
                            s2 = IntVector.broadcast(I, s.get(ValueLayout.JAVA_BYTE, sc + 2 + g));
                            s3 = IntVector.broadcast(I, s.get(ValueLayout.JAVA_BYTE, sc + 4 + g));
                            s4 = IntVector.broadcast(I, s.get(ValueLayout.JAVA_BYTE, sc + 6 + g));
                        }
                        sum = sum.add(p1.add(p1.lanewise(LSHL, 16)).lanewise(ASHR, 16).mul(s1))
                                .add(p2.add(p2.lanewise(LSHL, 16)).lanewise(ASHR, 16).mul(s2))
                                .add(p3.add(p3.lanewise(LSHL, 16)).lanewise(ASHR, 16).mul(s3))
                                .add(p4.add(p4.lanewise(LSHL, 16)).lanewise(ASHR, 16).mul(s4));
                    }
                }
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, dx[k + i] * f16(s, b + 208)), acc);
            }
            return Vec.sum(acc);
        }
    };
}
