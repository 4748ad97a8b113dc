/*
 * Typed access to GGUF metadata (model-spec.md §3.1). Values stay in the mapped file; GgufReader has
 * already checked that every value lies inside it, and getters decode on request straight from the
 * segment. Large arrays (tokenizer.ggml.tokens, .scores, .token_type: up to ~260k entries) are decoded
 * with bulk copies for numbers and one reused byte buffer for strings.
 *
 * Conversions: integer getters accept any integer type whose value fits (converters disagree on
 * u32/i32/u64 for counts); float getters accept floats and integers; bool and string getters accept
 * only their own type. String values are decoded leniently: malformed UTF-8 becomes U+FFFD, because
 * a value is data (a token, a template), not structure; callers that need the exact bytes (a
 * tokenizer) use getStringArrayBytes. Keys are strict UTF-8 (checked by the reader).
 *
 * Tested by GgufRoundTripTest, GgufHostileTest, GgufPyFixtureTest and LlamaCppVocabFilesTest.
 */
package dev.vireo.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The metadata of a GGUF file: keys in file order, typed getters, and raw values for display. */
public final class GgufMetadata {
    /** Java arrays cannot be longer than this (with a margin some JVMs need). */
    private static final long MAX_JAVA_ARRAY = Integer.MAX_VALUE - 8;

    /**
     * Where one entry's value lies. For arrays, {@code count} and {@code elementsOffset} describe the
     * elements (after the element type and count); for scalars, count is 1 and elementType null.
     */
    record Entry(String key, GgufValueType type, long valueOffset, GgufValueType elementType, long count,
            long elementsOffset) {}

    private final MemorySegment seg;
    private final String label;
    private final Map<String, Entry> entries;

    GgufMetadata(MemorySegment seg, String label, Map<String, Entry> entries) {
        this.seg = seg;
        this.label = label;
        this.entries = Collections.unmodifiableMap(entries);
    }

    /** Number of entries. */
    public int size() {
        return entries.size();
    }

