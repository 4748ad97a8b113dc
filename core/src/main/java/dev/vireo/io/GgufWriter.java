/*
 * Writes GGUF files (model-spec.md §3.1): header, metadata of every type (nested arrays included),
 * tensor infos and aligned tensor data. The layout matches gguf-py's GGUFWriter: tensor data padded to
 * the alignment after the infos and after every tensor, offsets assigned in the order tensors were
 * added. Used by tests and fixture tools, later by `vireo convert`. Tested by GgufRoundTripTest and
 * GgufPyFixtureTest (output byte-identical to gguf-py's for the same content).
 */
package dev.vireo.io;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Builds a GGUF file in memory (metadata, tensor list) and writes it. Not thread-safe. */
public final class GgufWriter {
    /** llama.cpp stores names in 64-byte buffers with a terminating NUL: 63 bytes is the real limit. */
    static final int MAX_WRITTEN_NAME_BYTES = 63;

    /** A header field as written: where, how wide, what (for the corrupt-file tests). */
    record Field(long offset, int width, String what) {}

    private interface ValueWriter {
        void write(LeBuffer out);
    }

    private record PendingTensor(String name, GgmlType type, long[] ne, MemorySegment data) {}

    private int version = 3;
    private long alignment = GgufReader.DEFAULT_ALIGNMENT;
    private final Map<String, ValueWriter> kvs = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private final Map<String, PendingTensor> tensorNames = new LinkedHashMap<>();

