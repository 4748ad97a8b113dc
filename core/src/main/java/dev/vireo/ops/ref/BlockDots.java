/*
 * The block dot products of RefOps' matmul: one weight block with one activation block of the
 * weight's vec_dot type, as Ops.matmul defines them (ggml's vec_dot_*_q8_* formulas in
 * ggml-cpu/quants.c). Each weight type has a function giving the integer code of element e of a
 * block, read literally from the layout in DType / model-spec.md §3.3; the dot of codes with the
 * activation's int8 codes is summed exactly in long, and the block scales are applied in double.
 * Tested by RefOpsTest (against dequantized weights times dequantized activations) and, through
 * RefOps, by LlamaCppMatmulTest (against ggml's vec_dot).
 */
package dev.vireo.ops.ref;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;

/** Exact dot products of a quantized weight block with a quantized activation block. */
final class BlockDots {
    private BlockDots() {}

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One weight block (at byte wb of w) with one activation block (at byte ab of a), exactly. */
    interface BlockDot {
        double dot(MemorySegment w, long wb, MemorySegment a, long ab);
    }

    /** The integer code of element e of the weight block at wb. */
    private interface Code {
        int at(MemorySegment w, long wb, int e);
    }

    private static final Map<DType, BlockDot> DOTS = new EnumMap<>(DType.class);

    /** The block dot of a quantized weight type, or null for the float types. */
    static BlockDot of(DType type) {
        return DOTS.get(type);
    }

    static {
        // 32-value blocks against Q8_0 {f16 d, int8 q[32]}: d_w·d_x·Σ c·q.
        DOTS.put(DType.Q8_0, (w, wb, a, ab) -> f16(w, wb) * f16(a, ab) * q8Dot(w, wb, BlockDots::q8Code, a, ab + 2));
        DOTS.put(DType.Q4_0, (w, wb, a, ab) -> f16(w, wb) * f16(a, ab) * q8Dot(w, wb, BlockDots::q4_0Code, a, ab + 2));
        DOTS.put(DType.Q5_0, (w, wb, a, ab) -> f16(w, wb) * f16(a, ab) * q8Dot(w, wb, BlockDots::q5_0Code, a, ab + 2));
        DOTS.put(DType.MXFP4, (w, wb, a, ab) -> Math.scalb(1.0, u8(w, wb) - 128) * f16(a, ab)
                * q8Dot(w, wb, BlockDots::mxfp4Code, a, ab + 2));
        // Against Q8_1 {f16 d, f16 s, int8 q[32]}: d_w·d_x·Σ c·q + m_w·s_x.
        DOTS.put(DType.Q4_1, (w, wb, a, ab) -> f16(w, wb) * f16(a, ab) * q8Dot(w, wb, BlockDots::q4_1Code, a, ab + 4)
                + f16(w, wb + 2) * f16(a, ab + 2));
        DOTS.put(DType.Q5_1, (w, wb, a, ab) -> f16(w, wb) * f16(a, ab) * q8Dot(w, wb, BlockDots::q5_1Code, a, ab + 4)
                + f16(w, wb + 2) * f16(a, ab + 2));
        DOTS.put(DType.Q4_K, (w, wb, a, ab) -> kDot(w, wb, BlockDots::q4_KCode, a, ab));
        DOTS.put(DType.Q5_K, (w, wb, a, ab) -> kDot(w, wb, BlockDots::q5_KCode, a, ab));
        DOTS.put(DType.Q6_K, BlockDots::q6_KDot);
    }

    /** Σ_j code(j)·q_j over 32 values, the activation codes from byte qa of a. */
    private static long q8Dot(MemorySegment w, long wb, Code code, MemorySegment a, long qa) {
        long sum = 0;
        for (int j = 0; j < 32; j++) {
            sum += (long) code.at(w, wb, j) * a.get(ValueLayout.JAVA_BYTE, qa + j);
        }
        return sum;
    }

    /**
     * Q4_K / Q5_K against Q8_K {f32 d, int8 q[256], int16 bsums[16]}, per 32-value sub-block s with
     * 6-bit scale sc_s and min m_s: d_x·(d_w·Σ_s sc_s·Σ c·q − dmin_w·Σ_s m_s·Σ q). Σ q is what ggml
     * reads from the bsums; here it is summed from the codes.
     */
    private static double kDot(MemorySegment w, long wb, Code code, MemorySegment a, long ab) {
        long scaled = 0;
        long mins = 0;
        for (int s = 0; s < 8; s++) {
            long dot = 0;
            long sum = 0;
            for (int l = 0; l < 32; l++) {
                int q = a.get(ValueLayout.JAVA_BYTE, ab + 4 + 32 * s + l);
                dot += (long) code.at(w, wb, 32 * s + l) * q;
                sum += q;
            }
            scaled += scale(w, wb + 4, s) * dot;
            mins += min(w, wb + 4, s) * sum;
        }
        double dx = a.get(F32, ab);
        return dx * (f16(w, wb) * scaled - f16(w, wb + 2) * mins);
    }

