/*
 * The reference encoding of one element type: F32 values to ggml's bytes. Implementations round
 * exactly as llama.cpp's reference quantizers do (ggml-quants.c quantize_row_*_ref, ggml's fp32→fp16
 * and fp32→bf16 conversions), so a file written with them is byte-identical to one written by
 * llama-quantize. LlamaCppQuantizeTest checks that against llama.cpp's own output.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Encodes F32 values as whole blocks of one {@link DType}. */
public interface BlockQuantizer {

    /** The type this quantizer produces. */
    DType type();

    /**
     * Encodes {@code src[srcOffset .. srcOffset+count)} (a whole number of blocks) into
     * {@code type().rowBytes(count)} bytes of {@code dst} starting at byte {@code dstOffset}.
     *
     * @throws IllegalArgumentException if {@code count} is negative or not a whole number of blocks
     * @throws IndexOutOfBoundsException if the source range or the destination bytes lie outside
     *     {@code src} or {@code dst}; nothing is written then
     */
    void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset);

    /** Encodes all of {@code src} (a whole number of blocks) into a new heap segment. */
    default MemorySegment quantize(float[] src) {
        Objects.requireNonNull(src, "src");
        MemorySegment out = MemorySegment.ofArray(new byte[Math.toIntExact(type().rowBytes(src.length))]);
        quantize(src, 0, src.length, out, 0);
        return out;
    }
}
