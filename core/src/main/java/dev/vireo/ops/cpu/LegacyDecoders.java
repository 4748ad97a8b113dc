/*
 * Vectorised decoders of ggml's 32-element block types (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1) and MXFP4.
 * The layouts are model-spec.md §3.3 / dev.vireo.tensor.DType; the arithmetic mirrors the reference
 * codecs in dev.vireo.tensor.quant (same operations, same order: bit-identical, see CpuDecoderTest).
 *
 * Codes are loaded 16 bytes at a time and widened to int lanes (Vec.I), where nibbles and fifth bits
 * are separated with plain shifts and masks (x86 has no byte shifts), then converted to float.
 *
 * JIT rule followed throughout the CPU kernels: vector values never pass through a method of ours.
 * The Vector API's own methods are force-inlined; a helper of ours that takes or returns a vector
 * may be left out-of-line when the caller has used up C2's inlining budget (these loops do), and
 * then every vector crossing it is boxed on the heap, which costs ten times the arithmetic. So the
 * vector expressions are written out in each loop, and shared helpers take only scalars and arrays.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.B16;
import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.I;
import static dev.vireo.ops.cpu.Vec.I16_LE;
import static dev.vireo.ops.cpu.Vec.I32_LE;
import static dev.vireo.ops.cpu.Vec.LE;
import static dev.vireo.ops.cpu.Vec.PARTS;
import static jdk.incubator.vector.VectorOperators.B2F;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_B2I;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/** Decoders for the 32-element block types. */
final class LegacyDecoders {
    private LegacyDecoders() {}

    /** Per part p, lane j holds p·FL + j: the element index within a 16-element half (Q5 fifth bits). */
    private static final int[] LANES = new int[16];

    /** Q4_0's sixteen codes less its offset, q − 8, for the per-block lookup tables. */
    private static final float[] Q4_0_CODES = new float[16];

    static {
        for (int j = 0; j < 16; j++) {
            LANES[j] = j;
            Q4_0_CODES[j] = j - 8;
        }
    }

