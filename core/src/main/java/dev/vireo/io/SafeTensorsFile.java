/*
 * A safetensors file (model-spec.md §2.2, §2.3; the format of Hugging Face's safetensors crate):
 * u64 little-endian header length N, N bytes of JSON, then the data section. The JSON maps each tensor
 * name to {dtype, shape, data_offsets: [begin, end)} relative to the data section, plus an optional
 * "__metadata__" object of string values.
 *
 * Checks: N fits in the file and under MAX_HEADER_BYTES (the crate's own cap); the JSON is one
 * well-formed object without duplicate keys; every shape is a list of non-negative integers whose
 * non-zero product fits in a long (ElementCounts), as does the byte size of one row; every range lies
 * inside the data section and, for a known dtype, holds exactly elements x width bytes. Ranges may
 * overlap or leave gaps (the crate insists on a dense layout; nothing here depends on it, and read-only
 * views of shared bytes are harmless). Unknown dtype strings keep the file openable for inspection;
 * asking for such a tensor fails.
 *
 * Tested by SafeTensorsTest and CorruptFileFuzzTest.
 */
package dev.vireo.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A single safetensors file: metadata and tensor views. */
public final class SafeTensorsFile implements TensorSource {
    /** The largest header accepted (the safetensors crate's limit). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    private final String label;
    private final MemorySegment data;
    private final Arena ownedArena;
    private final long dataOffset;
    private final Map<String, String> metadata;
    private final Map<String, SafeTensorsInfo> tensors;

    private SafeTensorsFile(String label, MemorySegment data, Arena ownedArena) {
        this.label = label;
        this.data = data;
        this.ownedArena = ownedArena;
        long size = data.byteSize();
        if (size < 8) {
            throw fail("file is " + size + " bytes; a safetensors file starts with an 8-byte header length");
        }
        long n = data.get(LittleEndian.I64, 0);
        if (n < 0 || n > size - 8) {
            throw fail("header length " + Long.toUnsignedString(n) + " is larger than the rest of the file ("
                    + (size - 8) + " bytes); the file is truncated or not safetensors");
        }
        if (n > MAX_HEADER_BYTES) {
            throw fail("header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        this.dataOffset = 8 + n;
        JsonNode root = Json.parse(data.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE), label, "the header");
        if (!root.isObject()) {
            throw fail("the header is " + Json.describe(root) + ", expected a JSON object");
        }
        long dataLength = size - dataOffset;
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, SafeTensorsInfo> infos = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (e.getKey().equals(METADATA_KEY)) {
                readMetadata(e.getValue(), meta);
            } else {
                infos.put(e.getKey(), readInfo(e.getKey(), e.getValue(), dataLength));
            }
        }
        this.metadata = Collections.unmodifiableMap(meta);
        this.tensors = Collections.unmodifiableMap(infos);
    }

    /** Maps and parses {@code path}; the mapping belongs to an arena closed by {@link #close()}. */
    public static SafeTensorsFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            return new SafeTensorsFile(MappedFile.label(path), MappedFile.map(path, arena), arena);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Maps and parses {@code path} into the caller's arena; {@link #close()} does nothing. */
    public static SafeTensorsFile open(Path path, Arena arena) throws IOException {
        return new SafeTensorsFile(MappedFile.label(path), MappedFile.map(path, arena), null);
    }

    /** Parses a safetensors image held in {@code data} (owned by the caller); errors name {@code label}. */
    public static SafeTensorsFile parse(MemorySegment data, String label) {
        return new SafeTensorsFile(label, data.asReadOnly(), null);
    }

