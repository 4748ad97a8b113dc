/*
 * Integer dot products of the 32-value block types with Q8_0 / Q8_1 activations (ggml's
 * ggml_vec_dot_q4_0_q8_0 and friends; the formulas are Ops.matmul's). Per block, the weight codes
 * become int16 lanes, are multiplied by the int16-widened activation codes, and adjacent products
 * are added pairwise into int32 lanes — what x86's PMADDWD does, spelled out because the Vector API
 * has no such operation: for an int lane p holding two int16 products lo, hi, (p + (p << 16)) >> 16
 * is lo + hi whenever that sum fits in int16 (the bounds are noted per type). The block's int32
 * lanes are converted to float once and FMA'd with the block scale d_w·d_x.
 *
 * Code layout: Q8_0 weights pair value 2j with 2j+1 (natural order, PMOVSXBW of 2·FL bytes); the
 * 4/5-bit types and MXFP4 pair value j (low nibble of byte j) with j+16 (its high nibble), built in
 * one int lane as low | high << 16, against activations stored in the PAIRED order.
 *
 * The JIT rule of LegacyDecoders holds here: no vector crosses a method of ours. Tested against
 * RefOps by the conformance suite and against ggml's vec_dot by LlamaCppMatmulTest.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.B16;
import static dev.vireo.ops.cpu.Vec.BH;
import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.I;
import static dev.vireo.ops.cpu.Vec.I16_LE;
import static dev.vireo.ops.cpu.Vec.I32_LE;
import static dev.vireo.ops.cpu.Vec.LE;
import static dev.vireo.ops.cpu.Vec.PARTS;
import static dev.vireo.ops.cpu.Vec.SW;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

/** Integer dot products for Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 and MXFP4 weights. */
final class LegacyDots {
    private LegacyDots() {}

    /** Activation codes covered by one {@link Vec#SW} vector. */
    private static final int SL = 2 * FL;
    /** Lane j holds j: the byte index within a part, to pick Q5's fifth bits. */
    private static final int[] LANES = new int[16];
    /** ggml's kvalues_mxfp4 (doubled E2M1 values, sign in bit 3) as bytes, for a 16-entry lookup. */
    private static final byte[] MXFP4_VALUES = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

    static {
        for (int j = 0; j < 16; j++) {
            LANES[j] = j;
        }
    }

