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
                        nibbles(s, b + 16 + 32 * c + l, d1, m1, d2, m2, y, o + 64 * c + l);
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
                        nibbles5(s, b + 48 + 32 * c + l, b + 16 + l, 2 * c, d1, m1, d2, m2, y, o + 64 * c + l);
                    }
                }
            }
        }
    };

    /*
     * The leaf kernels below take and return no vectors: however much of a decoder the JIT inlines
     * (the k-quant loops are large enough to hit its node-count cutoff), no vector crosses a call
     * that was not inlined, which would box it and cost ten times the arithmetic.
     */

    /** 16 bytes of nibbles at {@code qs}: low nibbles to y[at..at+16) as d1·q − m1, high to y[at+32..) as d2·q − m2. */
    private static void nibbles(MemorySegment s, long qs, float d1, float m1, float d2, float m2, float[] y, int at) {
        ByteVector q = load16(s, qs);
        for (int p = 0; p < PARTS; p++) {
            IntVector v = bytes(q, p);
            toFloat(v.and(0xF)).mul(d1).sub(m1).intoArray(y, at + p * FL);
            toFloat(v.lanewise(VectorOperators.LSHR, 4)).mul(d2).sub(m2).intoArray(y, at + 32 + p * FL);
        }
    }

    /** As {@link #nibbles}, plus bit {@code bit} (low half) and {@code bit+1} (high half) of qh[l] as a fifth bit. */
    private static void nibbles5(MemorySegment s, long qs, long qh, int bit, float d1, float m1, float d2, float m2,
            float[] y, int at) {
        ByteVector q = load16(s, qs);
        ByteVector h = load16(s, qh);
        for (int p = 0; p < PARTS; p++) {
            IntVector v = bytes(q, p);
            IntVector hb = bytes(h, p);
            IntVector lo = v.and(0xF).or(hb.lanewise(VectorOperators.LSHR, bit).and(1).lanewise(VectorOperators.LSHL, 4));
            IntVector hi = v.lanewise(VectorOperators.LSHR, 4)
                    .or(hb.lanewise(VectorOperators.LSHR, bit + 1).and(1).lanewise(VectorOperators.LSHL, 4));
            toFloat(lo).mul(d1).sub(m1).intoArray(y, at + p * FL);
            toFloat(hi).mul(d2).sub(m2).intoArray(y, at + 32 + p * FL);
        }
    }

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
                    // l = 16g .. 16g+15 share the scales sc[g], sc[g+2], sc[g+4], sc[g+6].
                    for (int g = 0; g < 2; g++) {
                        q6Group(s, ql + 16 * g, qh + 16 * g, d * s.get(ValueLayout.JAVA_BYTE, sc + g),
                                d * s.get(ValueLayout.JAVA_BYTE, sc + g + 2), d * s.get(ValueLayout.JAVA_BYTE, sc + g + 4),
                                d * s.get(ValueLayout.JAVA_BYTE, sc + g + 6), y, o + 128 * half + 16 * g);
                    }
                }
            }
        }
    };

    /**
     * Sixteen l of a Q6_K half: low nibbles of ql[l], ql[l+32] and bit pairs of qh[l] make the codes
     * of y[l], y[l+32], y[l+64], y[l+96], scaled by s1..s4.
     */
    private static void q6Group(MemorySegment s, long ql, long qh, float s1, float s2, float s3, float s4, float[] y,
            int at) {
        ByteVector lo0 = load16(s, ql);
        ByteVector lo1 = load16(s, ql + 32);
        ByteVector hv = load16(s, qh);
        for (int p = 0; p < PARTS; p++) {
            IntVector a = bytes(lo0, p);
            IntVector c = bytes(lo1, p);
            IntVector h = bytes(hv, p);
            // The two high bits of each code sit at bits 0-1, 2-3, 4-5, 6-7 of qh[l]: move them to bits 4-5.
            IntVector q1 = a.and(0xF).or(h.and(0x03).lanewise(VectorOperators.LSHL, 4)).sub(32);
            IntVector q2 = c.and(0xF).or(h.and(0x0C).lanewise(VectorOperators.LSHL, 2)).sub(32);
            IntVector q3 = a.lanewise(VectorOperators.LSHR, 4).or(h.and(0x30)).sub(32);
            IntVector q4 = c.lanewise(VectorOperators.LSHR, 4).or(h.and(0xC0).lanewise(VectorOperators.LSHR, 2)).sub(32);
            int o = at + p * FL;
            toFloat(q1).mul(s1).intoArray(y, o);
            toFloat(q2).mul(s2).intoArray(y, o + 32);
            toFloat(q3).mul(s3).intoArray(y, o + 64);
            toFloat(q4).mul(s4).intoArray(y, o + 96);
        }
    }
}
