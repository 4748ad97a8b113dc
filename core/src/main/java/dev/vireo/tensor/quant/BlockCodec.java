/*
 * The scalar reference decoding of one element type: the oracle that every fast path (Vector API,
 * CUDA) is tested against. Implementations mirror ggml's dequantize_row_* in ggml-quants.c operation by
 * operation (same float rounding order), so decoded values equal llama.cpp's bit for bit; the fixtures
 * under core/src/test/resources/quant check that.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Decodes elements of one {@link DType} to F32. */
public interface BlockCodec {

    /** The type this codec decodes. */
    DType type();

    /**
     * Decodes {@code count} elements (a whole number of blocks) stored from byte {@code offset} of
     * {@code src} into {@code dst[dstOffset .. dstOffset+count)}.
     *
     * @throws IllegalArgumentException if {@code count} is negative or not a whole number of blocks
     * @throws IndexOutOfBoundsException if the destination range lies outside {@code dst}, or the
     *     blocks lie outside {@code src}
     */
    void decode(MemorySegment src, long offset, float[] dst, int dstOffset, int count);

    /** Decodes one row of {@code count} elements starting at {@code offset} into a new array. */
    default float[] decode(MemorySegment src, long offset, int count) {
        float[] out = new float[count];
        decode(src, offset, out, 0, count);
        return out;
    }
}
