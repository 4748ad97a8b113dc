/*
 * Weight matrices of random blocks for the benchmarks, filled a slab of rows at a time so that a
 * large matrix (the unembedding) never needs one huge byte array on the heap; and random activations.
 */
package dev.vireo.jmh;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.RandomBlocks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

final class RandomWeights {
    private RandomWeights() {}

    /** A rows × cols matrix of {@code type} with random valid blocks (RandomBlocks), drawn from {@code r}. */
    static Tensor matrix(Arena arena, DType type, int rows, int cols, Random r) {
        Tensor weight = Tensor.allocate(arena, "w", type, Shape.of(rows, cols));
        int slab = 256;
        for (int row = 0; row < rows; row += slab) {
            int n = Math.min(slab, rows - row);
            byte[] block = RandomBlocks.matrix(type, n, cols, r);
            MemorySegment.copy(MemorySegment.ofArray(block), 0, weight.data(), row * weight.rowBytes(), block.length);
        }
        return weight;
    }

    /** A rows × cols F32 tensor of standard normal values drawn from {@code r}: activations. */
    static Tensor gaussian(Arena arena, String name, int rows, int cols, Random r) {
        Tensor t = Tensor.allocateF32(arena, name, rows, cols);
        for (long i = 0; i < (long) rows * cols; i++) {
            t.setFloat(i, (float) r.nextGaussian());
        }
        return t;
    }
}
