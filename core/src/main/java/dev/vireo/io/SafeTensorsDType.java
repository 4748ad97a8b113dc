/*
 * The dtype strings of safetensors headers (the safetensors crate's Dtype), with their bit widths and
 * the Vireo type each maps to, if any. Known widths let the reader check every tensor's byte range
 * even for types Vireo cannot decode (FP8, FP4, BOOL, unsigned 16-64-bit ints).
 */
package dev.vireo.io;

import dev.vireo.tensor.DType;
import java.util.Optional;

/** A safetensors element type. */
public enum SafeTensorsDType {
    BOOL(8, null),
    U8(8, DType.U8),
    I8(8, DType.I8),
    F8_E5M2(8, null),
    F8_E4M3(8, null),
    F8_E8M0(8, null),
    F4(4, null),
    F6_E2M3(6, null),
    F6_E3M2(6, null),
    I16(16, DType.I16),
    U16(16, null),
    F16(16, DType.F16),
    BF16(16, DType.BF16),
    I32(32, DType.I32),
    U32(32, null),
    F32(32, DType.F32),
    F64(64, DType.F64),
    C64(64, null),
    I64(64, DType.I64),
    U64(64, null);

    private final int bits;
    private final DType dtype;

    SafeTensorsDType(int bits, DType dtype) {
        this.bits = bits;
        this.dtype = dtype;
    }

    /** Bits per element. */
    public int bits() {
        return bits;
    }

    /** The Vireo type of this dtype, or empty if Vireo cannot read it. */
    public Optional<DType> dtype() {
        return Optional.ofNullable(dtype);
    }

    /** The dtype spelled {@code name} in a header, if it is one. */
    public static Optional<SafeTensorsDType> fromName(String name) {
        for (SafeTensorsDType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The safetensors dtype of a Vireo type, if safetensors has one (quantized ggml types do not). */
    public static Optional<SafeTensorsDType> of(DType type) {
        for (SafeTensorsDType t : values()) {
            if (t.dtype == type) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
