/*
 * One quantized weight type's integer dot product with activations converted to its vec_dot type
 * (Activations): the computation Ops.matmul defines, a row at a time. Codes are multiplied in int16
 * lanes and summed exactly in int32 lanes per block; only the block scales are float. The result
 * differs from RefOps' exact value by the float rounding of the scale products and of the lane-wise
 * FMA accumulation, as ggml's own vec_dot does.
 */
package dev.vireo.ops.cpu;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;

/** Integer-domain dot products of one weight type. */
interface QuantDot {

    /** The weight type. */
    DType type();

    /** How the activation codes must be ordered within each 32-value block. */
    Activations.Order order();

    /**
     * The dot product of {@code blocks} consecutive weight blocks from byte {@code offset} of
     * {@code w} with activation row {@code t} of {@code a} (which holds {@code blocks} blocks per row).
     */
    float dot(MemorySegment w, long offset, int blocks, Activations a, int t);
}