    /** The keys in file order. */
    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The type of {@code key}'s value, if present. */
    public Optional<GgufValueType> type(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::type);
    }

    /** The element type of array {@code key}, if present and an array. */
    public Optional<GgufValueType> arrayElementType(String key) {
        return Optional.ofNullable(entries.get(key)).map(Entry::elementType);
    }

    /** The length of array {@code key}. */
    public long arrayLength(String key) {
        return array(key, "ARRAY").count();
    }

    /** A short description of {@code key}'s type, e.g. {@code UINT32} or {@code ARRAY[STRING] x 128256}. */
    public String typeDescription(String key) {
        return describe(require(key, "any value"));
    }

    // ---- raw values

    /** The whole value of {@code key}, decoded. */
    public GgufValue value(String key) {
        return value(key, Integer.MAX_VALUE);
    }

    /**
     * The value of {@code key}, with arrays (at every nesting level) cut to their first
     * {@code maxArrayElements} elements: what {@code vireo info} prints.
     */
    public GgufValue value(String key, int maxArrayElements) {
        Entry e = require(key, "any value");
        return new Walker(key, e.valueOffset()).value(e.type(), Math.max(0, maxArrayElements));
    }

    /** The value of {@code key}, if present. */
    public Optional<GgufValue> find(String key) {
        return entries.containsKey(key) ? Optional.of(value(key)) : Optional.empty();
    }

    // ---- scalars

    /** An integer value that fits in an int. */
    public int getInt(String key) {
        Entry e = require(key, "an integer");
        return toInt(key, e.type(), integer(e), -1);
    }

    public Optional<Integer> findInt(String key) {
        return entries.containsKey(key) ? Optional.of(getInt(key)) : Optional.empty();
    }

    /** An integer value that fits in a long (UINT64 values of 2^63 and above do not). */
    public long getLong(String key) {
        Entry e = require(key, "an integer");
        long v = integer(e);
        if (e.type() == GgufValueType.UINT64 && v < 0) {
            throw fail(key, "value " + Long.toUnsignedString(v) + " does not fit in a signed 64-bit long");
        }
        return v;
    }

    public Optional<Long> findLong(String key) {
        return entries.containsKey(key) ? Optional.of(getLong(key)) : Optional.empty();
    }

    /** A float or integer value as a float (FLOAT64 is rounded). */
    public float getFloat(String key) {
        return (float) getDouble(key);
    }

    public Optional<Float> findFloat(String key) {
        return entries.containsKey(key) ? Optional.of(getFloat(key)) : Optional.empty();
    }

    /** A float or integer value as a double. */
    public double getDouble(String key) {
        Entry e = require(key, "a number");
        if (e.type().isFloat()) {
            return readFloat(e.type(), e.valueOffset());
        }
        if (e.type().isInteger()) {
            return toDouble(e.type(), readInteger(e.type(), e.valueOffset()));
        }
        throw mismatch(e, "a number");
    }

    public Optional<Double> findDouble(String key) {
        return entries.containsKey(key) ? Optional.of(getDouble(key)) : Optional.empty();
    }

    /** A BOOL value. */
    public boolean getBool(String key) {
        Entry e = require(key, "BOOL");
        if (e.type() != GgufValueType.BOOL) {
            throw mismatch(e, "BOOL");
        }
        return seg.get(ValueLayout.JAVA_BYTE, e.valueOffset()) != 0;
    }

    public Optional<Boolean> findBool(String key) {
        return entries.containsKey(key) ? Optional.of(getBool(key)) : Optional.empty();
    }

    /** A STRING value (malformed UTF-8 decodes to U+FFFD). */
    public String getString(String key) {
        Entry e = require(key, "STRING");
        if (e.type() != GgufValueType.STRING) {
            throw mismatch(e, "STRING");
        }
        long len = seg.get(LittleEndian.I64, e.valueOffset());
        if (len > MAX_JAVA_ARRAY) {
            throw fail(key, "string of " + len + " bytes is too long to decode");
        }
        byte[] bytes = new byte[(int) len];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, e.valueOffset() + 8, bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public Optional<String> findString(String key) {
        return entries.containsKey(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    // ---- arrays

    /** An array of STRING, decoded (malformed UTF-8 becomes U+FFFD). */
    public List<String> getStringArray(String key) {
        return stringArray(key, (buf, len) -> new String(buf, 0, len, StandardCharsets.UTF_8));
    }

    public Optional<List<String>> findStringArray(String key) {
        return entries.containsKey(key) ? Optional.of(getStringArray(key)) : Optional.empty();
    }

    /** An array of STRING as the exact bytes stored. */
    public List<byte[]> getStringArrayBytes(String key) {
        return stringArray(key, (buf, len) -> java.util.Arrays.copyOf(buf, len));
    }

    /** An array of any integer type whose elements all fit in an int. */
    public int[] getIntArray(String key) {
        Entry e = numericArray(key, "ARRAY of integers", false);
        int n = (int) e.count();
        int[] out = new int[n];
        long at = e.elementsOffset();
        switch (e.elementType()) {
            case INT32 -> MemorySegment.copy(seg, LittleEndian.I32, at, out, 0, n);
            case UINT32 -> {
                MemorySegment.copy(seg, LittleEndian.I32, at, out, 0, n);
                for (int i = 0; i < n; i++) {
                    if (out[i] < 0) {
                        throw fail(key, "element " + i + " is " + Integer.toUnsignedString(out[i])
                                + ", too large for an int");
                    }
                }
            }
            default -> {
                GgufValueType t = e.elementType();
                int size = t.fixedSize();
                for (int i = 0; i < n; i++) {
                    out[i] = toInt(key, t, readInteger(t, at + (long) i * size), i);
                }
            }
        }
        return out;
    }

    public Optional<int[]> findIntArray(String key) {
        return entries.containsKey(key) ? Optional.of(getIntArray(key)) : Optional.empty();
    }

    /** An array of any integer type whose elements all fit in a long. */
    public long[] getLongArray(String key) {
        Entry e = numericArray(key, "ARRAY of integers", false);
        int n = (int) e.count();
        long[] out = new long[n];
        GgufValueType t = e.elementType();
        if (t == GgufValueType.INT64 || t == GgufValueType.UINT64) {
            MemorySegment.copy(seg, LittleEndian.I64, e.elementsOffset(), out, 0, n);
            if (t == GgufValueType.UINT64) {
                for (int i = 0; i < n; i++) {
                    if (out[i] < 0) {
                        throw fail(key, "element " + i + " is " + Long.toUnsignedString(out[i])
                                + ", too large for a signed 64-bit long");
                    }
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = readInteger(t, e.elementsOffset() + (long) i * t.fixedSize());
            }
        }
        return out;
    }

    public Optional<long[]> findLongArray(String key) {
        return entries.containsKey(key) ? Optional.of(getLongArray(key)) : Optional.empty();
    }

    /** An array of floats or integers as floats (FLOAT64 elements are rounded). */
    public float[] getFloatArray(String key) {
        Entry e = numericArray(key, "ARRAY of numbers", true);
        int n = (int) e.count();
        float[] out = new float[n];
        if (e.elementType() == GgufValueType.FLOAT32) {
            MemorySegment.copy(seg, LittleEndian.F32, e.elementsOffset(), out, 0, n);
        } else {
            GgufValueType t = e.elementType();
            for (int i = 0; i < n; i++) {
                out[i] = (float) number(t, e.elementsOffset() + (long) i * t.fixedSize());
            }
        }
        return out;
    }

    public Optional<float[]> findFloatArray(String key) {
        return entries.containsKey(key) ? Optional.of(getFloatArray(key)) : Optional.empty();
    }

    /** An array of floats or integers as doubles. */
    public double[] getDoubleArray(String key) {
        Entry e = numericArray(key, "ARRAY of numbers", true);
        int n = (int) e.count();
        double[] out = new double[n];
        if (e.elementType() == GgufValueType.FLOAT64) {
            MemorySegment.copy(seg, LittleEndian.F64, e.elementsOffset(), out, 0, n);
        } else {
            GgufValueType t = e.elementType();
            for (int i = 0; i < n; i++) {
                out[i] = number(t, e.elementsOffset() + (long) i * t.fixedSize());
            }
        }
        return out;
    }

    public Optional<double[]> findDoubleArray(String key) {
        return entries.containsKey(key) ? Optional.of(getDoubleArray(key)) : Optional.empty();
    }

    /** An array of BOOL. */
    public boolean[] getBoolArray(String key) {
        Entry e = array(key, "ARRAY of BOOL");
        if (e.elementType() != GgufValueType.BOOL) {
            throw mismatch(e, "ARRAY of BOOL");
        }
        checkJavaArray(e);
        boolean[] out = new boolean[(int) e.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = seg.get(ValueLayout.JAVA_BYTE, e.elementsOffset() + i) != 0;
        }
        return out;
    }

    // ---- internals

    private Entry require(String key, String expected) {
        Entry e = entries.get(key);
        if (e == null) {
            throw new ModelFormatException(label + ": missing metadata key '" + key + "' (expected " + expected + ")");
        }
        return e;
    }

    private Entry array(String key, String expected) {
        Entry e = require(key, expected);
        if (e.type() != GgufValueType.ARRAY) {
            throw mismatch(e, expected);
        }
        return e;
    }

    private Entry numericArray(String key, String expected, boolean floatsAllowed) {
        Entry e = array(key, expected);
        GgufValueType t = e.elementType();
        if (!(t.isInteger() || (floatsAllowed && t.isFloat()))) {
            throw mismatch(e, expected);
        }
        checkJavaArray(e);
        return e;
    }

    private void checkJavaArray(Entry e) {
        if (e.count() > MAX_JAVA_ARRAY) {
            throw fail(e.key(), "array of " + e.count() + " elements is too long for a Java array");
        }
    }

    private interface StringMaker<T> {
        T make(byte[] buffer, int length);
    }

    private <T> List<T> stringArray(String key, StringMaker<T> maker) {
        Entry e = array(key, "ARRAY of STRING");
        if (e.elementType() != GgufValueType.STRING) {
            throw mismatch(e, "ARRAY of STRING");
        }
        checkJavaArray(e);
        int n = (int) e.count();
        List<T> out = new ArrayList<>(n);
        byte[] buf = new byte[256];
        long at = e.elementsOffset();
        for (int i = 0; i < n; i++) {
            long len = seg.get(LittleEndian.I64, at);
            if (len > MAX_JAVA_ARRAY) {
                throw fail(key, "element " + i + " is a string of " + len + " bytes, too long to decode");
            }
            if (len > buf.length) {
                buf = new byte[(int) Math.min(MAX_JAVA_ARRAY, Math.max(len, 2L * buf.length))];
            }
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, at + 8, buf, 0, (int) len);
            out.add(maker.make(buf, (int) len));
            at += 8 + len;
        }
        return Collections.unmodifiableList(out);
    }

    private long integer(Entry e) {
        if (!e.type().isInteger()) {
            throw mismatch(e, "an integer");
        }
        return readInteger(e.type(), e.valueOffset());
    }

    /** An integer of type {@code t} at {@code at}; UINT64 comes back as its 64 bits. */
    private long readInteger(GgufValueType t, long at) {
        return switch (t) {
            case UINT8 -> seg.get(ValueLayout.JAVA_BYTE, at) & 0xFFL;
            case INT8 -> seg.get(ValueLayout.JAVA_BYTE, at);
            case UINT16 -> seg.get(LittleEndian.I16, at) & 0xFFFFL;
            case INT16 -> seg.get(LittleEndian.I16, at);
            case UINT32 -> Integer.toUnsignedLong(seg.get(LittleEndian.I32, at));
            case INT32 -> seg.get(LittleEndian.I32, at);
            case UINT64, INT64 -> seg.get(LittleEndian.I64, at);
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        };
    }

    private double readFloat(GgufValueType t, long at) {
        return t == GgufValueType.FLOAT32 ? seg.get(LittleEndian.F32, at) : seg.get(LittleEndian.F64, at);
    }

    private double number(GgufValueType t, long at) {
        return t.isFloat() ? readFloat(t, at) : toDouble(t, readInteger(t, at));
    }

    private static double toDouble(GgufValueType t, long v) {
        if (t == GgufValueType.UINT64 && v < 0) {
            return (double) (v >>> 1) * 2.0 + (v & 1);
        }
        return v;
    }

    /** {@code v} (of type {@code t}) as an int; {@code index} names the array element, or is -1. */
    private int toInt(String key, GgufValueType t, long v, int index) {
        boolean unsigned64 = t == GgufValueType.UINT64;
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE || (unsigned64 && v < 0)) {
            String shown = unsigned64 ? Long.toUnsignedString(v) : Long.toString(v);
            throw fail(key, (index < 0 ? "value " : "element " + index + ", ") + shown + " (" + t
                    + "), does not fit in an int");
        }
        return (int) v;
    }

    private String describe(Entry e) {
        if (e.type() != GgufValueType.ARRAY) {
            return e.type().name();
        }
        return "ARRAY[" + e.elementType() + "] x " + e.count();
    }

    private String actual(Entry e) {
        if (e.type() == GgufValueType.ARRAY) {
            return "ARRAY of " + e.count() + " " + e.elementType();
        }
        if (e.type() == GgufValueType.STRING) {
            return "STRING";
        }
        return e.type() + " (" + value(e.key()) + ")";
    }

    private ModelFormatException mismatch(Entry e, String expected) {
        return fail(e.key(), "expected " + expected + ", found " + actual(e));
    }

    private ModelFormatException fail(String key, String message) {
        return new ModelFormatException(label + ": metadata key '" + key + "': " + message);
    }

    /** Decodes values sequentially from a position (for raw access and previews). */
    private final class Walker {
        private final String key;
        private long pos;

        Walker(String key, long pos) {
            this.key = key;
            this.pos = pos;
        }

        GgufValue value(GgufValueType type, int max) {
            switch (type) {
                case STRING -> {
                    long len = seg.get(LittleEndian.I64, pos);
                    if (len > MAX_JAVA_ARRAY) {
                        throw fail(key, "string of " + len + " bytes is too long to decode");
                    }
                    byte[] b = seg.asSlice(pos + 8, len).toArray(ValueLayout.JAVA_BYTE);
                    pos += 8 + len;
                    return new GgufValue.Str(new String(b, StandardCharsets.UTF_8));
                }
                case ARRAY -> {
                    GgufValueType et = GgufValueType.fromId(Integer.toUnsignedLong(seg.get(LittleEndian.I32, pos)))
                            .orElseThrow();
                    long count = seg.get(LittleEndian.I64, pos + 4);
                    pos += 12;
                    int shown = (int) Math.min(count, max);
                    List<GgufValue> elements = new ArrayList<>(shown);
                    for (int i = 0; i < shown; i++) {
                        elements.add(value(et, max));
                    }
                    for (long i = shown; i < count; i++) {
                        skip(et);
                    }
                    return new GgufValue.Array(et, count, elements);
                }
                case BOOL -> {
                    return new GgufValue.Bool(seg.get(ValueLayout.JAVA_BYTE, pos++) != 0);
                }
                case FLOAT32, FLOAT64 -> {
                    double v = readFloat(type, pos);
                    pos += type.fixedSize();
                    return new GgufValue.Real(type, v);
                }
                default -> {
                    long v = readInteger(type, pos);
                    pos += type.fixedSize();
                    return new GgufValue.Int(type, v);
                }
            }
        }

        private void skip(GgufValueType type) {
            switch (type) {
                case STRING -> pos += 8 + seg.get(LittleEndian.I64, pos);
                case ARRAY -> {
                    GgufValueType et = GgufValueType.fromId(Integer.toUnsignedLong(seg.get(LittleEndian.I32, pos)))
                            .orElseThrow();
                    long count = seg.get(LittleEndian.I64, pos + 4);
                    pos += 12;
                    if (et.fixedSize() > 0) {
                        pos += count * et.fixedSize();
                    } else {
                        for (long i = 0; i < count; i++) {
                            skip(et);
                        }
                    }
                }
                default -> pos += type.fixedSize();
            }
        }
    }
}
