/*
 * MXFP4 between its two on-disk layouts, as a byte shuffle (no value is decoded):
 *   OpenAI / Hugging Face (model-spec.md §2.1): `*_blocks` hold 16 bytes per 32 elements, byte j with
 *     element 2j in its low nibble and 2j+1 in its high one; `*_scales` hold the E8M0 byte apart.
 *   ggml (§3.3, DType.MXFP4): 17-byte blocks, the E8M0 byte first, then byte j with element j low and
 *     element j+16 high. The scale byte is the same in both (bias 127; ggml only halves its table).
 * llama.cpp's converter does the same shuffle (conversion/gpt_oss.py, transform_nibble_layout).
 *
 * Read as a little-endian 64-bit word, the first 8 bytes of an HF block hold elements 0..15 as
 * nibbles in element order (element e at bits 4e..4e+3) and the last 8 bytes elements 16..31; a
 * ggml block's 16 code bytes are those two words' nibbles interleaved byte by byte. So each block is
 * two "spread nibbles to bytes" bit tricks rather than 32 nibble moves.
 * Tested by Mxfp4RepackTest (round trips, and decoded values equal to the model-spec formula).
 */
package dev.vireo.tensor.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Conversion between Hugging Face's split MXFP4 tensors and ggml's MXFP4 blocks. */
public final class Mxfp4Repack {
    private Mxfp4Repack() {}

    /** Elements per block. */
    public static final int BLOCK = 32;
    /** Bytes of codes per block in the Hugging Face layout. */
    public static final int CODE_BYTES = 16;

    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_NIBBLES = 0x0F0F_0F0F_0F0F_0F0FL;

    /**
     * Writes {@code count} ggml MXFP4 blocks (17 bytes each) at {@code dst[dstOffset..]} from
     * {@code count} Hugging Face blocks: 16 code bytes each at {@code codes[codesOffset..]} and one
     * scale byte each at {@code scales[scalesOffset..]}.
     */
    public static void toGgml(MemorySegment codes, long codesOffset, MemorySegment scales, long scalesOffset,
            long count, MemorySegment dst, long dstOffset) {
        for (long b = 0; b < count; b++) {
            long c = codesOffset + b * CODE_BYTES;
            long lo = codes.get(LONG_LE, c);     // elements 0..15, element e at bits 4e..4e+3
            long hi = codes.get(LONG_LE, c + 8); // elements 16..31
            long d = dstOffset + b * 17;
            dst.set(ValueLayout.JAVA_BYTE, d, scales.get(ValueLayout.JAVA_BYTE, scalesOffset + b));
            // ggml byte j: element j low, element j+16 high.
            dst.set(LONG_LE, d + 1, spread(lo & 0xFFFF_FFFFL) | spread(hi & 0xFFFF_FFFFL) << 4);
            dst.set(LONG_LE, d + 9, spread(lo >>> 32) | spread(hi >>> 32) << 4);
        }
    }

    /** The inverse of {@link #toGgml}: ggml blocks back to Hugging Face codes and scales. */
    public static void fromGgml(MemorySegment src, long srcOffset, long count, MemorySegment codes,
            long codesOffset, MemorySegment scales, long scalesOffset) {
        for (long b = 0; b < count; b++) {
            long s = srcOffset + b * 17;
            long g0 = src.get(LONG_LE, s + 1); // ggml bytes 0..7: elements 0..7 low, 16..23 high
            long g1 = src.get(LONG_LE, s + 9); // ggml bytes 8..15: elements 8..15 low, 24..31 high
            long c = codesOffset + b * CODE_BYTES;
            scales.set(ValueLayout.JAVA_BYTE, scalesOffset + b, src.get(ValueLayout.JAVA_BYTE, s));
            codes.set(LONG_LE, c, compact(g0 & LOW_NIBBLES) | compact(g1 & LOW_NIBBLES) << 32);
            codes.set(LONG_LE, c + 8, compact(g0 >>> 4 & LOW_NIBBLES) | compact(g1 >>> 4 & LOW_NIBBLES) << 32);
        }
    }

    /** Nibble i of the low 32 bits to the low half of byte i (i = 0..7). */
    static long spread(long x) {
        x = (x | x << 16) & 0x0000_FFFF_0000_FFFFL;
        x = (x | x << 8) & 0x00FF_00FF_00FF_00FFL;
        return (x | x << 4) & LOW_NIBBLES;
    }

    /** The inverse of {@link #spread}: the low halves of bytes 0..7 to nibbles 0..7. */
    static long compact(long x) {
        x = (x | x >>> 4) & 0x00FF_00FF_00FF_00FFL;
        x = (x | x >>> 8) & 0x0000_FFFF_0000_FFFFL;
        return (x | x >>> 16) & 0xFFFF_FFFFL;
    }
}
