/*
 * Encoding to the unquantized float types, as ggml_quantize_chunk does for them: F32 is a copy,
 * F16 is ggml_fp32_to_fp16_row, BF16 is ggml_fp32_to_bf16_row_ref (the scalar reference; the AVX512
 * row variant flushes subnormals and is not what llama-quantize calls). See GgmlFloats.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Quantizers for F32, F16 and BF16. */
final class PlainQuantizers {
    private PlainQuantizers() {}

    static final BlockQuantizer F32 = new BlockEncoder(DType.F32) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            // Raw bits, so a NaN's payload is copied as memcpy copies it.
            dst.set(Bytes.I32, off, Float.floatToRawIntBits(x[xo]));
        }
    };

    static final BlockQuantizer F16 = new BlockEncoder(DType.F16) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            Bytes.put16(dst, off, GgmlFloats.toF16(x[xo]));
        }
    };

    static final BlockQuantizer BF16 = new BlockEncoder(DType.BF16) {
        @Override
        void encodeBlock(float[] x, int xo, MemorySegment dst, long off) {
            Bytes.put16(dst, off, GgmlFloats.toBf16(x[xo]));
        }
    };
}
