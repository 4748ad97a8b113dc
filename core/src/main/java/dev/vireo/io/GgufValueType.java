/*
 * The value types of GGUF metadata (model-spec.md §3.1; ggml docs/gguf.md "gguf_metadata_value_type").
 * The numeric ids are the file format; the declaration order follows them.
 */
package dev.vireo.io;

import java.util.Optional;

/** The type of a GGUF metadata value, with its on-disk id and fixed size. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    /** One byte; zero is false, anything else true. */
    BOOL(7, 1),
    /** u64 byte length, then that many UTF-8 bytes (no terminator). */
    STRING(8, -1),
    /** u32 element type, u64 count, then the elements (which may themselves be arrays). */
    ARRAY(9, -1),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final GgufValueType[] BY_ID = values();

    private final int id;
    private final int size;

    GgufValueType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    /** The id stored in the file. */
    public int id() {
        return id;
    }

    /** Bytes taken by one value of this type, or -1 for STRING and ARRAY (variable length). */
    public int fixedSize() {
        return size;
    }

    /** True for the eight integer types (not BOOL). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** True for FLOAT32 and FLOAT64. */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /**
     * The fewest bytes one value of this type can take in a file: what bounds an array's claimed
     * count against the bytes that remain.
     */
    long minEncodedSize() {
        return switch (this) {
            case STRING -> 8;      // the length, for an empty string
            case ARRAY -> 4 + 8;   // element type and count, for an empty array
            default -> size;
        };
    }

    /** The type with this on-disk id, if it is one. */
    public static Optional<GgufValueType> fromId(long id) {
        return id >= 0 && id < BY_ID.length ? Optional.of(BY_ID[(int) id]) : Optional.empty();
    }
}
