/*
 * A decoded GGUF metadata value: what `vireo info` prints and what GgufWriter writes when a value is
 * not one of its typed shortcuts (nested arrays, unusual element types). Model loaders use the typed
 * getters of GgufMetadata instead. Tested by GgufRoundTripTest.
 */
package dev.vireo.io;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** A GGUF metadata value of any type. */
public sealed interface GgufValue {

    /** The value's GGUF type. */
    GgufValueType type();

    /**
     * One of the eight integer types. {@code value} is the number itself, except for UINT64, where it
     * holds the 64 bits (read it with {@link Long#toUnsignedString(long)}).
     */
    record Int(GgufValueType type, long value) implements GgufValue {
        public Int {
            Objects.requireNonNull(type, "type");
            long lo, hi;
            switch (type) {
                case UINT8 -> { lo = 0; hi = 0xFF; }
                case INT8 -> { lo = Byte.MIN_VALUE; hi = Byte.MAX_VALUE; }
                case UINT16 -> { lo = 0; hi = 0xFFFF; }
                case INT16 -> { lo = Short.MIN_VALUE; hi = Short.MAX_VALUE; }
                case UINT32 -> { lo = 0; hi = 0xFFFF_FFFFL; }
                case INT32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
                case UINT64, INT64 -> { lo = Long.MIN_VALUE; hi = Long.MAX_VALUE; }
                default -> throw new IllegalArgumentException(type + " is not an integer type");
            }
            if (value < lo || value > hi) {
                throw new IllegalArgumentException(value + " is out of range for " + type);
            }
        }

        @Override
        public String toString() {
            return type == GgufValueType.UINT64 ? Long.toUnsignedString(value) : Long.toString(value);
        }
    }

    /** FLOAT32 or FLOAT64; a FLOAT32 value is held exactly as a double. */
    record Real(GgufValueType type, double value) implements GgufValue {
        public Real {
            if (type != GgufValueType.FLOAT32 && type != GgufValueType.FLOAT64) {
                throw new IllegalArgumentException(type + " is not a float type");
            }
            if (type == GgufValueType.FLOAT32 && !Double.isNaN(value) && (double) (float) value != value) {
                throw new IllegalArgumentException(value + " is not exactly representable as FLOAT32");
            }
        }

        @Override
        public String toString() {
            return type == GgufValueType.FLOAT32 ? Float.toString((float) value) : Double.toString(value);
        }
    }

    /** BOOL. */
    record Bool(boolean value) implements GgufValue {
        @Override
        public GgufValueType type() {
            return GgufValueType.BOOL;
        }

        @Override
        public String toString() {
            return Boolean.toString(value);
        }
    }

    /** STRING. */
    record Str(String value) implements GgufValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.STRING;
        }

        @Override
        public String toString() {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
        }
    }

    /**
     * ARRAY of {@code length} elements of {@code elementType}. {@code elements} holds all of them, or
     * only the first ones when the array was read with a preview limit
     * ({@link GgufMetadata#value(String, int)}). Elements of an array of arrays may differ in their own
     * element types.
     */
    record Array(GgufValueType elementType, long length, List<GgufValue> elements) implements GgufValue {
        public Array {
            Objects.requireNonNull(elementType, "elementType");
            elements = List.copyOf(elements);
            if (length < elements.size()) {
                throw new IllegalArgumentException("array of length " + length + " cannot hold " + elements.size());
            }
            for (GgufValue v : elements) {
                if (v.type() != elementType) {
                    throw new IllegalArgumentException("element of type " + v.type() + " in an array of " + elementType);
                }
            }
        }

        /** A complete array. */
        public Array(GgufValueType elementType, List<GgufValue> elements) {
            this(elementType, elements.size(), elements);
        }

        @Override
        public GgufValueType type() {
            return GgufValueType.ARRAY;
        }

        /** True if every element is present (not a preview). */
        public boolean complete() {
            return elements.size() == length;
        }

        @Override
        public String toString() {
            String shown = elements.stream().map(GgufValue::toString).collect(Collectors.joining(", "));
            return "[" + shown + (complete() ? "" : (elements.isEmpty() ? "" : ", ") + "... " + length + " "
                    + elementType + " in all") + "]";
        }
    }

    static Int u8(int v) { return new Int(GgufValueType.UINT8, v); }
    static Int i8(int v) { return new Int(GgufValueType.INT8, v); }
    static Int u16(int v) { return new Int(GgufValueType.UINT16, v); }
    static Int i16(int v) { return new Int(GgufValueType.INT16, v); }
    static Int u32(long v) { return new Int(GgufValueType.UINT32, v); }
    static Int i32(int v) { return new Int(GgufValueType.INT32, v); }
    /** UINT64 from its 64 bits. */
    static Int u64(long bits) { return new Int(GgufValueType.UINT64, bits); }
    static Int i64(long v) { return new Int(GgufValueType.INT64, v); }
    static Real f32(float v) { return new Real(GgufValueType.FLOAT32, v); }
    static Real f64(double v) { return new Real(GgufValueType.FLOAT64, v); }
    static Bool bool(boolean v) { return new Bool(v); }
    static Str string(String v) { return new Str(v); }
    static Array array(GgufValueType elementType, List<GgufValue> elements) { return new Array(elementType, elements); }
}
