/*
 * Seeded test tensors: Gaussian F32 activations, random valid weights of any matmul type
 * (RandomBlocks), and NaN poisoning of outputs so that an op that forgets to write an element fails
 * its comparison instead of passing on leftover values.
 */
package dev.vireo.testing;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;

/** Factories of seeded random tensors for op tests. */
public final class TestTensors {
    private TestTensors() {}

    /** An F32 tensor of N(0, σ²) values. */
    public static Tensor gaussian(Arena arena, String name, Random r, double sigma, long... dims) {
        Tensor t = Tensor.allocateF32(arena, name, dims);
        float[] v = new float[Math.toIntExact(t.shape().elementCount())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * sigma);
        }
        return t.copyFrom(v);
    }

    /** An F32 tensor holding {@code values}, shaped {@code dims}. */
    public static Tensor of(Arena arena, String name, float[] values, long... dims) {
        return Tensor.allocateF32(arena, name, dims).copyFrom(values);
    }

    /** A random valid [rows, cols] weight of {@code type} (see RandomBlocks). */
    public static Tensor weight(Arena arena, String name, DType type, int rows, int cols, Random r) {
        byte[] bytes = RandomBlocks.matrix(type, rows, cols, r);
        MemorySegment seg = arena.allocate(Math.max(1, bytes.length), 64).asSlice(0, bytes.length);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return new Tensor(name, type, Shape.of(rows, cols), seg);
    }

    /** A copy of an F32 tensor in {@code arena} (to give two backends the same in-place input). */
    public static Tensor copy(Arena arena, Tensor t) {
        Tensor c = Tensor.allocate(arena, t.name(), t.type(), t.shape());
        MemorySegment.copy(t.data(), 0, c.data(), 0, t.data().byteSize());
        return c;
    }

    /** Fills an F32 tensor with NaN, so that unwritten outputs fail any comparison. */
    public static Tensor poison(Tensor t) {
        float[] nan = new float[Math.toIntExact(t.shape().elementCount())];
        Arrays.fill(nan, Float.NaN);
        return t.copyFrom(nan);
    }

    /** A NaN-filled F32 tensor. */
    public static Tensor poisoned(Arena arena, String name, long... dims) {
        return poison(Tensor.allocateF32(arena, name, dims));
    }
}
