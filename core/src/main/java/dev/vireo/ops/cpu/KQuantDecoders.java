/*
 * Vectorised decoders of ggml's 256-element k-quant super-blocks (Q4_K, Q5_K, Q6_K). Layouts are
 * model-spec.md §3.3; the arithmetic mirrors dev.vireo.tensor.quant.KQuantCodecs operation by
 * operation (d·sc first, then ·q, then − dmin·m), so the output is bit-identical (CpuDecoderTest).
 * The 6-bit sub-block scales are unpacked with scalar code (16 numbers per 256 weights); the codes
 * are widened 16 bytes at a time to int lanes as in LegacyDecoders.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.LegacyDecoders.bytes;
import static dev.vireo.ops.cpu.LegacyDecoders.f16;
import static dev.vireo.ops.cpu.LegacyDecoders.load16;
import static dev.vireo.ops.cpu.LegacyDecoders.toFloat;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.PARTS;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** Decoders for Q4_K, Q5_K and Q6_K. */
final class KQuantDecoders {
    private KQuantDecoders() {}

    private static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** ggml's get_scale_min_k4: the 6-bit scale of sub-block j of the 12 packed bytes at {@code sc}. */
    private static int scale(MemorySegment s, long sc, int j) {
        return j < 4 ? u8(s, sc + j) & 63 : (u8(s, sc + j + 4) & 0xF) | ((u8(s, sc + j - 4) >>> 6) << 4);
    }

    /** ggml's get_scale_min_k4: the 6-bit min of sub-block j. */
    private static int min(MemorySegment s, long sc, int j) {
        return j < 4 ? u8(s, sc + j + 4) & 63 : (u8(s, sc + j + 4) >>> 4) | ((u8(s, sc + j) >>> 6) << 4);
    }

    /** Q4_K: {f16 d, f16 dmin, u8 scales[12], u8 qs[128]}; y = d·sc·q − dmin·m per 32-element sub-block. */
    static final BlockDecoder Q4_K = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q4_K;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 144, o += 256) {
                float d = f16(s, b);
                float dmin = f16(s, b + 2);
                long sc = b + 4;
                for (int c = 0; c < 4; c++) {
                    float d1 = d * scale(s, sc, 2 * c);
                    float m1 = dmin * min(s, sc, 2 * c);
                    float d2 = d * scale(s, sc, 2 * c + 1);
                    float m2 = dmin * min(s, sc, 2 * c + 1);
                    for (int l = 0; l < 32; l += 16) {
                        ByteVector q = load16(s, b + 16 + 32 * c + l);
                        for (int p = 0; p < PARTS; p++) {
                            IntVector v = bytes(q, p);
                            int at = o + 64 * c + l + p * FL;
                            toFloat(v.and(0xF)).mul(d1).sub(m1).intoArray(y, at);
                            toFloat(v.lanewise(VectorOperators.LSHR, 4)).mul(d2).sub(m2).intoArray(y, at + 32);
                        }
                    }
                }
            }
        }
    };

    /** Q5_K: {f16 d, f16 dmin, u8 scales[12], u8 qh[32], u8 qs[128]}; Q4_K plus a fifth bit from qh. */
    static final BlockDecoder Q5_K = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q5_K;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 176, o += 256) {
                float d = f16(s, b);
                float dmin = f16(s, b + 2);
                long sc = b + 4;
                for (int c = 0; c < 4; c++) {
                    float d1 = d * scale(s, sc, 2 * c);
                    float m1 = dmin * min(s, sc, 2 * c);
                    float d2 = d * scale(s, sc, 2 * c + 1);
                    float m2 = dmin * min(s, sc, 2 * c + 1);
                    for (int l = 0; l < 32; l += 16) {
                        ByteVector q = load16(s, b + 48 + 32 * c + l);
                        ByteVector qh = load16(s, b + 16 + l);
                        for (int p = 0; p < PARTS; p++) {
                            IntVector v = bytes(q, p);
                            IntVector h = bytes(qh, p);
                            // Bit 2c of qh[l] is the fifth bit of the low-nibble half, bit 2c+1 of the high.
                            IntVector lo = v.and(0xF).or(h.lanewise(VectorOperators.LSHR, 2 * c).and(1)
                                    .lanewise(VectorOperators.LSHL, 4));
                            IntVector hi = v.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR,
                                    2 * c + 1).and(1).lanewise(VectorOperators.LSHL, 4));
                            int at = o + 64 * c + l + p * FL;
                            toFloat(lo).mul(d1).sub(m1).intoArray(y, at);
                            toFloat(hi).mul(d2).sub(m2).intoArray(y, at + 32);
                        }
                    }
                }
            }
        }
    };

    /** Q6_K: {u8 ql[128], u8 qh[64], i8 scales[16], f16 d}; y = d·sc·(q − 32) per 16-element group. */
    static final BlockDecoder Q6_K = new BlockDecoder() {
        @Override
        public DType type() {
            return DType.Q6_K;
        }

        @Override
        public void decode(MemorySegment s, long b, int blocks, float[] y, int o) {
            for (int i = 0; i < blocks; i++, b += 210, o += 256) {
                float d = f16(s, b + 208);
                for (int half = 0; half < 2; half++) {
                    long ql = b + 64L * half;
                    long qh = b + 128 + 32L * half;
                    long sc = b + 192 + 8L * half;
                    int base = o + 128 * half;
                    // l = 16g .. 16g+15 share the scales sc[g], sc[g+2], sc[g+4], sc[g+6].
                    for (int g = 0; g < 2; g++) {
                        float s1 = d * s.get(ValueLayout.JAVA_BYTE, sc + g);
                        float s2 = d * s.get(ValueLayout.JAVA_BYTE, sc + g + 2);
                        float s3 = d * s.get(ValueLayout.JAVA_BYTE, sc + g + 4);
                        float s4 = d * s.get(ValueLayout.JAVA_BYTE, sc + g + 6);
                        ByteVector lo0 = load16(s, ql + 16 * g);
                        ByteVector lo1 = load16(s, ql + 32 + 16 * g);
                        ByteVector hv = load16(s, qh + 16 * g);
                        for (int p = 0; p < PARTS; p++) {
                            IntVector a = bytes(lo0, p);
                            IntVector c = bytes(lo1, p);
                            IntVector h = bytes(hv, p);
                            IntVector q1 = a.and(0xF).or(h.and(3).lanewise(VectorOperators.LSHL, 4)).sub(32);
                            IntVector q2 = c.and(0xF).or(h.lanewise(VectorOperators.LSHR, 2).and(3)
                                    .lanewise(VectorOperators.LSHL, 4)).sub(32);
                            IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 4)
                                    .and(3).lanewise(VectorOperators.LSHL, 4)).sub(32);
                            IntVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 6)
                                    .lanewise(VectorOperators.LSHL, 4)).sub(32);
                            int at = base + 16 * g + p * FL;
                            toFloat(q1).mul(s1).intoArray(y, at);
                            toFloat(q2).mul(s2).intoArray(y, at + 32);
                            toFloat(q3).mul(s3).intoArray(y, at + 64);
                            toFloat(q4).mul(s4).intoArray(y, at + 96);
                        }
                    }
                }
            }
        }
    };
}