    static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16_LE, off));
    }

    /** Q8_0: {f16 d, int8 q[32]}; y = q·d. */
    static final BlockDecoder Q8_0 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q8_0;
        }

        private static final DotOrder ORDER = DotOrder.halves();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 34, o += 32) {
                float d = f16(s, b);
                ByteVector q0 = ByteVector.fromMemorySegment(B16, s, b + 2, LE);
                ByteVector q1 = ByteVector.fromMemorySegment(B16, s, b + 18, LE);
                for (int p = 0; p < PARTS; p++) {
                    ((FloatVector) q0.convertShape(B2F, F, p)).mul(d).intoArray(y, o + p * FL);
                    ((FloatVector) q1.convertShape(B2F, F, p)).mul(d).intoArray(y, o + 16 + p * FL);
                }
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 34, xo += 32) {
                float d = f16(s, b);
                ByteVector q0 = ByteVector.fromMemorySegment(B16, s, b + 2, LE);
                ByteVector q1 = ByteVector.fromMemorySegment(B16, s, b + 18, LE);
                for (int p = 0; p < PARTS; p++) {
                    a0 = ((FloatVector) q0.convertShape(B2F, F, p)).mul(d)
                            .fma(FloatVector.fromArray(F, x, xo + p * FL), a0);
                    a1 = ((FloatVector) q1.convertShape(B2F, F, p)).mul(d)
                            .fma(FloatVector.fromArray(F, x, xo + 16 + p * FL), a1);
                }
            }
            return Vec.sum(a0.add(a1));
        }
    };

    /** Q4_0: {f16 d, u8 qs[16]}; y = (q − 8)·d, low nibbles the first half, high nibbles the second. */
    static final BlockDecoder Q4_0 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q4_0;
        }

        private static final DotOrder ORDER = DotOrder.halves();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            if (FL == 16) {
                decodeByLookup(s, b, blocks, y, o);
                return;
            }
            for (int i = 0; i < blocks; i++, b += 18, o += 32) {
                float d = f16(s, b);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 2, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    ((FloatVector) v.and(0xF).sub(8).convertShape(I2F, F, 0)).mul(d).intoArray(y, o + p * FL);
                    ((FloatVector) v.lanewise(LSHR, 4).sub(8).convertShape(I2F, F, 0)).mul(d)
                            .intoArray(y, o + 16 + p * FL);
                }
            }
        }

        /** decode through a per-block table of the sixteen values (q − 8)·d: the same products. */
        private static void decodeByLookup(MemorySegment s, long b, int blocks, float[] y, int o) {
            FloatVector codes = FloatVector.fromArray(F, Q4_0_CODES, 0);
            for (int i = 0; i < blocks; i++, b += 18, o += 32) {
                IntVector table = codes.mul(f16(s, b)).reinterpretAsInts();
                IntVector v = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 2, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                v.and(0xF).selectFrom(table).reinterpretAsFloats().intoArray(y, o);
                v.lanewise(LSHR, 4).selectFrom(table).reinterpretAsFloats().intoArray(y, o + 16);
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            if (FL == 16) {
                return dotByLookup(s, b, blocks, x, xo);
            }
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 18, xo += 32) {
                float d = f16(s, b);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 2, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    a0 = ((FloatVector) v.and(0xF).sub(8).convertShape(I2F, F, 0)).mul(d)
                            .fma(FloatVector.fromArray(F, x, xo + p * FL), a0);
                    a1 = ((FloatVector) v.lanewise(LSHR, 4).sub(8).convertShape(I2F, F, 0)).mul(d)
                            .fma(FloatVector.fromArray(F, x, xo + 16 + p * FL), a1);
                }
            }
            return Vec.sum(a0.add(a1));
        }

        /**
         * Sixteen lanes hold all sixteen values (q − 8)·d of a block, so one permute (vpermd) turns
         * sixteen codes into weights: three vector operations fewer per block than converting and
         * scaling, and two blocks per turn let the scalar scale loads overlap. The FMAs and their order
         * are the other path's (DotOrder.halves), so the sums are the same bits. In one core's L2,
         * 12.9 → 16.4 G weights/s on a 4096-wide row.
         */
        private static float dotByLookup(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector codes = FloatVector.fromArray(F, Q4_0_CODES, 0);
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            int i = 0;
            for (; i + 1 < blocks; i += 2, b += 36, xo += 64) {
                IntVector t0 = codes.mul(f16(s, b)).reinterpretAsInts();
                IntVector t1 = codes.mul(f16(s, b + 18)).reinterpretAsInts();
                IntVector v0 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 2, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                IntVector v1 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 20, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                a0 = v0.and(0xF).selectFrom(t0).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo), a0);
                a1 = v0.lanewise(LSHR, 4).selectFrom(t0).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 16), a1);
                a0 = v1.and(0xF).selectFrom(t1).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 32), a0);
                a1 = v1.lanewise(LSHR, 4).selectFrom(t1).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 48), a1);
            }
            if (i < blocks) {
                IntVector t = codes.mul(f16(s, b)).reinterpretAsInts();
                IntVector v = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 2, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                a0 = v.and(0xF).selectFrom(t).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo), a0);
                a1 = v.lanewise(LSHR, 4).selectFrom(t).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 16), a1);
            }
            return Vec.sum(a0.add(a1));
        }
    };

    /** Q4_1: {f16 d, f16 m, u8 qs[16]}; y = q·d + m. */
    static final BlockDecoder Q4_1 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q4_1;
        }

        private static final DotOrder ORDER = DotOrder.halves();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 20, o += 32) {
                float d = f16(s, b);
                float m = f16(s, b + 2);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 4, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    ((FloatVector) v.and(0xF).convertShape(I2F, F, 0)).mul(d).add(m).intoArray(y, o + p * FL);
                    ((FloatVector) v.lanewise(LSHR, 4).convertShape(I2F, F, 0)).mul(d).add(m)
                            .intoArray(y, o + 16 + p * FL);
                }
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 20, xo += 32) {
                float d = f16(s, b);
                float m = f16(s, b + 2);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 4, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    a0 = ((FloatVector) v.and(0xF).convertShape(I2F, F, 0)).mul(d).add(m)
                            .fma(FloatVector.fromArray(F, x, xo + p * FL), a0);
                    a1 = ((FloatVector) v.lanewise(LSHR, 4).convertShape(I2F, F, 0)).mul(d).add(m)
                            .fma(FloatVector.fromArray(F, x, xo + 16 + p * FL), a1);
                }
            }
            return Vec.sum(a0.add(a1));
        }
    };

    /** Q5_0: {f16 d, u32 qh, u8 qs[16]}; element j's fifth bit is bit j of qh; y = (q − 16)·d. */
    static final BlockDecoder Q5_0 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q5_0;
        }

        private static final DotOrder ORDER = DotOrder.halves();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 22, o += 32) {
                float d = f16(s, b);
                int qh = s.get(I32_LE, b + 2);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 6, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    // Lane j of part p is element p·FL + j of the half: its fifth bit is bit (that) of qh,
                    // and bit (that + 16) for the high-nibble half.
                    IntVector lane = IntVector.fromArray(I, LANES, p * FL);
                    IntVector h0 = IntVector.broadcast(I, qh).lanewise(LSHR, lane).and(1).lanewise(LSHL, 4);
                    IntVector h1 = IntVector.broadcast(I, qh >>> 16).lanewise(LSHR, lane).and(1).lanewise(LSHL, 4);
                    ((FloatVector) v.and(0xF).or(h0).sub(16).convertShape(I2F, F, 0)).mul(d).intoArray(y, o + p * FL);
                    ((FloatVector) v.lanewise(LSHR, 4).or(h1).sub(16).convertShape(I2F, F, 0)).mul(d)
                            .intoArray(y, o + 16 + p * FL);
                }
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 22, xo += 32) {
                float d = f16(s, b);
                int qh = s.get(I32_LE, b + 2);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 6, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    IntVector lane = IntVector.fromArray(I, LANES, p * FL);
                    IntVector h0 = IntVector.broadcast(I, qh).lanewise(LSHR, lane).and(1).lanewise(LSHL, 4);
                    IntVector h1 = IntVector.broadcast(I, qh >>> 16).lanewise(LSHR, lane).and(1).lanewise(LSHL, 4);
                    a0 = ((FloatVector) v.and(0xF).or(h0).sub(16).convertShape(I2F, F, 0)).mul(d)
                            .fma(FloatVector.fromArray(F, x, xo + p * FL), a0);
                    a1 = ((FloatVector) v.lanewise(LSHR, 4).or(h1).sub(16).convertShape(I2F, F, 0)).mul(d)
                            .fma(FloatVector.fromArray(F, x, xo + 16 + p * FL), a1);
                }
            }
            return Vec.sum(a0.add(a1));
        }
    };

    /** Q5_1: {f16 d, f16 m, u32 qh, u8 qs[16]}; y = q·d + m. */
    static final BlockDecoder Q5_1 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q5_1;
        }

        private static final DotOrder ORDER = DotOrder.halves();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 24, o += 32) {
                float d = f16(s, b);
                float m = f16(s, b + 2);
                int qh = s.get(I32_LE, b + 4);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 8, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    IntVector lane = IntVector.fromArray(I, LANES, p * FL);
                    IntVector h0 = IntVector.broadcast(I, qh).lanewise(LSHR, lane).and(1).lanewise(LSHL, 4);
                    IntVector h1 = IntVector.broadcast(I, qh >>> 16).lanewise(LSHR, lane).and(1).lanewise(LSHL, 4);
                    ((FloatVector) v.and(0xF).or(h0).convertShape(I2F, F, 0)).mul(d).add(m).intoArray(y, o + p * FL);
                    ((FloatVector) v.lanewise(LSHR, 4).or(h1).convertShape(I2F, F, 0)).mul(d).add(m)
                            .intoArray(y, o + 16 + p * FL);
                }
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 24, xo += 32) {
                float d = f16(s, b);
                float m = f16(s, b + 2);
                int qh = s.get(I32_LE, b + 4);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 8, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    IntVector lane = IntVector.fromArray(I, LANES, p * FL);
                    IntVector h0 = IntVector.broadcast(I, qh).lanewise(LSHR, lane).and(1).lanewise(LSHL, 4);
                    IntVector h1 = IntVector.broadcast(I, qh >>> 16).lanewise(LSHR, lane).and(1).lanewise(LSHL, 4);
                    a0 = ((FloatVector) v.and(0xF).or(h0).convertShape(I2F, F, 0)).mul(d).add(m)
                            .fma(FloatVector.fromArray(F, x, xo + p * FL), a0);
                    a1 = ((FloatVector) v.lanewise(LSHR, 4).or(h1).convertShape(I2F, F, 0)).mul(d).add(m)
                            .fma(FloatVector.fromArray(F, x, xo + 16 + p * FL), a1);
                }
            }
            return Vec.sum(a0.add(a1));
        }
    };

    /**
     * MXFP4: {u8 e (E8M0), u8 qs[16]}; y = K[code]·2^(e−128), K the doubled E2M1 values of ggml's
     * kvalues_mxfp4 (0,1,2,3,4,6,8,12; sign in bit 3). K is computed from the code's bits, which
     * works at every vector width: for a magnitude m ≥ 2 the float with bits (m << 22) + bits(1.0)
     * has exponent m>>1 and mantissa bit m&1, exactly the doubled value; m = 0, 1 are 0 and 1, whose
     * bits are −m & bits(1.0).
     */
    static final BlockDecoder MXFP4 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.MXFP4;
        }

        private static final DotOrder ORDER = DotOrder.halves();

        @Override
        public DotOrder dotOrder() {
            return ORDER;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            if (FL == 16) {
                decodeByLookup(s, b, blocks, y, o);
            } else {
                decodeByBits(s, b, blocks, y, o);
            }
        }

        /** decode through the E2M1 table, as dotByLookup: the same floats as decodeByBits. */
        private static void decodeByLookup(MemorySegment s, long b, int blocks, float[] y, int o) {
            IntVector table = IntVector.fromArray(I, E2M1_BITS, 0);
            for (int i = 0; i < blocks; i++, b += 17, o += 32) {
                float d = halfScale(s.get(ValueLayout.JAVA_BYTE, b) & 0xFF);
                IntVector scaled = table.reinterpretAsFloats().mul(d).reinterpretAsInts();
                IntVector v = ((IntVector) ByteVector.fromMemorySegment(B16, s, b + 1, LE).convertShape(B2I, I, 0))
                        .and(0xFF);
                v.and(0xF).selectFrom(scaled).reinterpretAsFloats().intoArray(y, o);
                v.lanewise(LSHR, 4).selectFrom(scaled).reinterpretAsFloats().intoArray(y, o + 16);
            }
        }

        private static void decodeByBits(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 17, o += 32) {
                float d = halfScale(s.get(ValueLayout.JAVA_BYTE, b) & 0xFF);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 1, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    for (int half = 0; half < 2; half++) {
                        IntVector code = half == 0 ? v.and(0xF) : v.lanewise(LSHR, 4);
                        IntVector mag = code.and(7);
                        IntVector bits = mag.lanewise(LSHL, 22).add(0x3F800000)
                                .blend(mag.neg().and(0x3F800000), mag.compare(LT, 2))
                                .or(code.and(8).lanewise(LSHL, 28));
                        bits.reinterpretAsFloats().mul(d).intoArray(y, o + 16 * half + p * FL);
                    }
                }
            }
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, float[] x, int xo) {
            return FL == 16 ? dotByLookup(s, b, blocks, x, xo) : dotByBits(s, b, blocks, x, xo);
        }

        /**
         * Sixteen lanes hold the whole E2M1 table, so one permute (vpermd) decodes sixteen codes. The
         * table holds exactly the bits dotByBits computes, so both give the same floats, fed to the same
         * FMAs in the same order (batch invariance, DotOrder).
         */
        private static float dotByLookup(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector table = IntVector.fromArray(I, E2M1_BITS, 0).reinterpretAsFloats();
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            int i = 0;
            // Two blocks per turn, as Q4_0's dotByLookup; the table times d, then looked up: the same
            // products K[code]·d, one multiply per block.
            for (; i + 1 < blocks; i += 2, b += 34, xo += 64) {
                IntVector t0 = table.mul(halfScale(s.get(ValueLayout.JAVA_BYTE, b) & 0xFF)).reinterpretAsInts();
                IntVector t1 = table.mul(halfScale(s.get(ValueLayout.JAVA_BYTE, b + 17) & 0xFF)).reinterpretAsInts();
                IntVector v0 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 1, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                IntVector v1 = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 18, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                a0 = v0.and(0xF).selectFrom(t0).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo), a0);
                a1 = v0.lanewise(LSHR, 4).selectFrom(t0).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 16), a1);
                a0 = v1.and(0xF).selectFrom(t1).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo + 32), a0);
                a1 = v1.lanewise(LSHR, 4).selectFrom(t1).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 48), a1);
            }
            if (i < blocks) {
                IntVector t = table.mul(halfScale(s.get(ValueLayout.JAVA_BYTE, b) & 0xFF)).reinterpretAsInts();
                IntVector v = (IntVector) ByteVector.fromMemorySegment(B16, s, b + 1, LE)
                        .convertShape(ZERO_EXTEND_B2I, I, 0);
                a0 = v.and(0xF).selectFrom(t).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xo), a0);
                a1 = v.lanewise(LSHR, 4).selectFrom(t).reinterpretAsFloats()
                        .fma(FloatVector.fromArray(F, x, xo + 16), a1);
            }
            return Vec.sum(a0.add(a1));
        }

        private static float dotByBits(MemorySegment s, long b, int blocks, float[] x, int xo) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 17, xo += 32) {
                float d = halfScale(s.get(ValueLayout.JAVA_BYTE, b) & 0xFF);
                ByteVector q = ByteVector.fromMemorySegment(B16, s, b + 1, LE);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = ((IntVector) q.convertShape(B2I, I, p)).and(0xFF);
                    IntVector code = v.and(0xF);
                    IntVector mag = code.and(7);
                    IntVector bits = mag.lanewise(LSHL, 22).add(0x3F800000)
                            .blend(mag.neg().and(0x3F800000), mag.compare(LT, 2)).or(code.and(8).lanewise(LSHL, 28));
                    a0 = bits.reinterpretAsFloats().mul(d).fma(FloatVector.fromArray(F, x, xo + p * FL), a0);
                    code = v.lanewise(LSHR, 4);
                    mag = code.and(7);
                    bits = mag.lanewise(LSHL, 22).add(0x3F800000)
                            .blend(mag.neg().and(0x3F800000), mag.compare(LT, 2)).or(code.and(8).lanewise(LSHL, 28));
                    a1 = bits.reinterpretAsFloats().mul(d).fma(FloatVector.fromArray(F, x, xo + 16 + p * FL), a1);
                }
            }
            return Vec.sum(a0.add(a1));
        }
    };

    /** 2^(e−128) as a float (e = 0, 1 give the subnormals 2^-128, 2^-127), as in the reference codec. */
    /**
     * Float bits of the doubled E2M1 values by 4-bit code (sign in bit 3): what the MXFP4 kernels'
     * bit formula gives, computed by it once, so the lookup and the formula cannot disagree.
     */
    private static final int[] E2M1_BITS = new int[16];

    static {
        for (int code = 0; code < 16; code++) {
            int mag = code & 7;
            int bits = mag < 2 ? -mag & 0x3F800000 : (mag << 22) + 0x3F800000;
            E2M1_BITS[code] = bits | (code & 8) << 28;
        }
    }

    static float halfScale(int e) {
        int bits = e < 2 ? 0x00200000 << e : (e - 1) << 23;
        return Float.intBitsToFloat(bits);
    }
}
