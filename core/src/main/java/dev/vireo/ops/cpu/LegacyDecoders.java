/*
 * Vectorised decoders of ggml's 32-element block types (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1) and MXFP4.
 * The layouts are model-spec.md §3.3 / dev.vireo.tensor.DType; the arithmetic mirrors the reference
 * codecs in dev.vireo.tensor.quant (same operations, same order: bit-identical, see CpuDecoderTest).
 *
 * Codes are loaded 16 bytes at a time and widened to int lanes (Vec.I), where nibbles and fifth bits
 * are separated with plain shifts and masks (x86 has no byte shifts), then converted to float.
 * Every decoder has its own block loop (no shared loop calling a per-type method), so that the JIT
 * compiles each loop with its block body inlined.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.I16_LE;
import static dev.vireo.ops.cpu.Vec.I32_LE;
import static dev.vireo.ops.cpu.Vec.LE;
import static dev.vireo.ops.cpu.Vec.PARTS;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** Decoders for the 32-element block types. */
final class LegacyDecoders {
    private LegacyDecoders() {}

    /** Lane j of part p holds p·FL + j: the element index within a 16-element half. */
    private static final IntVector[] LANE = new IntVector[PARTS];

    static {
        for (int p = 0; p < PARTS; p++) {
            LANE[p] = IntVector.zero(Vec.I).addIndex(1).add(p * FL);
        }
    }

