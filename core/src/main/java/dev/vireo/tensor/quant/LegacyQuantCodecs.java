/*
 * Reference decoding of ggml's 32-element block types (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1), following
 * dequantize_row_q8_0 … dequantize_row_q5_1 in ggml-quants.c (model-spec.md §3.3). The codes of a
 * 4/5-bit block are split in halves: byte j holds element j (low nibble) and element j+16 (high).
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Codecs for the 32-element block types. */
final class LegacyQuantCodecs {
    private LegacyQuantCodecs() {}

    /** Q8_0: {f16 d, int8 q[32]}; y = q·d. */
    static final BlockCodec Q8_0 = new Codec(DType.Q8_0) {
        @Override
        void decodeBlock(MemorySegment s, long b, float[] y, int o) {
            float d = Bytes.f16(s, b);
            for (int j = 0; j < 32; j++) {
                y[o + j] = Bytes.i8(s, b + 2 + j) * d;
            }
        }
    };

    /** Q4_0: {f16 d, u8 qs[16]}; y = (q − 8)·d. */
    static final BlockCodec Q4_0 = new Codec(DType.Q4_0) {
        @Override
        void decodeBlock(MemorySegment s, long b, float[] y, int o) {
            float d = Bytes.f16(s, b);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(s, b + 2 + j);
                y[o + j] = ((q & 0x0F) - 8) * d;
                y[o + j + 16] = ((q >>> 4) - 8) * d;
            }
        }
    };

    /** Q4_1: {f16 d, f16 m, u8 qs[16]}; y = q·d + m. */
    static final BlockCodec Q4_1 = new Codec(DType.Q4_1) {
        @Override
        void decodeBlock(MemorySegment s, long b, float[] y, int o) {
            float d = Bytes.f16(s, b);
            float m = Bytes.f16(s, b + 2);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(s, b + 4 + j);
                y[o + j] = (q & 0x0F) * d + m;
                y[o + j + 16] = (q >>> 4) * d + m;
            }
        }
    };

    /** Q5_0: {f16 d, u32 qh, u8 qs[16]}; the fifth bit of element j is bit j of qh; y = (q − 16)·d. */
    static final BlockCodec Q5_0 = new Codec(DType.Q5_0) {
        @Override
        void decodeBlock(MemorySegment s, long b, float[] y, int o) {
            float d = Bytes.f16(s, b);
            int qh = Bytes.u32(s, b + 2);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(s, b + 6 + j);
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                y[o + j] = (((q & 0x0F) | h0) - 16) * d;
                y[o + j + 16] = (((q >>> 4) | h1) - 16) * d;
            }
        }
    };

    /** Q5_1: {f16 d, f16 m, u32 qh, u8 qs[16]}; y = q·d + m. */
    static final BlockCodec Q5_1 = new Codec(DType.Q5_1) {
        @Override
        void decodeBlock(MemorySegment s, long b, float[] y, int o) {
            float d = Bytes.f16(s, b);
            float m = Bytes.f16(s, b + 2);
            int qh = Bytes.u32(s, b + 4);
            for (int j = 0; j < 16; j++) {
                int q = Bytes.u8(s, b + 8 + j);
                int h0 = ((qh >>> j) << 4) & 0x10;
                int h1 = (qh >>> (j + 12)) & 0x10;
                y[o + j] = ((q & 0x0F) | h0) * d + m;
                y[o + j + 16] = ((q >>> 4) | h1) * d + m;
            }
        }
    };

    /** Walks whole blocks; subclasses decode one. */
    abstract static class Codec implements BlockCodec {
        private final DType type;

        Codec(DType type) {
            this.type = type;
        }

        @Override
        public DType type() {
            return type;
        }

        abstract void decodeBlock(MemorySegment src, long blockOffset, float[] dst, int dstOffset);

        @Override
        public void decode(MemorySegment src, long offset, float[] dst, int dstOffset, int count) {
            int blocks = wholeBlocks(type, count);
            Objects.checkFromIndexSize(dstOffset, count, dst.length);
            for (int i = 0; i < blocks; i++) {
                decodeBlock(src, offset + (long) i * type.blockBytes(), dst, dstOffset + i * type.blockSize());
            }
        }
    }

    /**
     * The number of blocks in {@code count} elements.
     *
     * @throws IllegalArgumentException if {@code count} is negative or not a whole number of blocks
     */
    static int wholeBlocks(DType type, int count) {
        if (count < 0 || count % type.blockSize() != 0) {
            throw new IllegalArgumentException(type + " decodes whole blocks of " + type.blockSize()
                    + " elements, asked for " + count);
        }
        return count / type.blockSize();
    }
}