    private static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16_LE, off));
    }

    /** Q8_0 × Q8_0: |c·q| ≤ 128·128 leaves no room for a pairwise int16 sum, so pairs widen first. */
    static final QuantDot Q8_0 = new QuantDot() {
        @Override
        public DType type() {
            return DType.Q8_0;
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
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 34, qo += 32) {
                IntVector sum = IntVector.zero(I);
                for (int p = 0; p < 32; p += SL) {
                    ShortVector w = (ShortVector) ByteVector.fromMemorySegment(BH, s, b + 2 + p, LE)
                            .convertShape(B2S, SW, 0);
                    IntVector prod = w.mul(ShortVector.fromArray(SW, q, qo + p)).reinterpretAsInts();
                    sum = sum.add(prod.lanewise(LSHL, 16).lanewise(ASHR, 16)).add(prod.lanewise(ASHR, 16));
                }
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, f16(s, b) * dx[k + i]), acc);
            }
            return Vec.sum(acc);
        }
    };

    /** Q4_0 × Q8_0: codes nibble − 8; |c·q| ≤ 8·128, at most four parts summed: int16-safe. */
    static final QuantDot Q4_0 = new QuantDot() {
        @Override
        public DType type() {
            return DType.Q4_0;
        }

        @Override
        public Activations.Order order() {
            return Activations.Order.PAIRED;
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, Activations a, int t) {
            short[] q = a.codes;
            float[] dx = a.scales;
            int qo = t * a.cols;
            int k = t * blocks;
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 18, qo += 32) {
                ByteVector qs = ByteVector.fromMemorySegment(B16, s, b + 2, LE);
                ShortVector prod = ShortVector.zero(SW);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = (IntVector) qs.convertShape(B2I, I, p);
                    ShortVector w = v.and(0xF).or(v.and(0xF0).lanewise(LSHL, 12)).reinterpretAsShorts().sub((short) 8);
                    prod = prod.add(w.mul(ShortVector.fromArray(SW, q, qo + p * SL)));
                }
                IntVector pi = prod.reinterpretAsInts();
                IntVector sum = pi.add(pi.lanewise(LSHL, 16)).lanewise(ASHR, 16);
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, f16(s, b) * dx[k + i]), acc);
            }
            return Vec.sum(acc);
        }
    };

    /** Q4_1 × Q8_1: codes the nibbles (≤ 15·128 per product, four parts: int16-safe), plus m·s per block. */
    static final QuantDot Q4_1 = new QuantDot() {
        @Override
        public DType type() {
            return DType.Q4_1;
        }

        @Override
        public Activations.Order order() {
            return Activations.Order.PAIRED;
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, Activations a, int t) {
            short[] q = a.codes;
            float[] dx = a.scales;
            float[] sx = a.sums;
            int qo = t * a.cols;
            int k = t * blocks;
            FloatVector acc = FloatVector.zero(F);
            double bias = 0;
            for (int i = 0; i < blocks; i++, b += 20, qo += 32) {
                ByteVector qs = ByteVector.fromMemorySegment(B16, s, b + 4, LE);
                ShortVector prod = ShortVector.zero(SW);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = (IntVector) qs.convertShape(B2I, I, p);
                    ShortVector w = v.and(0xF).or(v.and(0xF0).lanewise(LSHL, 12)).reinterpretAsShorts();
                    prod = prod.add(w.mul(ShortVector.fromArray(SW, q, qo + p * SL)));
                }
                IntVector pi = prod.reinterpretAsInts();
                IntVector sum = pi.add(pi.lanewise(LSHL, 16)).lanewise(ASHR, 16);
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, f16(s, b) * dx[k + i]), acc);
                bias += (double) f16(s, b + 2) * sx[k + i];
            }
            return (float) (Vec.sum(acc) + bias);
        }
    };

    /**
     * Q5_0 × Q8_0: codes nibble + 16·(bit of qh) − 16, |c·q| ≤ 16·128, int16-safe. Int lane j of part p
     * holds byte j' = p·FL + j: its fifth bits are bits j' and j' + 16 of qh, which one variable shift
     * of qh by j' brings to bits 0 and 16 at once.
     */
    static final QuantDot Q5_0 = new QuantDot() {
        @Override
        public DType type() {
            return DType.Q5_0;
        }

        @Override
        public Activations.Order order() {
            return Activations.Order.PAIRED;
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, Activations a, int t) {
            short[] q = a.codes;
            float[] dx = a.scales;
            int qo = t * a.cols;
            int k = t * blocks;
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 22, qo += 32) {
                IntVector qh = IntVector.broadcast(I, s.get(I32_LE, b + 2));
                ByteVector qs = ByteVector.fromMemorySegment(B16, s, b + 6, LE);
                ShortVector prod = ShortVector.zero(SW);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = (IntVector) qs.convertShape(B2I, I, p);
                    IntVector h = qh.lanewise(LSHR, IntVector.fromArray(I, LANES, p * FL)).and(0x0001_0001)
                            .lanewise(LSHL, 4);
                    ShortVector w = v.and(0xF).or(v.and(0xF0).lanewise(LSHL, 12)).or(h).reinterpretAsShorts()
                            .sub((short) 16);
                    prod = prod.add(w.mul(ShortVector.fromArray(SW, q, qo + p * SL)));
                }
                IntVector pi = prod.reinterpretAsInts();
                IntVector sum = pi.add(pi.lanewise(LSHL, 16)).lanewise(ASHR, 16);
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, f16(s, b) * dx[k + i]), acc);
            }
            return Vec.sum(acc);
        }
    };

    /** Q5_1 × Q8_1: codes 0..31, |c·q| ≤ 31·128, four parts 15872, pairs 31744: int16-safe. */
    static final QuantDot Q5_1 = new QuantDot() {
        @Override
        public DType type() {
            return DType.Q5_1;
        }

        @Override
        public Activations.Order order() {
            return Activations.Order.PAIRED;
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, Activations a, int t) {
            short[] q = a.codes;
            float[] dx = a.scales;
            float[] sx = a.sums;
            int qo = t * a.cols;
            int k = t * blocks;
            FloatVector acc = FloatVector.zero(F);
            double bias = 0;
            for (int i = 0; i < blocks; i++, b += 24, qo += 32) {
                IntVector qh = IntVector.broadcast(I, s.get(I32_LE, b + 4));
                ByteVector qs = ByteVector.fromMemorySegment(B16, s, b + 8, LE);
                ShortVector prod = ShortVector.zero(SW);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = (IntVector) qs.convertShape(B2I, I, p);
                    IntVector h = qh.lanewise(LSHR, IntVector.fromArray(I, LANES, p * FL)).and(0x0001_0001)
                            .lanewise(LSHL, 4);
                    ShortVector w = v.and(0xF).or(v.and(0xF0).lanewise(LSHL, 12)).or(h).reinterpretAsShorts();
                    prod = prod.add(w.mul(ShortVector.fromArray(SW, q, qo + p * SL)));
                }
                IntVector pi = prod.reinterpretAsInts();
                IntVector sum = pi.add(pi.lanewise(LSHL, 16)).lanewise(ASHR, 16);
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, f16(s, b) * dx[k + i]), acc);
                bias += (double) f16(s, b + 2) * sx[k + i];
            }
            return (float) (Vec.sum(acc) + bias);
        }
    };

    /**
     * MXFP4 × Q8_0: codes looked up as bytes (a 16-entry table: PSHUFB), |K·q| ≤ 12·128, int16-safe;
     * the block scale is 2^(e−128)·d_x.
     */
    static final QuantDot MXFP4 = new QuantDot() {
        @Override
        public DType type() {
            return DType.MXFP4;
        }

        @Override
        public Activations.Order order() {
            return Activations.Order.PAIRED;
        }

        @Override
        public float dot(MemorySegment s, long b, int blocks, Activations a, int t) {
            short[] q = a.codes;
            float[] dx = a.scales;
            int qo = t * a.cols;
            int k = t * blocks;
            ByteVector table = ByteVector.fromArray(B16, MXFP4_VALUES, 0);
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < blocks; i++, b += 17, qo += 32) {
                ByteVector qs = ByteVector.fromMemorySegment(B16, s, b + 1, LE);
                ByteVector lo = qs.and((byte) 0x0F).selectFrom(table);
                ByteVector hi = qs.lanewise(LSHR, 4).selectFrom(table);
                ShortVector prod = ShortVector.zero(SW);
                for (int p = 0; p < PARTS; p++) {
                    IntVector l = (IntVector) lo.convertShape(B2I, I, p);
                    IntVector h = (IntVector) hi.convertShape(B2I, I, p);
                    ShortVector w = l.and(0xFFFF).or(h.lanewise(LSHL, 16)).reinterpretAsShorts();
                    prod = prod.add(w.mul(ShortVector.fromArray(SW, q, qo + p * SL)));
                }
                IntVector pi = prod.reinterpretAsInts();
                IntVector sum = pi.add(pi.lanewise(LSHL, 16)).lanewise(ASHR, 16);
                float d = LegacyDecoders.halfScale(s.get(ValueLayout.JAVA_BYTE, b) & 0xFF) * dx[k + i];
                acc = ((FloatVector) sum.convert(I2F, 0)).fma(FloatVector.broadcast(F, d), acc);
            }
            return Vec.sum(acc);
        }
    };
}