    /** Q6_K {u8 ql[128], u8 qh[64], i8 scales[16], f16 d}: d_w·d_x·Σ_g sc_g·Σ (c − 32)·q per 16 values. */
    private static double q6_KDot(MemorySegment w, long wb, MemorySegment a, long ab) {
        long total = 0;
        for (int g = 0; g < 16; g++) {
            long dot = 0;
            for (int l = 0; l < 16; l++) {
                int e = 16 * g + l;
                dot += (long) (q6_KCode(w, wb, e) - 32) * a.get(ValueLayout.JAVA_BYTE, ab + 4 + e);
            }
            total += w.get(ValueLayout.JAVA_BYTE, wb + 192 + g) * dot;
        }
        return f16(w, wb + 208) * (double) a.get(F32, ab) * total;
    }

    // Codes of element e (0..31) of the 32-value blocks: byte j holds element j (low nibble) and j+16 (high).

    private static int q8Code(MemorySegment w, long wb, int e) {
        return w.get(ValueLayout.JAVA_BYTE, wb + 2 + e);
    }

    private static int nibble(MemorySegment w, long qs, int e) {
        int b = u8(w, qs + e % 16);
        return e < 16 ? b & 0xF : b >>> 4;
    }

    /** Q4_0 {f16 d, u8 qs[16]}: nibble − 8. */
    private static int q4_0Code(MemorySegment w, long wb, int e) {
        return nibble(w, wb + 2, e) - 8;
    }

    /** Q4_1 {f16 d, f16 m, u8 qs[16]}: the nibble. */
    private static int q4_1Code(MemorySegment w, long wb, int e) {
        return nibble(w, wb + 4, e);
    }

    /** Q5_0 {f16 d, u32 qh, u8 qs[16]}: nibble plus bit e of qh as 16, minus 16. */
    private static int q5_0Code(MemorySegment w, long wb, int e) {
        return nibble(w, wb + 6, e) + 16 * ((w.get(I32, wb + 2) >>> e) & 1) - 16;
    }

    /** Q5_1 {f16 d, f16 m, u32 qh, u8 qs[16]}: nibble plus bit e of qh as 16. */
    private static int q5_1Code(MemorySegment w, long wb, int e) {
        return nibble(w, wb + 8, e) + 16 * ((w.get(I32, wb + 4) >>> e) & 1);
    }

    /** MXFP4 {u8 e, u8 qs[16]}: ggml's kvalues_mxfp4, the E2M1 values doubled (sign in bit 3). */
    private static final int[] DOUBLED_E2M1 = {0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12};

    private static int mxfp4Code(MemorySegment w, long wb, int e) {
        return DOUBLED_E2M1[nibble(w, wb + 1, e)];
    }

    // k-quants: 256 values. Q4_K {f16 d, f16 dmin, u8 scales[12], u8 qs[128]}: the 32 bytes at 32c hold
    // sub-block 2c in their low nibbles and 2c+1 in their high nibbles.

    private static int q4_KCode(MemorySegment w, long wb, int e) {
        int s = e / 32;
        int b = u8(w, wb + 16 + 32 * (s / 2) + e % 32);
        return s % 2 == 0 ? b & 0xF : b >>> 4;
    }

    /** Q5_K {f16 d, f16 dmin, u8 scales[12], u8 qh[32], u8 qs[128]}: Q4_K's nibble plus bit s of qh[e mod 32] as 16. */
    private static int q5_KCode(MemorySegment w, long wb, int e) {
        int s = e / 32;
        int b = u8(w, wb + 48 + 32 * (s / 2) + e % 32);
        int low = s % 2 == 0 ? b & 0xF : b >>> 4;
        return low + 16 * ((u8(w, wb + 16 + e % 32) >>> s) & 1);
    }

    /**
     * Q6_K: in half h = e/128, with r = e mod 128 = 32·k + l, the low four bits are the low (k = 0, 1)
     * or high (k = 2, 3) nibble of ql[64h + 32·(k mod 2) + l] and the top two bits are bits 2k, 2k+1
     * of qh[32h + l].
     */
    private static int q6_KCode(MemorySegment w, long wb, int e) {
        int h = e / 128;
        int k = e % 128 / 32;
        int l = e % 32;
        int ql = u8(w, wb + 64 * h + 32 * (k % 2) + l);
        int low = k < 2 ? ql & 0xF : ql >>> 4;
        int high = (u8(w, wb + 128 + 32 * h + l) >>> (2 * k)) & 3;
        return low | high << 4;
    }

    /** The 6-bit scale of sub-block s from the 12 packed bytes at sc (ggml's get_scale_min_k4). */
    private static int scale(MemorySegment w, long sc, int s) {
        return s < 4 ? u8(w, sc + s) & 63 : (u8(w, sc + s + 4) & 0xF) | (u8(w, sc + s - 4) >>> 6) << 4;
    }

    /** The 6-bit min of sub-block s from the 12 packed bytes at sc. */
    private static int min(MemorySegment w, long sc, int s) {
        return s < 4 ? u8(w, sc + s + 4) & 63 : (u8(w, sc + s + 4) >>> 4) | (u8(w, sc + s) >>> 6) << 4;
    }

    private static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    private static double f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16, off));
    }
}
