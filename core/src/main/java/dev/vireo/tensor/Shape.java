/*
 * A tensor's dimensions, outermost first (PyTorch / numpy order): the last dimension is contiguous.
 * GGUF stores dimensions innermost first (ggml's ne[]); the GGUF reader reverses them.
 */
package dev.vireo.tensor;

import java.util.Arrays;

/** Immutable tensor dimensions, outermost first; the last dimension is the contiguous one. */
public record Shape(long... dims) {

    public Shape {
        dims = dims.clone();
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
        }
    }

    /** A shape from int dimensions. */
    public static Shape of(long... dims) {
        return new Shape(dims);
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code i}; negative indices count from the end ({@code -1} is the contiguous one). */
    public long dim(int i) {
        return dims[i < 0 ? dims.length + i : i];
    }

    /** Number of elements (1 for a scalar), overflow-checked. */
    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Length of the contiguous (last) dimension; 1 for a scalar. */
    public long rowLength() {
        return dims.length == 0 ? 1 : dims[dims.length - 1];
    }

    /** Number of rows: the product of every dimension but the last. */
    public long rowCount() {
        return dims.length == 0 ? 1 : elementCount() / Math.max(1, rowLength());
    }

    /** The shape without its outermost dimension (what one index of a stacked tensor holds). */
    public Shape dropFirst() {
        if (dims.length == 0) {
            throw new IllegalStateException("scalar has no outer dimension");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
