/*
 * One tensor entry of a safetensors header: name, dtype string, shape (outermost first, as numpy and
 * PyTorch write it) and its byte range relative to the data section.
 */
package dev.vireo.io;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import java.util.Optional;

/**
 * A validated safetensors tensor entry.
 *
 * @param name the tensor's name
 * @param dtypeName the dtype string as written ("BF16", "F8_E4M3", ...)
 * @param shape dimensions, outermost first
 * @param begin first byte, relative to the data section
 * @param end one past the last byte, relative to the data section
 */
public record SafeTensorsInfo(String name, String dtypeName, Shape shape, long begin, long end) {

    /** The dtype, if it is one safetensors defines. */
    public Optional<SafeTensorsDType> knownDtype() {
        return SafeTensorsDType.fromName(dtypeName);
    }

    /** The Vireo type, if Vireo can read this dtype. */
    public Optional<DType> dtype() {
        return knownDtype().flatMap(SafeTensorsDType::dtype);
    }

    /** Bytes of data. */
    public long byteSize() {
        return end - begin;
    }

    @Override
    public String toString() {
        return name + " " + dtypeName + " " + shape + " [" + begin + ", " + end + ")";
    }
}
