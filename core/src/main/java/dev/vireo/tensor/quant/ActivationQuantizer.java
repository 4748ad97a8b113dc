/*
 * The conversion of activations to a matmul's vec_dot type, rounding exactly as ggml's CPU backend
 * does on x86-64 (the from_float functions of its type traits: quantize_row_q8_0 / q8_1 / q8_K,
 * ggml_cpu_fp32_to_fp16 / bf16). These differ from the weight quantizers of BlockQuantizer, which
 * follow llama-quantize's *_ref functions. ActivationQuantizersTest checks the bytes against ggml's.
 */
package dev.vireo.tensor.quant;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Encodes F32 activations as whole blocks of one {@link VecDotType}, in ggml's layout. */
public interface ActivationQuantizer {

    /** The format this quantizer produces. */
    VecDotType type();

    /**
     * Encodes {@code src[srcOffset .. srcOffset+count)} (a whole number of blocks) into
     * {@code type().rowBytes(count)} bytes of {@code dst} from byte {@code dstOffset}.
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
