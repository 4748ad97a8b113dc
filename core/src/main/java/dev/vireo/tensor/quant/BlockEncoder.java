/*
 * The shared walk of a quantizer: argument checks up front (so a bad call writes nothing), then one
 * block at a time, as ggml's quantize_row_*_ref functions do.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** A {@link BlockQuantizer} that encodes one block at a time; subclasses encode one. */
abstract class BlockEncoder implements BlockQuantizer {
    private final DType type;

    BlockEncoder(DType type) {
        this.type = type;
    }

    @Override
    public final DType type() {
        return type;
    }

    /** Encodes {@code type().blockSize()} values from {@code x[xo..]} into the block at {@code off}. */
    abstract void encodeBlock(float[] x, int xo, MemorySegment dst, long off);

    @Override
    public final void quantize(float[] src, int srcOffset, int count, MemorySegment dst, long dstOffset) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        int blocks = LegacyQuantCodecs.wholeBlocks(type, count);
        Objects.checkFromIndexSize(srcOffset, count, src.length);
        Objects.checkFromIndexSize(dstOffset, (long) blocks * type.blockBytes(), dst.byteSize());
        for (int i = 0; i < blocks; i++) {
            encodeBlock(src, srcOffset + i * type.blockSize(), dst, dstOffset + (long) i * type.blockBytes());
        }
    }
}
