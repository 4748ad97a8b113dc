/*
 * One weight type's vectorised decoder: whole blocks from the (mapped) weight segment into a small
 * per-thread float buffer that stays in L1, from where the matmul kernel FMAs it against every token
 * row. Each decoder performs the same float operations as the reference codec in
 * dev.vireo.tensor.quant, in the same order, so its output is bit-identical to Codecs.decoder(type)
 * (CpuDecoderTest checks that for every type).
 */
package dev.vireo.ops.cpu;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Decodes whole blocks of one {@link DType} to F32. */
interface BlockDecoder {

    /** The type decoded. */
    DType type();

    /**
     * Decodes {@code blocks} consecutive blocks that start at byte {@code offset} of {@code src} into
     * {@code dst[dstOffset ..]} ({@code blocks · type().blockSize()} floats).
     */
    void decode(MemorySegment src, long offset, int blocks, float[] dst, int dstOffset);
}