    /** The GGUF version to write: 3 (default) or 2 (same layout; for compatibility tests). */
    public GgufWriter version(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("can write GGUF versions 2 and 3, not " + version);
        }
        this.version = version;
        return this;
    }

    /**
     * Sets the data alignment and records it as {@code general.alignment} (UINT32) at this point of
     * the metadata. It must be a power of two and a multiple of 8 (the spec's rule).
     */
    public GgufWriter alignment(int alignment) {
        if (alignment < 8 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two and at least 8, got " + alignment);
        }
        this.alignment = alignment;
        kvs.remove(GgufReader.ALIGNMENT_KEY);
        kvs.put(GgufReader.ALIGNMENT_KEY, out -> {
            out.u32(GgufValueType.UINT32.id(), "value type");
            out.u32(alignment, "alignment value");
        });
        return this;
    }

    // ---- metadata

    public GgufWriter putUInt8(String key, int v) { return put(key, GgufValue.u8(v)); }
    public GgufWriter putInt8(String key, int v) { return put(key, GgufValue.i8(v)); }
    public GgufWriter putUInt16(String key, int v) { return put(key, GgufValue.u16(v)); }
    public GgufWriter putInt16(String key, int v) { return put(key, GgufValue.i16(v)); }
    public GgufWriter putUInt32(String key, long v) { return put(key, GgufValue.u32(v)); }
    public GgufWriter putInt32(String key, int v) { return put(key, GgufValue.i32(v)); }
    public GgufWriter putFloat32(String key, float v) { return put(key, GgufValue.f32(v)); }
    public GgufWriter putBool(String key, boolean v) { return put(key, GgufValue.bool(v)); }
    public GgufWriter putString(String key, String v) { return put(key, GgufValue.string(v)); }
    /** UINT64 from its 64 bits. */
    public GgufWriter putUInt64(String key, long bits) { return put(key, GgufValue.u64(bits)); }
    public GgufWriter putInt64(String key, long v) { return put(key, GgufValue.i64(v)); }
    public GgufWriter putFloat64(String key, double v) { return put(key, GgufValue.f64(v)); }

    /** Any value, nested arrays included. Arrays must be complete (not previews). */
    public GgufWriter put(String key, GgufValue value) {
        Objects.requireNonNull(value, "value");
        checkComplete(value);
        return putWriter(key, out -> writeValue(out, value, true));
    }

    /** An array of STRING. */
    public GgufWriter putStringArray(String key, List<String> values) {
        List<byte[]> encoded = values.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        return putWriter(key, out -> {
            arrayHeader(out, GgufValueType.STRING, encoded.size());
            for (byte[] b : encoded) {
                out.u64(b.length, "string length");
                out.bytes(b);
            }
        });
    }

    /** An array of INT32. */
    public GgufWriter putInt32Array(String key, int[] values) {
        int[] copy = values.clone();
        return putWriter(key, out -> {
            arrayHeader(out, GgufValueType.INT32, copy.length);
            for (int v : copy) {
                out.i32(v);
            }
        });
    }

    /** An array of FLOAT32. */
    public GgufWriter putFloat32Array(String key, float[] values) {
        float[] copy = values.clone();
        return putWriter(key, out -> {
            arrayHeader(out, GgufValueType.FLOAT32, copy.length);
            for (float v : copy) {
                out.i32(Float.floatToRawIntBits(v));
            }
        });
    }

    private GgufWriter putWriter(String key, ValueWriter w) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("metadata keys must not be empty");
        }
        if (key.equals(GgufReader.ALIGNMENT_KEY)) {
            throw new IllegalArgumentException("set " + GgufReader.ALIGNMENT_KEY + " with alignment(int)");
        }
        if (kvs.containsKey(key)) {
            throw new IllegalArgumentException("duplicate metadata key '" + key + "'");
        }
        kvs.put(key, w);
        return this;
    }

    private static void checkComplete(GgufValue v) {
        if (v instanceof GgufValue.Array a) {
            if (!a.complete()) {
                throw new IllegalArgumentException("cannot write a preview of an array (" + a.elements().size()
                        + " of " + a.length() + " elements)");
            }
            a.elements().forEach(GgufWriter::checkComplete);
        }
    }

    private static void arrayHeader(LeBuffer out, GgufValueType elementType, long count) {
        out.u32(GgufValueType.ARRAY.id(), "value type");
        out.u32(elementType.id(), "array element type");
        out.u64(count, "array length");
    }

    private static void writeValue(LeBuffer out, GgufValue value, boolean withType) {
        if (withType) {
            out.u32(value.type().id(), "value type");
        }
        switch (value) {
            case GgufValue.Int i -> {
                switch (i.type().fixedSize()) {
                    case 1 -> out.u8((int) i.value());
                    case 2 -> out.i16((int) i.value());
                    case 4 -> out.i32((int) i.value());
                    default -> out.u64(i.value(), i.type() + " value");
                }
            }
            case GgufValue.Real r -> {
                if (r.type() == GgufValueType.FLOAT32) {
                    out.i32(Float.floatToRawIntBits((float) r.value()));
                } else {
                    out.u64(Double.doubleToRawLongBits(r.value()), "FLOAT64 value");
                }
            }
            case GgufValue.Bool b -> out.u8(b.value() ? 1 : 0);
            case GgufValue.Str s -> {
                byte[] bytes = s.value().getBytes(StandardCharsets.UTF_8);
                out.u64(bytes.length, "string length");
                out.bytes(bytes);
            }
            case GgufValue.Array a -> {
                out.u32(a.elementType().id(), "array element type");
                out.u64(a.length(), "array length");
                for (GgufValue e : a.elements()) {
                    writeValue(out, e, false);
                }
            }
        }
    }

    // ---- tensors

    /** Adds a tensor; its data is read when the file is written (it is not copied now). */
    public GgufWriter addTensor(Tensor t) {
        return addTensor(t.name(), t.type(), t.shape(), t.data());
    }

    /** Adds a tensor of a Vireo type that GGUF can hold (not U8). */
    public GgufWriter addTensor(String name, DType type, Shape shape, MemorySegment data) {
        GgmlType g = GgmlType.of(type).orElseThrow(
                () -> new IllegalArgumentException("GGUF has no tensor type for " + type + " (tensor '" + name + "')"));
        return addTensor(name, g, shape, data);
    }

    /**
     * Adds a tensor of any ggml type, including ones Vireo cannot decode ({@code data} must hold
     * exactly the bytes the type and shape need).
     */
    public GgufWriter addTensor(String name, GgmlType type, Shape shape, MemorySegment data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (name.isEmpty() || nameBytes.length > MAX_WRITTEN_NAME_BYTES) {
            throw new IllegalArgumentException("tensor names must be 1 to " + MAX_WRITTEN_NAME_BYTES
                    + " bytes of UTF-8 (llama.cpp's limit), got " + nameBytes.length + ": '" + name + "'");
        }
        if (tensorNames.containsKey(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        if (shape.rank() > GgufReader.MAX_DIMS) {
            throw new IllegalArgumentException("GGUF tensors have at most 4 dimensions; '" + name + "' has " + shape);
        }
        if (shape.rowLength() % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type + " " + shape
                    + ": rows must be a multiple of " + type.blockSize() + " elements");
        }
        long bytes = Math.multiplyExact(shape.elementCount() / type.blockSize(), (long) type.blockBytes());
        if (data.byteSize() != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "' " + type + " " + shape + " needs " + bytes
                    + " bytes, data has " + data.byteSize());
        }
        long[] dims = shape.dims();
        long[] ne = new long[dims.length];
        for (int i = 0; i < ne.length; i++) {
            ne[i] = dims[dims.length - 1 - i];
        }
        PendingTensor t = new PendingTensor(name, type, ne, data);
        tensors.add(t);
        tensorNames.put(name, t);
        return this;
    }

    // ---- output

    /** The header (magic to the padding before the data) and where each field of it lies. */
    record Header(byte[] bytes, List<Field> fields) {}

    /** Encodes everything before the tensor data. */
    Header header() {
        LeBuffer out = new LeBuffer();
        out.u32(GgufReader.MAGIC, "magic");
        out.u32(version, "version");
        out.u64(tensors.size(), "tensor count");
        out.u64(kvs.size(), "metadata count");
        for (Map.Entry<String, ValueWriter> kv : kvs.entrySet()) {
            byte[] key = kv.getKey().getBytes(StandardCharsets.UTF_8);
            out.u64(key.length, "key length");
            out.bytes(key);
            kv.getValue().write(out);
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            byte[] name = t.name.getBytes(StandardCharsets.UTF_8);
            out.u64(name.length, "tensor name length");
            out.bytes(name);
            out.u32(t.ne.length, "tensor dimension count");
            for (long d : t.ne) {
                out.u64(d, "tensor dimension");
            }
            out.u32(t.type.id(), "tensor type");
            out.u64(offset, "tensor offset");
            offset = Math.addExact(offset, padded(t.data.byteSize()));
        }
        out.pad(alignment);
        return new Header(out.toByteArray(), List.copyOf(out.fields));
    }

    /** Total file size once written. */
    public long byteSize() {
        return byteSize(header().bytes().length);
    }

    private long byteSize(long headerBytes) {
        long size = headerBytes;
        for (PendingTensor t : tensors) {
            size = Math.addExact(size, padded(t.data.byteSize()));
        }
        return size;
    }

    /** The whole file as a byte array (for tests and small files). */
    public byte[] toByteArray() {
        byte[] header = header().bytes();
        long size = byteSize(header.length);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("file of " + size + " bytes does not fit in a byte array; write it to a file");
        }
        byte[] out = new byte[(int) size];
        System.arraycopy(header, 0, out, 0, header.length);
        int pos = header.length;
        for (PendingTensor t : tensors) {
            MemorySegment.copy(t.data, 0, MemorySegment.ofArray(out), pos, t.data.byteSize());
            pos += (int) padded(t.data.byteSize());
        }
        return out;
    }

    /** Writes the file to {@code path} (created or truncated). */
    public void write(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch);
        }
    }

    /** Writes the file to {@code out}. */
    public void write(WritableByteChannel out) throws IOException {
        writeFully(out, ByteBuffer.wrap(header().bytes()));
        byte[] zeros = new byte[(int) alignment];
        for (PendingTensor t : tensors) {
            long size = t.data.byteSize();
            // asByteBuffer is limited to 2 GiB; big tensors go out in slices.
            for (long at = 0; at < size; at += 1L << 30) {
                writeFully(out, t.data.asSlice(at, Math.min(1L << 30, size - at)).asByteBuffer());
            }
            writeFully(out, ByteBuffer.wrap(zeros, 0, (int) (padded(size) - size)));
        }
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    private long padded(long size) {
        return Math.addExact(size, alignment - 1) & -alignment;
    }

    /** A growable little-endian byte buffer that records the fields written to it. */
    private static final class LeBuffer {
        private byte[] buf = new byte[1024];
        private int pos;
        final List<Field> fields = new ArrayList<>();

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(pos + n, Math.multiplyExact(buf.length, 2)));
            }
        }

        void u8(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
        }

        void i16(int v) {
            u8(v);
            u8(v >> 8);
        }

        void i32(int v) {
            ensure(4);
            for (int i = 0; i < 4; i++) {
                buf[pos++] = (byte) (v >> (8 * i));
            }
        }

        void u32(long v, String what) {
            fields.add(new Field(pos, 4, what));
            i32((int) v);
        }

        void u64(long v, String what) {
            fields.add(new Field(pos, 8, what));
            ensure(8);
            for (int i = 0; i < 8; i++) {
                buf[pos++] = (byte) (v >> (8 * i));
            }
        }

        void bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void pad(long alignment) {
            int n = (int) (((pos + alignment - 1) & -alignment) - pos);
            ensure(n);
            pos += n;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }
}
