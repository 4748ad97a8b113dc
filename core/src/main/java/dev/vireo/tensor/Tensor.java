/*
 * A named, typed, shaped view of bytes in a MemorySegment. Weights are views into the mapped model
 * file (no copy); activations are F32 tensors allocated by an Ops backend from a session arena.
 */
package dev.vireo.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A tensor: {@link DType}, {@link Shape} (outermost first) and the bytes that hold it, row-major with
 * the last dimension contiguous. Quantized rows are whole blocks along that dimension.
 *
 * <p>A tensor does not own its memory: its segment belongs to an arena (the model's, for weights that
 * map a file; a session's, for activations) and is valid while that arena is open.
 */
public final class Tensor {

    /** Little-endian float, unaligned: the layout of F32 data in model files and activations. */
    public static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final DType type;
    private final Shape shape;
    private final MemorySegment data;

    /**
     * @throws IllegalArgumentException if the segment's size is not exactly what type and shape need,
     *     or the contiguous dimension is not a whole number of blocks
     */
    public Tensor(String name, DType type, Shape shape, MemorySegment data) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.data = Objects.requireNonNull(data, "data");
        long expected = byteSize(type, shape);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type + " " + shape + " needs "
                    + expected + " bytes, segment has " + data.byteSize());
        }
    }

    /** Bytes needed to store a tensor of this type and shape. */
    public static long byteSize(DType type, Shape shape) {
        return Math.multiplyExact(type.rowBytes(shape.rowLength()), shape.rowCount());
    }

    /** A zero-filled tensor in {@code arena}, aligned for vector loads. */
    public static Tensor allocate(Arena arena, String name, DType type, Shape shape) {
        return new Tensor(name, type, shape, arena.allocate(byteSize(type, shape), 64));
    }

    /** A zero-filled F32 tensor in {@code arena}. */
    public static Tensor allocateF32(Arena arena, String name, long... dims) {
        return allocate(arena, name, DType.F32, Shape.of(dims));
    }

    public String name() {
        return name;
    }

    public DType type() {
        return type;
    }

    public Shape shape() {
        return shape;
    }

    public MemorySegment data() {
        return data;
    }

    /** Number of rows (product of all dimensions but the last). */
    public int rows() {
        return Math.toIntExact(shape.rowCount());
    }

    /** Elements per row (the last dimension). */
    public int cols() {
        return Math.toIntExact(shape.rowLength());
    }

    /** Bytes per row. */
    public long rowBytes() {
        return type.rowBytes(shape.rowLength());
    }

    /** Index {@code i} of the outermost dimension, as a view (for example one expert of a stack). */
    public Tensor select(long i) {
        long outer = shape.dim(0);
        Objects.checkIndex(i, outer);
        Shape inner = shape.dropFirst();
        long size = byteSize(type, inner);
        return new Tensor(name + "[" + i + "]", type, inner, data.asSlice(i * size, size));
    }

    /** Rows {@code [start, start+count)} of a tensor viewed as a matrix [rows, cols], as a view. */
    public Tensor rows(long start, long count) {
        Objects.checkFromIndexSize(start, count, shape.rowCount());
        long rb = rowBytes();
        return new Tensor(name, type, Shape.of(count, shape.rowLength()), data.asSlice(start * rb, count * rb));
    }

    /** The same bytes under another shape with the same element count. */
    public Tensor reshape(long... dims) {
        return new Tensor(name, type, Shape.of(dims), data);
    }

    /** Element {@code i} (flat index) of an F32 tensor. */
    public float getFloat(long i) {
        requireF32();
        return data.getAtIndex(F32_LE, i);
    }

    /** Sets element {@code i} (flat index) of an F32 tensor. */
    public void setFloat(long i, float v) {
        requireF32();
        data.setAtIndex(F32_LE, i, v);
    }

    /** Copies an F32 tensor's elements to a new array. */
    public float[] toFloatArray() {
        requireF32();
        return data.toArray(F32_LE);
    }

    /** Copies {@code values} into this F32 tensor (lengths must match). */
    public Tensor copyFrom(float[] values) {
        requireF32();
        if (values.length != shape.elementCount()) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + shape.elementCount()
                    + " elements, got " + values.length);
        }
        MemorySegment.copy(values, 0, data, F32_LE, 0, values.length);
        return this;
    }

    private void requireF32() {
        if (type != DType.F32) {
            throw new IllegalStateException("tensor '" + name + "' is " + type + ", not F32");
        }
    }

    @Override
    public String toString() {
        return name + " " + type + " " + shape;
    }
}
