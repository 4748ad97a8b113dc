/*
 * One weight type's vectorised kernels. decode: whole blocks from the (mapped) weight segment into a
 * small per-thread float buffer that stays in L1, from where the matmul FMAs it against every token
 * of a tile. dot: the single-token case fused, each block decoded into registers and FMA'd against
 * the activation at once, which skips the store and reload of the decoded weights (about 1.7× faster
 * for Q4_0 at one token).
 *
 * Both compute each weight with the same float operations as the reference codec in
 * dev.vireo.tensor.quant, in the same order, so decoded weights are bit-identical to
 * Codecs.decoder(type) (CpuDecoderTest) and dot differs from a reference dot product only in
 * summation order. That order is declared by dotOrder(), and the many-token matmul follows it, so
 * a token's result does not depend on the batch it is in (MatmulBatchInvarianceTest).
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

    /**
     * The dot product of {@code blocks} consecutive blocks from byte {@code offset} of {@code src}
     * with {@code x[xOffset ..]}, without storing the decoded weights.
     */
    float dot(MemorySegment src, long offset, int blocks, float[] x, int xOffset);

    /**
     * The order in which {@link #dot} adds its products, so that the many-token matmul can reproduce
     * it bit for bit from decoded weights (batch invariance; see DotOrder).
     */
    DotOrder dotOrder();
}