    static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16_LE, off));
    }

    /** Part p of a 16-byte vector, widened to unsigned int lanes. */
    static IntVector bytes(ByteVector b, int p) {
        return ((IntVector) b.convertShape(VectorOperators.B2I, Vec.I, p)).and(0xFF);
    }

    static ByteVector load16(MemorySegment s, long off) {
        return ByteVector.fromMemorySegment(Vec.B16, s, off, LE);
    }

    /** Int lanes to float lanes. The target species is named (not derived) so the JIT sees a constant. */
    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, Vec.F, 0);
    }

    /** 16 where bit {@code index} of qh is set, per lane. */
    private static IntVector fifthBit(IntVector qh, IntVector index) {
        return qh.lanewise(VectorOperators.LSHR, index).and(1).lanewise(VectorOperators.LSHL, 4);
    }

    /** Q8_0: {f16 d, int8 q[32]}; y = q·d. */
    static final BlockDecoder Q8_0 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q8_0;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 34, o += 32) {
                float d = f16(s, b);
                for (int half = 0; half < 2; half++) {
                    ByteVector q = load16(s, b + 2 + 16 * half);
                    for (int p = 0; p < PARTS; p++) {
                        ((FloatVector) q.convertShape(VectorOperators.B2F, Vec.F, p)).mul(d)
                                .intoArray(y, o + 16 * half + p * FL);
                    }
                }
            }
        }
    };

    /** Q4_0: {f16 d, u8 qs[16]}; y = (q − 8)·d, low nibbles the first half, high nibbles the second. */
    static final BlockDecoder Q4_0 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q4_0;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 18, o += 32) {
                float d = f16(s, b);
                ByteVector q = load16(s, b + 2);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = bytes(q, p);
                    toFloat(v.and(0xF).sub(8)).mul(d).intoArray(y, o + p * FL);
                    toFloat(v.lanewise(VectorOperators.LSHR, 4).sub(8)).mul(d).intoArray(y, o + 16 + p * FL);
                }
            }
        }
    };

    /** Q4_1: {f16 d, f16 m, u8 qs[16]}; y = q·d + m. */
    static final BlockDecoder Q4_1 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q4_1;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 20, o += 32) {
                float d = f16(s, b);
                float m = f16(s, b + 2);
                ByteVector q = load16(s, b + 4);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = bytes(q, p);
                    toFloat(v.and(0xF)).mul(d).add(m).intoArray(y, o + p * FL);
                    toFloat(v.lanewise(VectorOperators.LSHR, 4)).mul(d).add(m).intoArray(y, o + 16 + p * FL);
                }
            }
        }
    };

    /** Q5_0: {f16 d, u32 qh, u8 qs[16]}; element j's fifth bit is bit j of qh; y = (q − 16)·d. */
    static final BlockDecoder Q5_0 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q5_0;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 22, o += 32) {
                float d = f16(s, b);
                IntVector qh = IntVector.broadcast(Vec.I, s.get(I32_LE, b + 2));
                ByteVector q = load16(s, b + 6);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = bytes(q, p);
                    IntVector lo = v.and(0xF).or(fifthBit(qh, LANE[p]));
                    IntVector hi = v.lanewise(VectorOperators.LSHR, 4).or(fifthBit(qh, LANE[p].add(16)));
                    toFloat(lo.sub(16)).mul(d).intoArray(y, o + p * FL);
                    toFloat(hi.sub(16)).mul(d).intoArray(y, o + 16 + p * FL);
                }
            }
        }
    };

    /** Q5_1: {f16 d, f16 m, u32 qh, u8 qs[16]}; y = q·d + m. */
    static final BlockDecoder Q5_1 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q5_1;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 24, o += 32) {
                float d = f16(s, b);
                float m = f16(s, b + 2);
                IntVector qh = IntVector.broadcast(Vec.I, s.get(I32_LE, b + 4));
                ByteVector q = load16(s, b + 8);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = bytes(q, p);
                    IntVector lo = v.and(0xF).or(fifthBit(qh, LANE[p]));
                    IntVector hi = v.lanewise(VectorOperators.LSHR, 4).or(fifthBit(qh, LANE[p].add(16)));
                    toFloat(lo).mul(d).add(m).intoArray(y, o + p * FL);
                    toFloat(hi).mul(d).add(m).intoArray(y, o + 16 + p * FL);
                }
            }
        }
    };

    /**
     * MXFP4: {u8 e (E8M0), u8 qs[16]}; y = K[code]·2^(e−128), K the doubled E2M1 values (see e2m1).
     */
    static final BlockDecoder MXFP4 = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.MXFP4;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 17, o += 32) {
                float d = halfScale(s.get(ValueLayout.JAVA_BYTE, b) & 0xFF);
                ByteVector q = load16(s, b + 1);
                for (int p = 0; p < PARTS; p++) {
                    IntVector v = bytes(q, p);
                    e2m1(v.and(0xF)).mul(d).intoArray(y, o + p * FL);
                    e2m1(v.lanewise(VectorOperators.LSHR, 4)).mul(d).intoArray(y, o + 16 + p * FL);
                }
            }
        }
    };

    /**
     * Doubled E2M1 value of 4-bit codes (ggml's kvalues_mxfp4: 0,1,2,3,4,6,8,12, sign in bit 3),
     * computed from the code's bits rather than looked up, which works at every vector width: for a
     * magnitude m ≥ 2 the float with bits (m << 22) + bits(1.0) has exponent m>>1 and mantissa bit
     * m&1, which is exactly the doubled value; m = 0 and 1 are 0 and 1.
     */
    static FloatVector e2m1(IntVector code) {
        IntVector mag = code.and(7);
        IntVector normal = mag.lanewise(VectorOperators.LSHL, 22).add(0x3F800000);
        IntVector small = mag.neg().and(0x3F800000);
        VectorMask<Integer> isSmall = mag.compare(VectorOperators.LT, 2);
        IntVector sign = code.and(8).lanewise(VectorOperators.LSHL, 28);
        return normal.blend(small, isSmall).or(sign).reinterpretAsFloats();
    }

    /** 2^(e−128) as a float (e = 0, 1 give the subnormals 2^-128, 2^-127), as in the reference codec. */
    static float halfScale(int e) {
        int bits = e < 2 ? 0x00200000 << e : (e - 1) << 23;
        return Float.intBitsToFloat(bits);
    }
}
