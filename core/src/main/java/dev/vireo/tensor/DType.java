/*
 * The element types Vireo reads from model files: plain floats and integers, and ggml's block
 * quantizations. Block geometry and type ids follow ggml's ggml-common.h / ggml.h (model-spec.md §3.2,
 * §3.3). Tested by DTypeTest and by the codec tests in dev.vireo.tensor.quant.
 */
package dev.vireo.tensor;

import java.util.Optional;

/**
 * A tensor element type. Quantized types pack {@link #blockSize()} consecutive elements of a row
 * (along its contiguous dimension) into {@link #blockBytes()} bytes; plain types have a block of one.
 */
public enum DType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    BF16(30, 1, 2),
    F64(28, 1, 8),
    I8(24, 1, 1),
    I16(25, 1, 2),
    I32(26, 1, 4),
    I64(27, 1, 8),
    /** Unsigned bytes: safetensors only (MXFP4 blocks and scales in Hugging Face checkpoints). */
    U8(-1, 1, 1),
    /** 32 weights: f16 scale d, 32 × int8. */
    Q8_0(8, 32, 34),
    /** 32 weights: f16 scale d, 16 bytes of 4-bit codes (low nibbles: first half, high: second). */
    Q4_0(2, 32, 18),
    /** 32 weights: f16 scale d, f16 minimum m, 16 bytes of 4-bit codes. */
    Q4_1(3, 32, 20),
    /** 32 weights: f16 d, 4 bytes of fifth bits, 16 bytes of low nibbles. */
    Q5_0(6, 32, 22),
    /** 32 weights: f16 d, f16 m, 4 bytes of fifth bits, 16 bytes of low nibbles. */
    Q5_1(7, 32, 24),
    /** 256 weights: f16 d, f16 dmin, 12 bytes of 6-bit sub-block scales and mins, 128 bytes of nibbles. */
    Q4_K(12, 256, 144),
    /** 256 weights: as Q4_K plus 32 bytes of fifth bits. */
    Q5_K(13, 256, 176),
    /** 256 weights: 128 bytes low nibbles, 64 bytes high 2-bit pairs, 16 int8 scales, f16 d. */
    Q6_K(14, 256, 210),
    /** ggml's MXFP4 block: one E8M0 exponent byte, 16 bytes of E2M1 codes (element j low, j+16 high). */
    MXFP4(39, 32, 17);

    private final int ggmlId;
    private final int blockSize;
    private final int blockBytes;

    DType(int ggmlId, int blockSize, int blockBytes) {
        this.ggmlId = ggmlId;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** The ggml type id used in GGUF tensor infos, or -1 for types GGUF cannot hold. */
    public int ggmlId() {
        return ggmlId;
    }

    /** Elements per block (1 for plain types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** True for ggml block-quantized types. */
    public boolean isQuantized() {
        return blockSize > 1;
    }

    /** True for F32, F16, BF16 and F64. */
    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /**
     * Bytes taken by a row of {@code elements} elements.
     *
     * @throws IllegalArgumentException if {@code elements} is not a whole number of blocks
     */
    public long rowBytes(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    this + " rows must hold a multiple of " + blockSize + " elements, got " + elements);
        }
        return Math.multiplyExact(elements / blockSize, (long) blockBytes);
    }

    /** The type with the given ggml id, if Vireo knows it. */
    public static Optional<DType> fromGgmlId(int id) {
        for (DType t : values()) {
            if (t.ggmlId == id && id >= 0) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
