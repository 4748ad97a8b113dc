/*
 * Vectorised decoders of ggml's 256-element k-quant super-blocks (Q4_K, Q5_K, Q6_K). Layouts are
 * model-spec.md §3.3; the arithmetic mirrors dev.vireo.tensor.quant.KQuantCodecs operation by
 * operation (d·sc first, then ·q, then − dmin·m), so the output is bit-identical (CpuDecoderTest).
 * The 6-bit sub-block scales are unpacked with scalar code (16 numbers per 256 weights); the codes
 * are widened 16 bytes at a time to int lanes as in LegacyDecoders, whose file comment explains why
 * no vector passes through a method of ours. Q6_K assembles its codes on the packed bytes before
 * widening them. On 16-lane machines the hot paths go further: Q4_K looks its nibbles up in a
 * 16-entry table per sub-block, and Q4_K and Q6_K take a super-block's scales from one vector by
 * constant lane broadcasts. Every such path computes the same floats as the plain one and adds them
 * in the same order (DotOrder), which CpuDecoderTest and MatmulBatchInvarianceTest check.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.LegacyDecoders.f16;
import static dev.vireo.ops.cpu.Vec.B16;
import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.I;
import static dev.vireo.ops.cpu.Vec.I4;
import static dev.vireo.ops.cpu.Vec.LE;
import static dev.vireo.ops.cpu.Vec.PARTS;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Decoders for Q4_K, Q5_K and Q6_K. */
final class KQuantDecoders {
    private KQuantDecoders() {}

    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    /** Two longs: the packed scale and min bytes of a Q4_K super-block, widened together. */
    private static final VectorSpecies<Long> L2 = LongVector.SPECIES_128;

    /** The sixteen 4-bit codes as floats, 0 .. 15: scaled and shifted into a sub-block's lookup table. */
    private static final float[] NIBBLE_VALUES = new float[16];

    static {
        for (int j = 0; j < 16; j++) {
            NIBBLE_VALUES[j] = j;
        }
    }

    /*
     * ggml's get_scale_min_k4 on the 12 packed scale bytes (bytes 0-7 in lo, 8-11 in hi), unpacked
     * once per super-block into eight 6-bit values a byte each: sub-block j's scale or min is byte j.
     * For j < 4 they are the low 6 bits of bytes j and j+4; for j ≥ 4 a nibble of byte j+4 with the
     * top two bits of byte j−4 (scale) or j (min) above it. Shifts and masks on whole words, no
     * branches: per sub-block byte picking with branches cost Q4_K's dot ~30% (MatvecBenchmark).
     */

    /** The eight 6-bit scales, sub-block j in byte j. */
    private static long scales(long lo, int hi) {
        long high = ((long) hi & 0x0F0F0F0FL) | ((lo >>> 2) & 0x30303030L);
        return lo & 0x3F3F3F3FL | high << 32;
    }

    /** The eight 6-bit mins, sub-block j in byte j. */
    private static long mins(long lo, int hi) {
        long high = (((long) hi >>> 4) & 0x0F0F0F0FL) | ((lo >>> 34) & 0x30303030L);
        return (lo >>> 32) & 0x3F3F3F3FL | high << 32;
    }

    /** Byte j of a word from scales or mins. */
    private static int sub(long packed, int j) {
        return (int) (packed >>> (8 * j)) & 0xFF;
    }

    /**
     * Constants of Q4_K's dotByLookup and Q6_K's dotWithScaleVector, which run only with sixteen-lane
     * vectors: a class of their own so that they are made only there. Bj broadcasts lane j; HIGH_HALF
     * selects lanes 8-15.
     */
    private static final class Lanes {
        static final VectorMask<Float> HIGH_HALF = VectorMask.fromLong(F, 0xFF00L);
        static final VectorShuffle<Float> B0 = broadcast(0);
        static final VectorShuffle<Float> B1 = broadcast(1);
        static final VectorShuffle<Float> B2 = broadcast(2);
        static final VectorShuffle<Float> B3 = broadcast(3);
        static final VectorShuffle<Float> B4 = broadcast(4);
        static final VectorShuffle<Float> B5 = broadcast(5);
        static final VectorShuffle<Float> B6 = broadcast(6);
        static final VectorShuffle<Float> B7 = broadcast(7);
        static final VectorShuffle<Float> B8 = broadcast(8);
        static final VectorShuffle<Float> B9 = broadcast(9);
        static final VectorShuffle<Float> B10 = broadcast(10);
        static final VectorShuffle<Float> B11 = broadcast(11);
        static final VectorShuffle<Float> B12 = broadcast(12);
        static final VectorShuffle<Float> B13 = broadcast(13);
        static final VectorShuffle<Float> B14 = broadcast(14);
        static final VectorShuffle<Float> B15 = broadcast(15);

