/*
 * One tensor info of a GGUF file, as stored (model-spec.md §3.1): name, ggml dimensions (ne[],
 * innermost first), ggml type id and data offset. Vireo's Shape is outermost first, so shape() reverses
 * the dimensions. Tested by GgufRoundTripTest and GgufHostileTest.
 */
package dev.vireo.io;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import java.util.Arrays;
import java.util.Optional;

/**
 * A validated GGUF tensor info.
 *
 * @param name the tensor's name
 * @param ggmlDims ggml's ne[]: the contiguous (innermost) dimension first
 * @param typeId the ggml type id as stored; see {@link #ggmlType()}
 * @param offset byte offset of the data from the start of the file's data section
 * @param byteSize bytes of data, or -1 when the type id is unknown to ggml (size cannot be known)
 */
public record GgufTensorInfo(String name, long[] ggmlDims, long typeId, long offset, long byteSize) {

    public GgufTensorInfo {
        ggmlDims = ggmlDims.clone();
    }

    @Override
    public long[] ggmlDims() {
        return ggmlDims.clone();
    }

    /** The dimensions outermost first (ggml's ne[] reversed). */
    public Shape shape() {
        long[] dims = new long[ggmlDims.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = ggmlDims[dims.length - 1 - i];
        }
        return new Shape(dims);
    }

    /** The number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : ggmlDims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The ggml type, if ggml defines this id. */
    public Optional<GgmlType> ggmlType() {
        return GgmlType.fromId(typeId);
    }

    /** The type Vireo reads this tensor as, if it can. */
    public Optional<DType> dtype() {
        return ggmlType().flatMap(GgmlType::dtype);
    }

    /** The type's name for messages: the Vireo or ggml name, or "unknown type id N". */
    public String typeName() {
        return ggmlType().map(t -> t.dtype().map(DType::name).orElse(t.name())).orElse("unknown type id " + typeId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && name.equals(t.name) && Arrays.equals(ggmlDims, t.ggmlDims)
                && typeId == t.typeId && offset == t.offset && byteSize == t.byteSize;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(ggmlDims);
    }

    @Override
    public String toString() {
        return name + " " + typeName() + " " + shape() + " @" + offset;
    }
}
