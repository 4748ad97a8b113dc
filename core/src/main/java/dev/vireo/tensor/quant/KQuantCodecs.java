/*
 * Reference decoding of ggml's 256-element "k-quant" super-blocks (Q4_K, Q5_K, Q6_K), following
 * dequantize_row_q4_K / q5_K / q6_K in ggml-quants.c (model-spec.md §3.3), including the order of
 * float operations (d·sc first, then ·q, then − dmin·m) so the results are bit-identical.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Codecs for the k-quant types. */
final class KQuantCodecs {
    private KQuantCodecs() {}

    /**
     * The 6-bit scale ({@code [0]}) and min ({@code [1]}) of sub-block {@code j} (0..7) packed in the
     * 12 scale bytes at {@code scales}: ggml's get_scale_min_k4.
     */
    static void scaleMin(MemorySegment s, long scales, int j, int[] out) {
        if (j < 4) {
            out[0] = Bytes.u8(s, scales + j) & 63;
            out[1] = Bytes.u8(s, scales + j + 4) & 63;
        } else {
            out[0] = (Bytes.u8(s, scales + j + 4) & 0xF) | ((Bytes.u8(s, scales + j - 4) >>> 6) << 4);
            out[1] = (Bytes.u8(s, scales + j + 4) >>> 4) | ((Bytes.u8(s, scales + j) >>> 6) << 4);
        }
    }

    /** Q4_K: {f16 d, f16 dmin, u8 scales[12], u8 qs[128]}; y = d·sc·q − dmin·m per 32-element sub-block. */
    static final BlockCodec Q4_K = new LegacyQuantCodecs.Codec(DType.Q4_K) {
        @Override
        void decodeBlock(MemorySegment s, long b, float[] y, int o) {
            float d = Bytes.f16(s, b);
            float min = Bytes.f16(s, b + 2);
            long scales = b + 4;
            long q = b + 16;
            int[] sm = new int[2];
            for (int c = 0; c < 4; c++) {
                scaleMin(s, scales, 2 * c, sm);
                float d1 = d * sm[0];
                float m1 = min * sm[1];
                scaleMin(s, scales, 2 * c + 1, sm);
                float d2 = d * sm[0];
                float m2 = min * sm[1];
                for (int l = 0; l < 32; l++) {
                    int v = Bytes.u8(s, q + 32L * c + l);
                    y[o + 64 * c + l] = d1 * (v & 0xF) - m1;
                    y[o + 64 * c + 32 + l] = d2 * (v >>> 4) - m2;
                }
            }
        }
    };

    /** Q5_K: {f16 d, f16 dmin, u8 scales[12], u8 qh[32], u8 qs[128]}; Q4_K plus a fifth bit from qh. */
    static final BlockCodec Q5_K = new LegacyQuantCodecs.Codec(DType.Q5_K) {
        @Override
        void decodeBlock(MemorySegment s, long b, float[] y, int o) {
            float d = Bytes.f16(s, b);
            float min = Bytes.f16(s, b + 2);
            long scales = b + 4;
            long qh = b + 16;
            long ql = b + 48;
            int[] sm = new int[2];
            for (int c = 0; c < 4; c++) {
                scaleMin(s, scales, 2 * c, sm);
                float d1 = d * sm[0];
                float m1 = min * sm[1];
                scaleMin(s, scales, 2 * c + 1, sm);
                float d2 = d * sm[0];
                float m2 = min * sm[1];
                int u1 = 1 << (2 * c);
                int u2 = 2 << (2 * c);
                for (int l = 0; l < 32; l++) {
                    int v = Bytes.u8(s, ql + 32L * c + l);
                    int h = Bytes.u8(s, qh + l);
                    y[o + 64 * c + l] = d1 * ((v & 0xF) + ((h & u1) != 0 ? 16 : 0)) - m1;
                    y[o + 64 * c + 32 + l] = d2 * ((v >>> 4) + ((h & u2) != 0 ? 16 : 0)) - m2;
                }
            }
        }
    };

    /** Q6_K: {u8 ql[128], u8 qh[64], i8 scales[16], f16 d}; y = d·sc·(q − 32) per 16-element group. */
    static final BlockCodec Q6_K = new LegacyQuantCodecs.Codec(DType.Q6_K) {
        @Override
        void decodeBlock(MemorySegment s, long b, float[] y, int o) {
            float d = Bytes.f16(s, b + 208);
            for (int half = 0; half < 2; half++) {
                long ql = b + 64L * half;
                long qh = b + 128 + 32L * half;
                long sc = b + 192 + 8L * half;
                int base = o + 128 * half;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int lo0 = Bytes.u8(s, ql + l);
                    int lo1 = Bytes.u8(s, ql + l + 32);
                    int h = Bytes.u8(s, qh + l);
                    int q1 = ((lo0 & 0xF) | ((h & 3) << 4)) - 32;
                    int q2 = ((lo1 & 0xF) | (((h >>> 2) & 3) << 4)) - 32;
                    int q3 = ((lo0 >>> 4) | (((h >>> 4) & 3) << 4)) - 32;
                    int q4 = ((lo1 >>> 4) | (((h >>> 6) & 3) << 4)) - 32;
                    y[base + l] = d * Bytes.i8(s, sc + is) * q1;
                    y[base + l + 32] = d * Bytes.i8(s, sc + is + 2) * q2;
                    y[base + l + 64] = d * Bytes.i8(s, sc + is + 4) * q3;
                    y[base + l + 96] = d * Bytes.i8(s, sc + is + 6) * q4;
                }
            }
        }
    };
}