        private static VectorShuffle<Float> broadcast(int lane) {
            return VectorShuffle.fromOp(F, k -> lane);
        }
    }

    /** Q4_K: {f16 d, f16 dmin, u8 scales[12], u8 qs[128]}; y = d·sc·q − dmin·m per 32-element sub-block. */
    static final BlockDecoder Q4_K = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q4_K;
        }

        private static final DotOrder ORDER = DotOrder.kQuantNibbles();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 144, o += 256) {
                float d = f16(s, b);
                float dmin = f16(s, b + 2);
                long lo = s.get(I64_LE, b + 4);
                int hi = s.get(Vec.I32_LE, b + 12);
                long sc = scales(lo, hi);
                long mn = mins(lo, hi);
                for (int c = 0; c < 4; c++) {
                    float d1 = d * sub(sc, 2 * c);
                    float m1 = dmin * sub(mn, 2 * c);
                    float d2 = d * sub(sc, 2 * c + 1);
                    float m2 = dmin * sub(mn, 2 * c + 1);
                    for (int l = 0; l < 32; l += 16) {
                        nibbles(s, b + 16 + 32 * c + l, d1, m1, d2, m2, y, o + 64 * c + l);
                    }
                }
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            return FL == 16 ? dotByLookup(s, b, blocks, x, xo) : dotByConversion(s, b, blocks, x, xo);
        }

        /**
         * Sixteen lanes hold a sub-block's sixteen values d·sc·q − dmin·m, computed once per 32
         * weights with the same two operations the conversion path applies to each code, so a permute
         * (vpermd) decodes sixteen codes into the same floats; the FMAs are dotByConversion's.
         * The eight d·sc and eight dmin·m of a super-block come out of one vector (the packed 6-bit
         * values widened, times d or dmin: the same products as the scalar path), and each table takes
         * its two by lane broadcasts (constant permutes) rather than sixteen scalar converts,
         * multiplies and broadcasts; the four 64-weight turns are written out so that the permutes are
         * constants. One core, 4096-wide rows in L2: 10.3 → 13.0 G weights/s.
         */
        private static float dotByLookup(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector codes = FloatVector.fromArray(F, NIBBLE_VALUES, 0);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 144, xo += 256) {
                long lo = s.get(I64_LE, b + 4);
                int hi = s.get(Vec.I32_LE, b + 12);
                // Lanes 0-7: d·sc of sub-blocks 0-7; lanes 8-15: dmin·m of the same.
                ByteVector packed = LongVector.zero(L2).withLane(0, scales(lo, hi)).withLane(1, mins(lo, hi))
                        .reinterpretAsBytes();
                FloatVector dm = ((FloatVector) packed.convertShape(B2F, F, 0))
                        .mul(FloatVector.broadcast(F, f16(s, b)).blend(f16(s, b + 2), Lanes.HIGH_HALF));
                // Sub-blocks 0 (low nibbles) and 1 (high nibbles) of bytes 0..31.
                IntVector t0 = codes.mul(dm.rearrange(Lanes.B0)).sub(dm.rearrange(Lanes.B8)).reinterpretAsInts();
                IntVector t1 = codes.mul(dm.rearrange(Lanes.B1)).sub(dm.rearrange(Lanes.B9)).reinterpretAsInts();
                IntVector v0 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 16, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                IntVector v1 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 32, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                a0 = v0.and(0xF).selectFrom(t0).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo), a0);
                a1 = v0.lanewise(LSHR, 4).selectFrom(t1).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 32), a1);
                a0 = v1.and(0xF).selectFrom(t0).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 16), a0);
                a1 = v1.lanewise(LSHR, 4).selectFrom(t1).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 48), a1);
                // Sub-blocks 2 (low nibbles) and 3 (high nibbles) of bytes 32..63.
                IntVector t2 = codes.mul(dm.rearrange(Lanes.B2)).sub(dm.rearrange(Lanes.B10)).reinterpretAsInts();
                IntVector t3 = codes.mul(dm.rearrange(Lanes.B3)).sub(dm.rearrange(Lanes.B11)).reinterpretAsInts();
                IntVector v2 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 48, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                IntVector v3 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 64, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                a0 = v2.and(0xF).selectFrom(t2).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 64), a0);
                a1 = v2.lanewise(LSHR, 4).selectFrom(t3).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 96), a1);
                a0 = v3.and(0xF).selectFrom(t2).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 80), a0);
                a1 = v3.lanewise(LSHR, 4).selectFrom(t3).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 112), a1);
                // Sub-blocks 4 (low nibbles) and 5 (high nibbles) of bytes 64..95.
                IntVector t4 = codes.mul(dm.rearrange(Lanes.B4)).sub(dm.rearrange(Lanes.B12)).reinterpretAsInts();
                IntVector t5 = codes.mul(dm.rearrange(Lanes.B5)).sub(dm.rearrange(Lanes.B13)).reinterpretAsInts();
                IntVector v4 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 80, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                IntVector v5 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 96, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                a0 = v4.and(0xF).selectFrom(t4).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 128), a0);
                a1 = v4.lanewise(LSHR, 4).selectFrom(t5).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 160), a1);
                a0 = v5.and(0xF).selectFrom(t4).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 144), a0);
                a1 = v5.lanewise(LSHR, 4).selectFrom(t5).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 176), a1);
                // Sub-blocks 6 (low nibbles) and 7 (high nibbles) of bytes 96..127.
                IntVector t6 = codes.mul(dm.rearrange(Lanes.B6)).sub(dm.rearrange(Lanes.B14)).reinterpretAsInts();
                IntVector t7 = codes.mul(dm.rearrange(Lanes.B7)).sub(dm.rearrange(Lanes.B15)).reinterpretAsInts();
                IntVector v6 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 112, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                IntVector v7 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 128, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                a0 = v6.and(0xF).selectFrom(t6).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 192), a0);
                a1 = v6.lanewise(LSHR, 4).selectFrom(t7).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 224), a1);
                a0 = v7.and(0xF).selectFrom(t6).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 208), a0);
                a1 = v7.lanewise(LSHR, 4).selectFrom(t7).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 240), a1);
            }
            // Vec.sum written out (FL is 16 here): C2 does not inline it at this call site and would box.
            FloatVector v = a0.add(a1);
            v = v.add(v.rearrange(Vec.FOLD8));
            v = v.add(v.rearrange(Vec.FOLD4));
            v = v.add(v.rearrange(Vec.FOLD2));
            return v.add(v.rearrange(Vec.FOLD1)).lane(0);
        }

        /** decode's arithmetic with the leaf written out, FMA'd into two sums instead of stored. */
        private static float dotByConversion(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 144, xo += 256) {
                float d = f16(s, b);
                float dmin = f16(s, b + 2);
                long lo = s.get(I64_LE, b + 4);
                int hi = s.get(Vec.I32_LE, b + 12);
                long sc = scales(lo, hi);
                long mn = mins(lo, hi);
                for (int c = 0; c < 4; c++) {
                    float d1 = d * sub(sc, 2 * c);
                    float m1 = dmin * sub(mn, 2 * c);
                    float d2 = d * sub(sc, 2 * c + 1);
                    float m2 = dmin * sub(mn, 2 * c + 1);
                    for (int l = 0; l < 32; l += 16) {
                        ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 16 + 32 * c + l, LE);
                        for (int p = 0; p < PARTS; p++) {
                            IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                            int at = xo + 64 * c + l + p * FL;
                            a0 = ((FloatVector) v.and(0xF).convertShape(I2F, F, 0)).mul(d1).sub(m1)
                                    .fma(FloatVector.fromArray(F, x, at), a0);
                            a1 = ((FloatVector) v.lanewise(LSHR, 4).convertShape(I2F, F, 0)).mul(d2).sub(m2)
                                    .fma(FloatVector.fromArray(F, x, at + 32), a1);
                        }
                    }
                }
            }
            // Vec.sum written out: a call is not inlined in a method this large, and would box the vector.
            FloatVector v = a0.add(a1);
            if (FL == 16) {
                v = v.add(v.rearrange(Vec.FOLD8));
            }
            if (FL >= 8) {
                v = v.add(v.rearrange(Vec.FOLD4));
            }
            v = v.add(v.rearrange(Vec.FOLD2));
            return v.add(v.rearrange(Vec.FOLD1)).lane(0);
        }
    };

    /** Q5_K: {f16 d, f16 dmin, u8 scales[12], u8 qh[32], u8 qs[128]}; Q4_K plus a fifth bit from qh. */
    static final BlockDecoder Q5_K = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q5_K;
        }

        private static final DotOrder ORDER = DotOrder.kQuantNibbles();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 176, o += 256) {
                float d = f16(s, b);
                float dmin = f16(s, b + 2);
                long lo = s.get(I64_LE, b + 4);
                int hi = s.get(Vec.I32_LE, b + 12);
                long sc = scales(lo, hi);
                long mn = mins(lo, hi);
                for (int c = 0; c < 4; c++) {
                    float d1 = d * sub(sc, 2 * c);
                    float m1 = dmin * sub(mn, 2 * c);
                    float d2 = d * sub(sc, 2 * c + 1);
                    float m2 = dmin * sub(mn, 2 * c + 1);
                    for (int l = 0; l < 32; l += 16) {
                        nibbles5(s, b + 48 + 32 * c + l, b + 16 + l, 2 * c, d1, m1, d2, m2, y, o + 64 * c + l);
                    }
                }
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 176, xo += 256) {
                float d = f16(s, b);
                float dmin = f16(s, b + 2);
                long lo = s.get(I64_LE, b + 4);
                int hi = s.get(Vec.I32_LE, b + 12);
                long sc = scales(lo, hi);
                long mn = mins(lo, hi);
                for (int c = 0; c < 4; c++) {
                    float d1 = d * sub(sc, 2 * c);
                    float m1 = dmin * sub(mn, 2 * c);
                    float d2 = d * sub(sc, 2 * c + 1);
                    float m2 = dmin * sub(mn, 2 * c + 1);
                    for (int l = 0; l < 32; l += 16) {
                        ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 48 + 32 * c + l, LE);
                        ByteVector h = ByteVector.fromMemorySegment(B16, s, b + 16 + l, LE);
                        for (int p = 0; p < PARTS; p++) {
                            IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                            IntVector hb = ((IntVector) h.convertShape(B2I, I, p)).and(0xFF);
                            IntVector qlo = v.and(0xF).or(hb.lanewise(LSHR, 2 * c).and(1).lanewise(LSHL, 4));
                            IntVector qhi = v.lanewise(LSHR, 4)
                                    .or(hb.lanewise(LSHR, 2 * c + 1).and(1).lanewise(LSHL, 4));
                            int at = xo + 64 * c + l + p * FL;
                            a0 = ((FloatVector) qlo.convertShape(I2F, F, 0)).mul(d1).sub(m1)
                                    .fma(FloatVector.fromArray(F, x, at), a0);
                            a1 = ((FloatVector) qhi.convertShape(I2F, F, 0)).mul(d2).sub(m2)
                                    .fma(FloatVector.fromArray(F, x, at + 32), a1);
                        }
                    }
                }
            }
            // Vec.sum written out: a call is not inlined in a method this large, and would box the vector.
            FloatVector v = a0.add(a1);
            if (FL == 16) {
                v = v.add(v.rearrange(Vec.FOLD8));
            }
            if (FL >= 8) {
                v = v.add(v.rearrange(Vec.FOLD4));
            }
            v = v.add(v.rearrange(Vec.FOLD2));
            return v.add(v.rearrange(Vec.FOLD1)).lane(0);
        }
    };

    /*
     * The leaf kernels below take and return no vectors and call nothing of ours with one: if the JIT
     * does not inline them they are compiled on their own, and if it does, nothing inside them can
     * be left out-of-line with a vector argument (see LegacyDecoders).
     */

    /** 16 bytes of nibbles at qs: low ones to y[at..) as d1·q − m1, high ones to y[at+32..) as d2·q − m2. */
    private static void nibbles(MemorySegment s, long qs, float d1, float m1, float d2, float m2, float[] y, int at) {
        if (FL == 16) {
            // Q4_K's dotByLookup: the sixteen values of each sub-block, then one permute per sixteen codes.
            FloatVector codes = FloatVector.fromArray(F, NIBBLE_VALUES, 0);
            IntVector v = (IntVector) ByteVector.fromMemorySegment(B16, s, qs, LE).convertShape(ZERO_EXTEND_B2I, I, 0);
            v.and(0xF).selectFrom(codes.mul(d1).sub(m1).reinterpretAsInts()).reinterpretAsFloats().intoArray(y, at);
            v.lanewise(LSHR, 4).selectFrom(codes.mul(d2).sub(m2).reinterpretAsInts()).reinterpretAsFloats()
                    .intoArray(y, at + 32);
            return;
        }
        ByteVector q = ByteVector.fromMemorySegment(B16, s, qs, LE);
        for (int p = 0; p < PARTS; p++) {
            IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
            ((FloatVector) v.and(0xF).convertShape(I2F, F, 0)).mul(d1).sub(m1).intoArray(y, at + p * FL);
            ((FloatVector) v.lanewise(LSHR, 4).convertShape(I2F, F, 0)).mul(d2).sub(m2).intoArray(y, at + 32 + p * FL);
        }
    }

    /** As {@link #nibbles}, plus bit {@code bit} (low half) and {@code bit+1} (high half) of qh[l] as a fifth bit. */
    private static void nibbles5(MemorySegment s, long qs, long qh, int bit, float d1, float m1, float d2, float m2,
            float[] y, int at) {
        ByteVector q = ByteVector.fromMemorySegment(B16, s, qs, LE);
        ByteVector h = ByteVector.fromMemorySegment(B16, s, qh, LE);
        for (int p = 0; p < PARTS; p++) {
            IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
            IntVector hb = ((IntVector) h.convertShape(B2I, I, p)).and(0xFF);
            IntVector lo = v.and(0xF).or(hb.lanewise(LSHR, bit).and(1).lanewise(LSHL, 4));
            IntVector hi = v.lanewise(LSHR, 4).or(hb.lanewise(LSHR, bit + 1).and(1).lanewise(LSHL, 4));
            ((FloatVector) lo.convertShape(I2F, F, 0)).mul(d1).sub(m1).intoArray(y, at + p * FL);
            ((FloatVector) hi.convertShape(I2F, F, 0)).mul(d2).sub(m2).intoArray(y, at + 32 + p * FL);
        }
    }

    /** Q6_K: {u8 ql[128], u8 qh[64], i8 scales[16], f16 d}; y = d·sc·(q − 32) per 16-element group. */
    static final BlockDecoder Q6_K = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q6_K;
        }

        private static final DotOrder ORDER = DotOrder.q6k();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 210, o += 256) {
                float d = f16(s, b + 208);
                for (int half = 0; half < 2; half++) {
                    long ql = b + 64L * half;
                    long qh = b + 128 + 32L * half;
                    long sc = b + 192 + 8L * half;
                    // l = 16g .. 16g+15 share the scales sc[g], sc[g+2], sc[g+4], sc[g+6].
                    for (int g = 0; g < 2; g++) {
                        q6Group(s, ql + 16 * g, qh + 16 * g,
                                d * s.get(ValueLayout.JAVA_BYTE, sc + g), d * s.get(ValueLayout.JAVA_BYTE, sc + g + 2),
                                d * s.get(ValueLayout.JAVA_BYTE, sc + g + 4),
                                d * s.get(ValueLayout.JAVA_BYTE, sc + g + 6), y, o + 128 * half + 16 * g);
                    }
                }
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            return FL == 16 ? dotWithScaleVector(s, b, blocks, x, xo) : dotByScalars(s, b, blocks, x, xo);
        }

        /**
         * dotByScalars with the sixteen d·sc of a super-block made by one widening and one multiply
         * (the same products) and handed to each group by constant lane broadcasts, instead of sixteen
         * scalar loads, converts, multiplies and broadcasts; the four groups are written out so that
         * the broadcasts are constants. Same FMAs in the same order. One core, in L2: ~7-9 → ~10-12 G
         * weights/s; the same as a loop over the groups taking its broadcasts from an array measured
         * half as fast (5.3-8.6), hence the repetition.
         */
        private static float dotWithScaleVector(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 210, xo += 256) {
                FloatVector sc = ((FloatVector) ByteVector.fromMemorySegment(B16, s, b + 192, LE)
                        .convertShape(B2F, F, 0)).mul(f16(s, b + 208));
                // Half 0, l = 0..15: scales sc[0], sc[2], sc[4], sc[6].
                {
                    long ql = b + 0;
                    IntVector lo0 = IntVector.fromMemorySegment(I4, s, ql, LE);
                    IntVector lo1 = IntVector.fromMemorySegment(I4, s, ql + 32, LE);
                    IntVector h = IntVector.fromMemorySegment(I4, s, b + 128, LE);
                    ByteVector q1 = lo0.and(0x0F0F0F0F).or(h.and(0x03030303).lanewise(LSHL, 4)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q2 = lo1.and(0x0F0F0F0F).or(h.and(0x0C0C0C0C).lanewise(LSHL, 2)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q3 = lo0.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.and(0x30303030)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q4 = lo1.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.lanewise(LSHR, 2).and(0x30303030))
                            .reinterpretAsBytes().sub((byte) 32);
                    int at = xo + 0;
                    a0 = ((FloatVector) q1.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B0))
                            .fma(FloatVector.fromArray(F, x, at), a0);
                    a1 = ((FloatVector) q2.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B2))
                            .fma(FloatVector.fromArray(F, x, at + 32), a1);
                    a0 = ((FloatVector) q3.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B4))
                            .fma(FloatVector.fromArray(F, x, at + 64), a0);
                    a1 = ((FloatVector) q4.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B6))
                            .fma(FloatVector.fromArray(F, x, at + 96), a1);
                }
                // Half 0, l = 16..31: scales sc[1], sc[3], sc[5], sc[7].
                {
                    long ql = b + 16;
                    IntVector lo0 = IntVector.fromMemorySegment(I4, s, ql, LE);
                    IntVector lo1 = IntVector.fromMemorySegment(I4, s, ql + 32, LE);
                    IntVector h = IntVector.fromMemorySegment(I4, s, b + 144, LE);
                    ByteVector q1 = lo0.and(0x0F0F0F0F).or(h.and(0x03030303).lanewise(LSHL, 4)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q2 = lo1.and(0x0F0F0F0F).or(h.and(0x0C0C0C0C).lanewise(LSHL, 2)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q3 = lo0.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.and(0x30303030)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q4 = lo1.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.lanewise(LSHR, 2).and(0x30303030))
                            .reinterpretAsBytes().sub((byte) 32);
                    int at = xo + 16;
                    a0 = ((FloatVector) q1.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B1))
                            .fma(FloatVector.fromArray(F, x, at), a0);
                    a1 = ((FloatVector) q2.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B3))
                            .fma(FloatVector.fromArray(F, x, at + 32), a1);
                    a0 = ((FloatVector) q3.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B5))
                            .fma(FloatVector.fromArray(F, x, at + 64), a0);
                    a1 = ((FloatVector) q4.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B7))
                            .fma(FloatVector.fromArray(F, x, at + 96), a1);
                }
                // Half 1, l = 0..15: scales sc[8], sc[10], sc[12], sc[14].
                {
                    long ql = b + 64;
                    IntVector lo0 = IntVector.fromMemorySegment(I4, s, ql, LE);
                    IntVector lo1 = IntVector.fromMemorySegment(I4, s, ql + 32, LE);
                    IntVector h = IntVector.fromMemorySegment(I4, s, b + 160, LE);
                    ByteVector q1 = lo0.and(0x0F0F0F0F).or(h.and(0x03030303).lanewise(LSHL, 4)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q2 = lo1.and(0x0F0F0F0F).or(h.and(0x0C0C0C0C).lanewise(LSHL, 2)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q3 = lo0.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.and(0x30303030)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q4 = lo1.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.lanewise(LSHR, 2).and(0x30303030))
                            .reinterpretAsBytes().sub((byte) 32);
                    int at = xo + 128;
                    a0 = ((FloatVector) q1.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B8))
                            .fma(FloatVector.fromArray(F, x, at), a0);
                    a1 = ((FloatVector) q2.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B10))
                            .fma(FloatVector.fromArray(F, x, at + 32), a1);
                    a0 = ((FloatVector) q3.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B12))
                            .fma(FloatVector.fromArray(F, x, at + 64), a0);
                    a1 = ((FloatVector) q4.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B14))
                            .fma(FloatVector.fromArray(F, x, at + 96), a1);
                }
                // Half 1, l = 16..31: scales sc[9], sc[11], sc[13], sc[15].
                {
                    long ql = b + 80;
                    IntVector lo0 = IntVector.fromMemorySegment(I4, s, ql, LE);
                    IntVector lo1 = IntVector.fromMemorySegment(I4, s, ql + 32, LE);
                    IntVector h = IntVector.fromMemorySegment(I4, s, b + 176, LE);
                    ByteVector q1 = lo0.and(0x0F0F0F0F).or(h.and(0x03030303).lanewise(LSHL, 4)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q2 = lo1.and(0x0F0F0F0F).or(h.and(0x0C0C0C0C).lanewise(LSHL, 2)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q3 = lo0.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.and(0x30303030)).reinterpretAsBytes()
                            .sub((byte) 32);
                    ByteVector q4 = lo1.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.lanewise(LSHR, 2).and(0x30303030))
                            .reinterpretAsBytes().sub((byte) 32);
                    int at = xo + 144;
                    a0 = ((FloatVector) q1.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B9))
                            .fma(FloatVector.fromArray(F, x, at), a0);
                    a1 = ((FloatVector) q2.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B11))
                            .fma(FloatVector.fromArray(F, x, at + 32), a1);
                    a0 = ((FloatVector) q3.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B13))
                            .fma(FloatVector.fromArray(F, x, at + 64), a0);
                    a1 = ((FloatVector) q4.convertShape(B2F, F, 0)).mul(sc.rearrange(Lanes.B15))
                            .fma(FloatVector.fromArray(F, x, at + 96), a1);
                }
            }
            // Vec.sum written out (FL is 16 here): C2 does not inline it at this call site and would box.
            FloatVector v = a0.add(a1);
            v = v.add(v.rearrange(Vec.FOLD8));
            v = v.add(v.rearrange(Vec.FOLD4));
            v = v.add(v.rearrange(Vec.FOLD2));
            return v.add(v.rearrange(Vec.FOLD1)).lane(0);
        }

        private static float dotByScalars(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 210, xo += 256) {
                float d = f16(s, b + 208);
                for (int half = 0; half < 2; half++) {
                    long sc = b + 192 + 8L * half;
                    for (int g = 0; g < 2; g++) {
                        float s1 = d * s.get(ValueLayout.JAVA_BYTE, sc + g);
                        float s2 = d * s.get(ValueLayout.JAVA_BYTE, sc + g + 2);
                        float s3 = d * s.get(ValueLayout.JAVA_BYTE, sc + g + 4);
                        float s4 = d * s.get(ValueLayout.JAVA_BYTE, sc + g + 6);
                        long ql = b + 64L * half + 16 * g;
                        // q6Group's code assembly, written out (see there).
                        IntVector lo0 = IntVector.fromMemorySegment(I4, s, ql, LE);
                        IntVector lo1 = IntVector.fromMemorySegment(I4, s, ql + 32, LE);
                        IntVector h = IntVector.fromMemorySegment(I4, s, b + 128 + 32L * half + 16 * g, LE);
                        ByteVector q1 = lo0.and(0x0F0F0F0F).or(h.and(0x03030303).lanewise(LSHL, 4))
                                .reinterpretAsBytes().sub((byte) 32);
                        ByteVector q2 = lo1.and(0x0F0F0F0F).or(h.and(0x0C0C0C0C).lanewise(LSHL, 2))
                                .reinterpretAsBytes().sub((byte) 32);
                        ByteVector q3 = lo0.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.and(0x30303030))
                                .reinterpretAsBytes().sub((byte) 32);
                        ByteVector q4 = lo1.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.lanewise(LSHR, 2).and(0x30303030))
                                .reinterpretAsBytes().sub((byte) 32);
                        for (int p = 0; p < PARTS; p++) {
                            int at = xo + 128 * half + 16 * g + p * FL;
                            a0 = ((FloatVector) q1.convertShape(B2F, F, p)).mul(s1)
                                    .fma(FloatVector.fromArray(F, x, at), a0);
                            a1 = ((FloatVector) q2.convertShape(B2F, F, p)).mul(s2)
                                    .fma(FloatVector.fromArray(F, x, at + 32), a1);
                            a0 = ((FloatVector) q3.convertShape(B2F, F, p)).mul(s3)
                                    .fma(FloatVector.fromArray(F, x, at + 64), a0);
                            a1 = ((FloatVector) q4.convertShape(B2F, F, p)).mul(s4)
                                    .fma(FloatVector.fromArray(F, x, at + 96), a1);
                        }
                    }
                }
            }
            // Vec.sum written out: a call is not inlined in a method this large, and would box the vector.
            FloatVector v = a0.add(a1);
            if (FL == 16) {
                v = v.add(v.rearrange(Vec.FOLD8));
            }
            if (FL >= 8) {
                v = v.add(v.rearrange(Vec.FOLD4));
            }
            v = v.add(v.rearrange(Vec.FOLD2));
            return v.add(v.rearrange(Vec.FOLD1)).lane(0);
        }
    };

    /**
     * Sixteen l of a Q6_K half: low nibbles of ql[l], ql[l+32] and bit pairs of qh[l] make the codes
     * of y[l], y[l+32], y[l+64], y[l+96], scaled by s1..s4.
     */
    private static void q6Group(MemorySegment s, long ql, long qh, float s1, float s2, float s3, float s4, float[] y,
            int at) {
        // The codes are put together on the packed bytes, four to an int lane of a 16-byte vector, where
        // an operation costs half a 512-bit one and covers sixteen codes: the two high bits of each code
        // sit at bits 0-1, 2-3, 4-5, 6-7 of qh[l] and move to bits 4-5 of its byte. q − 32 fits a signed
        // byte, so one sign-extending conversion per sixteen codes remains. Against widening first and
        // assembling in int lanes: 8.0 → 9.5 G weights/s on one core (Q6_K dot, 4096-wide rows in L2).
        IntVector lo0 = IntVector.fromMemorySegment(I4, s, ql, LE);
        IntVector lo1 = IntVector.fromMemorySegment(I4, s, ql + 32, LE);
        IntVector h = IntVector.fromMemorySegment(I4, s, qh, LE);
        ByteVector q1 = lo0.and(0x0F0F0F0F).or(h.and(0x03030303).lanewise(LSHL, 4)).reinterpretAsBytes()
                .sub((byte) 32);
        ByteVector q2 = lo1.and(0x0F0F0F0F).or(h.and(0x0C0C0C0C).lanewise(LSHL, 2)).reinterpretAsBytes()
                .sub((byte) 32);
        ByteVector q3 = lo0.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.and(0x30303030)).reinterpretAsBytes()
                .sub((byte) 32);
        ByteVector q4 = lo1.lanewise(LSHR, 4).and(0x0F0F0F0F).or(h.lanewise(LSHR, 2).and(0x30303030))
                .reinterpretAsBytes().sub((byte) 32);
        for (int p = 0; p < PARTS; p++) {
            int o = at + p * FL;
            ((FloatVector) q1.convertShape(B2F, F, p)).mul(s1).intoArray(y, o);
            ((FloatVector) q2.convertShape(B2F, F, p)).mul(s2).intoArray(y, o + 32);
            ((FloatVector) q3.convertShape(B2F, F, p)).mul(s3).intoArray(y, o + 64);
            ((FloatVector) q4.convertShape(B2F, F, p)).mul(s4).intoArray(y, o + 96);
        }
    }
}