    private void readMetadata(JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw fail(METADATA_KEY + " is " + Json.describe(node) + ", expected an object of strings");
        }
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) {
                throw fail(METADATA_KEY + " entry '" + m.getKey() + "' is " + Json.describe(m.getValue())
                        + ", expected a string");
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private SafeTensorsInfo readInfo(String name, JsonNode node, long dataLength) {
        if (name.isEmpty()) {
            throw fail("a tensor has an empty name");
        }
        if (!node.isObject()) {
            throw fail("tensor '" + name + "' is " + Json.describe(node)
                    + ", expected an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw fail("tensor '" + name + "': dtype is " + Json.describe(dtypeNode) + ", expected a string");
        }
        String dtype = dtypeNode.textValue();
        long[] dims = longs(name, "shape", node.get("shape"), -1);
        long[] range = longs(name, "data_offsets", node.get("data_offsets"), 2);
        long begin = range[0], end = range[1];
        if (begin > end || end > dataLength) {
            throw fail("tensor '" + name + "': data_offsets [" + begin + ", " + end + ") are not a range inside the "
                    + dataLength + "-byte data section");
        }
        long elements = ElementCounts.of(dims);
        if (elements < 0) {
            throw fail("tensor '" + name + "': shape " + Arrays.toString(dims) + " has more elements than a long holds");
        }
        Optional<SafeTensorsDType> known = SafeTensorsDType.fromName(dtype);
        if (known.isPresent()) {
            int bits = known.get().bits();
            long expected;
            long rowLength = dims.length == 0 ? 1 : dims[dims.length - 1];
            // The row size must fit too: a tensor of zero rows can still claim an enormous row.
            if (elements > Long.MAX_VALUE / bits || rowLength > Long.MAX_VALUE / bits) {
                throw fail("tensor '" + name + "': " + dtype + " " + Arrays.toString(dims) + " is too large");
            }
            long totalBits = elements * bits;
            if (totalBits % 8 != 0) {
                throw fail("tensor '" + name + "': " + elements + " elements of " + dtype + " are not a whole number of bytes");
            }
            expected = totalBits / 8;
            if (end - begin != expected) {
                throw fail("tensor '" + name + "': " + dtype + " " + Arrays.toString(dims) + " needs " + expected
                        + " bytes but data_offsets [" + begin + ", " + end + ") hold " + (end - begin));
            }
        }
        return new SafeTensorsInfo(name, dtype, new Shape(dims), begin, end);
    }

    /** A JSON array of non-negative integers that fit in a long, of length {@code length} (-1: any). */
    private long[] longs(String name, String field, JsonNode node, int length) {
        String expected = length < 0 ? "a list of non-negative integers" : "a list of " + length + " non-negative integers";
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw fail("tensor '" + name + "': " + field + " is " + Json.describe(node) + ", expected " + expected);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw fail("tensor '" + name + "': " + field + "[" + i + "] is " + Json.describe(v)
                        + ", expected a non-negative integer below 2^63");
            }
            out[i] = v.longValue();
        }
        return out;
    }

    /** The {@code __metadata__} strings (empty if the header has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor entries in header order. */
    public Map<String, SafeTensorsInfo> tensorInfos() {
        return tensors;
    }

    /** Byte offset of the data section in the file. */
    public long dataOffset() {
        return dataOffset;
    }

    @Override
    public String source() {
        return label;
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public Optional<Tensor> find(String name) {
        SafeTensorsInfo info = tensors.get(name);
        if (info == null) {
            return Optional.empty();
        }
        DType type = info.dtype().orElseThrow(() -> fail("tensor '" + name + "' has dtype " + info.dtypeName()
                + ", which Vireo does not support (supported: "
                + Arrays.stream(SafeTensorsDType.values()).filter(t -> t.dtype().isPresent())
                        .map(Enum::name).collect(Collectors.joining(", ")) + ")"));
        return Optional.of(new Tensor(name, type, info.shape(), data.asSlice(dataOffset + info.begin(), info.byteSize())));
    }

    @Override
    public void close() {
        if (ownedArena != null && ownedArena.scope().isAlive()) {
            ownedArena.close();
        }
    }

    private ModelFormatException fail(String message) {
        return new ModelFormatException(label + ": " + message);
    }

    @Override
    public String toString() {
        return "safetensors " + label + " (" + tensors.size() + " tensors)";
    }
}
