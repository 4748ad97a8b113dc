/*
 * The GGUF parser: walks the header, metadata and tensor infos of a file held in a MemorySegment and
 * checks every count, length, type and offset before it is used (model-spec.md §3.1, ggml
 * docs/gguf.md; validation rules follow llama.cpp's gguf.cpp where the spec is silent). Nothing is
 * copied: metadata values stay in the segment and are decoded on request by GgufMetadata.
 *
 * Rules, and why:
 * - versions 2 and 3 only (same layout; version 1 used 32-bit counts and is long obsolete); a version
 *   field whose low 16 bits are zero is a big-endian file, which is named as such;
 * - every count is checked against the bytes that remain (a count cannot claim more entries than
 *   bytes left), so a hostile count never sizes an allocation or a loop beyond the file;
 * - keys and tensor names must be non-empty, valid UTF-8 and unique; tensor names at most 64 bytes
 *   (the spec's limit);
 * - arrays nest at most MAX_ARRAY_DEPTH deep (llama.cpp rejects nesting entirely; gguf-py writes it);
 * - general.alignment must be UINT32, non-zero and a power of two (llama.cpp's rule; the spec's
 *   "multiple of 8" is a writer's duty, and alignments 1, 2, 4 are harmless to unaligned views);
 * - at most 4 dimensions, each non-negative as int64 (zero is allowed, as in llama.cpp); the element
 *   count (the product of the non-zero dimensions, see ElementCounts), the byte size and the row size
 *   must fit in a long; the row length must be a whole number of blocks;
 * - tensor offsets must be multiples of the alignment and the data must lie inside the file.
 *   Offsets need not be contiguous or disjoint (the spec does not ask it; views are read-only);
 * - a type id ggml does not define keeps the file openable (for inspection) but its size is unknown,
 *   so asking for that tensor fails; known types Vireo cannot decode are fully checked.
 *
 * Tested by GgufHostileTest, CorruptFileFuzzTest, GgufPyFixtureTest and LlamaCppVocabFilesTest.
 */
package dev.vireo.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses and validates the structure of a GGUF file. */
final class GgufReader {
    /** "GGUF" read as a little-endian u32. */
    static final int MAGIC = 0x46554747;
    static final String ALIGNMENT_KEY = "general.alignment";
    static final int DEFAULT_ALIGNMENT = 32;
    static final int MAX_DIMS = 4;
    static final int MAX_TENSOR_NAME_BYTES = 64;
    /** Keys are short dotted names; a cap keeps a corrupt length from decoding megabytes as a key. */
    static final int MAX_KEY_BYTES = 65_536;
    static final int MAX_ARRAY_DEPTH = 8;

    /** The smallest metadata entry: key length (of an empty key), type, one-byte value. */
    private static final long MIN_KV_BYTES = 8 + 4 + 1;
    /** The smallest tensor info: name length (of an empty name), n_dims = 0, type, offset. */
    private static final long MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;

    /** What the parse found. */
    record Parsed(int version, GgufMetadata metadata, long alignment, List<GgufTensorInfo> tensors, long dataOffset) {}

    private final MemorySegment seg;
    private final String label;
    private final long size;
    private long pos;

    private GgufReader(MemorySegment seg, String label) {
        this.seg = seg;
        this.label = label;
        this.size = seg.byteSize();
    }

    /** Parses {@code seg}; errors name {@code label}. */
    static Parsed parse(MemorySegment seg, String label) {
        return new GgufReader(seg, label).parse();
    }

    private Parsed parse() {
        if (size < 4) {
            throw fail("file is " + size + " bytes, too short to be GGUF (needs at least 24 bytes of header)");
        }
        int magic = seg.get(LittleEndian.I32, 0);
        if (magic != MAGIC) {
            throw fail("not a GGUF file: it starts with " + showBytes(0, 4) + ", expected \"GGUF\"");
        }
        pos = 4;
        long version = u32("the version");
        if (version != 0 && (version & 0xFFFF) == 0) {
            throw fail("big-endian GGUF (version field reads 0x" + Long.toHexString(version)
                    + "); only little-endian files are supported");
        }
        if (version == 1) {
            throw fail("GGUF version 1 is obsolete and not supported; convert the model again with a current llama.cpp");
        }
        if (version != 2 && version != 3) {
            throw fail("unsupported GGUF version " + version + " (supported: 2 and 3)");
        }
        long tensorCount = u64("the tensor count");
        long kvCount = u64("the metadata count");
        checkCount(kvCount, MIN_KV_BYTES, "metadata entries");
        checkCount(tensorCount, MIN_TENSOR_INFO_BYTES, "tensor infos");

        Map<String, GgufMetadata.Entry> entries = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            readEntry(i, entries);
        }
        GgufMetadata metadata = new GgufMetadata(seg, label, entries);
        long alignment = alignment(entries.get(ALIGNMENT_KEY));

        List<RawInfo> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            RawInfo info = readTensorInfo(i);
            if (!names.add(info.name)) {
                throw fail("duplicate tensor name '" + info.name + "'");
            }
            infos.add(info);
        }
        long dataOffset = pos;
        if (tensorCount > 0) {
            // The data section starts at the next multiple of the alignment (from the start of the file).
            dataOffset = alignUp(pos, alignment);
            if (dataOffset > size) {
                throw fail("the tensor data section would start at byte " + dataOffset
                        + " (tensor infos end at " + pos + ", alignment " + alignment + "), past the end of the file ("
                        + size + " bytes)");
            }
        }
        long dataLength = size - dataOffset;
        List<GgufTensorInfo> tensors = new ArrayList<>(infos.size());
        for (RawInfo r : infos) {
            tensors.add(checkPlacement(r, alignment, dataOffset, dataLength));
        }
        return new Parsed((int) version, metadata, alignment, List.copyOf(tensors), dataOffset);
    }

    // ---- metadata

    private void readEntry(long index, Map<String, GgufMetadata.Entry> entries) {
        String key = strictString("the key of metadata entry #" + index, MAX_KEY_BYTES);
        if (key.isEmpty()) {
            throw fail("metadata entry #" + index + " has an empty key");
        }
        if (entries.containsKey(key)) {
            throw fail("duplicate metadata key '" + key + "'");
        }
        GgufValueType type = valueType("the type of metadata key '" + key + "'", key);
        long valueOffset = pos;
        if (type == GgufValueType.ARRAY) {
            ArrayHeader h = arrayHeader(key, 0);
            entries.put(key, new GgufMetadata.Entry(key, type, valueOffset, h.elementType, h.count, pos));
            skipElements(key, h, 0);
        } else {
            skipValue(key, type, 0);
            entries.put(key, new GgufMetadata.Entry(key, type, valueOffset, null, 1, valueOffset));
        }
    }

    private record ArrayHeader(GgufValueType elementType, long count) {}

    private ArrayHeader arrayHeader(String key, int depth) {
        if (depth >= MAX_ARRAY_DEPTH) {
            throw fail("metadata key '" + key + "': arrays nested more than " + MAX_ARRAY_DEPTH + " deep");
        }
        GgufValueType elementType = valueType("the element type of array '" + key + "'", key);
        long count = u64("the length of array '" + key + "'");
        long left = size - pos;
        if (count < 0 || count > left / elementType.minEncodedSize()) {
            throw fail("metadata key '" + key + "': array claims " + Long.toUnsignedString(count) + " elements of "
                    + elementType + " but only " + left + " bytes remain at byte " + pos);
        }
        return new ArrayHeader(elementType, count);
    }

    private void skipElements(String key, ArrayHeader h, int depth) {
        switch (h.elementType) {
            case STRING, ARRAY -> {
                for (long i = 0; i < h.count; i++) {
                    skipValue(key, h.elementType, depth + 1);
                }
            }
            // The count was checked against the bytes left, so this cannot overflow or pass the end.
            default -> pos += h.count * h.elementType.fixedSize();
        }
    }

    private void skipValue(String key, GgufValueType type, int depth) {
        switch (type) {
            case STRING -> {
                long len = u64("a string length in '" + key + "'");
                need(len, "a string of " + Long.toUnsignedString(len) + " bytes in '" + key + "'");
                pos += len;
            }
            case ARRAY -> skipElements(key, arrayHeader(key, depth), depth);
            default -> {
                need(type.fixedSize(), "the " + type + " value of '" + key + "'");
                pos += type.fixedSize();
            }
        }
    }

    private GgufValueType valueType(String what, String key) {
        long id = u32(what);
        return GgufValueType.fromId(id).orElseThrow(
                () -> fail("metadata key '" + key + "' has unknown value type id " + id + " (valid: 0 to 12)"));
    }

    private long alignment(GgufMetadata.Entry e) {
        if (e == null) {
            return DEFAULT_ALIGNMENT;
        }
        if (e.type() != GgufValueType.UINT32) {
            throw fail("metadata key '" + ALIGNMENT_KEY + "': expected UINT32, found " + e.type());
        }
        long a = Integer.toUnsignedLong(seg.get(LittleEndian.I32, e.valueOffset()));
        if (a == 0 || Long.bitCount(a) != 1) {
            throw fail("metadata key '" + ALIGNMENT_KEY + "' is " + a + "; it must be a non-zero power of two");
        }
        return a;
    }

    // ---- tensor infos

    private record RawInfo(String name, long[] ne, long typeId, long offset, long byteSize) {}

    private RawInfo readTensorInfo(long index) {
        String name = strictString("the name of tensor #" + index, MAX_TENSOR_NAME_BYTES);
        if (name.isEmpty()) {
            throw fail("tensor #" + index + " has an empty name");
        }
        long nDims = u32("the dimension count of tensor '" + name + "'");
        if (nDims > MAX_DIMS) {
            throw fail("tensor '" + name + "' has " + nDims + " dimensions; GGUF allows at most " + MAX_DIMS);
        }
        long[] ne = new long[(int) nDims];
        long elements;
        for (int j = 0; j < ne.length; j++) {
            ne[j] = u64("dimension " + j + " of tensor '" + name + "'");
            if (ne[j] < 0) {
                throw fail("tensor '" + name + "' dimension " + j + " is " + Long.toUnsignedString(ne[j])
                        + ", negative as a signed 64-bit count");
            }
        }
        elements = ElementCounts.of(ne);
        if (elements < 0) {
            throw fail("tensor '" + name + "' with ggml dimensions " + java.util.Arrays.toString(ne)
                    + " has more elements than a 64-bit count holds");
        }
        long typeId = u32("the type of tensor '" + name + "'");
        long offset = u64("the data offset of tensor '" + name + "'");
        if (offset < 0) {
            throw fail("tensor '" + name + "' has data offset " + Long.toUnsignedString(offset)
                    + ", negative as a signed 64-bit offset");
        }
        long byteSize = -1;
        GgmlType type = GgmlType.fromId(typeId).orElse(null);
        if (type != null) {
            long rowLength = ne.length == 0 ? 1 : ne[0];
            if (rowLength % type.blockSize() != 0) {
                throw fail("tensor '" + name + "' of type " + type + " has rows of " + rowLength
                        + " elements, not a multiple of the block size " + type.blockSize());
            }
            try {
                // The row size must fit too: a tensor of zero rows can still claim an enormous row.
                Math.multiplyExact(rowLength / type.blockSize(), (long) type.blockBytes());
                byteSize = Math.multiplyExact(elements / type.blockSize(), (long) type.blockBytes());
            } catch (ArithmeticException e) {
                throw fail("tensor '" + name + "' of type " + type + " with ggml dimensions "
                        + java.util.Arrays.toString(ne) + " is larger than a 64-bit size");
            }
        }
        return new RawInfo(name, ne, typeId, offset, byteSize);
    }

    private GgufTensorInfo checkPlacement(RawInfo r, long alignment, long dataOffset, long dataLength) {
        if (r.offset % alignment != 0) {
            throw fail("tensor '" + r.name + "' has data offset " + r.offset + ", not a multiple of the alignment "
                    + alignment);
        }
        if (r.byteSize >= 0 && (r.offset > dataLength || r.byteSize > dataLength - r.offset)) {
            throw fail("tensor '" + r.name + "' (" + r.byteSize + " bytes at data offset " + r.offset
                    + ") does not fit in the file: the data section holds " + dataLength + " bytes from byte "
                    + dataOffset);
        }
        return new GgufTensorInfo(r.name, r.ne, r.typeId, r.offset, r.byteSize);
    }

    // ---- primitive reads, all bounds-checked

    private void checkCount(long count, long minEntryBytes, String what) {
        long left = size - pos;
        if (count < 0 || count > left / minEntryBytes) {
            throw fail("header claims " + Long.toUnsignedString(count) + " " + what + " but only " + left
                    + " bytes follow the header");
        }
    }

    private void need(long n, String what) {
        if (n < 0 || n > size - pos) {
            throw fail("truncated: " + what + " at byte " + pos + " needs " + Long.toUnsignedString(n)
                    + " bytes, " + (size - pos) + " left");
        }
    }

    private long u32(String what) {
        need(4, what);
        long v = Integer.toUnsignedLong(seg.get(LittleEndian.I32, pos));
        pos += 4;
        return v;
    }

    /** A u64 as its 64 bits: values of 2^63 and above come back negative, and callers reject them. */
    private long u64(String what) {
        need(8, what);
        long v = seg.get(LittleEndian.I64, pos);
        pos += 8;
        return v;
    }

    /** A string that must be valid UTF-8 of at most {@code maxBytes} bytes (keys, tensor names). */
    private String strictString(String what, int maxBytes) {
        long at = pos;
        long len = u64("the length of " + what);
        if (len < 0 || len > maxBytes) {
            throw fail(what + " at byte " + at + " claims " + Long.toUnsignedString(len) + " bytes; at most "
                    + maxBytes + " are allowed");
        }
        need(len, what);
        byte[] bytes = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
        pos += len;
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(what + " at byte " + at + " is not valid UTF-8: " + showBytes(at + 8, Math.min(len, 32)));
        }
    }

    private String showBytes(long from, long n) {
        StringBuilder sb = new StringBuilder("bytes");
        for (long i = from; i < from + n && i < size; i++) {
            sb.append(String.format(" %02x", seg.get(ValueLayout.JAVA_BYTE, i) & 0xFF));
        }
        return sb.toString();
    }

    private static long alignUp(long x, long alignment) {
        return Math.addExact(x, alignment - 1) & -alignment;
    }

    private ModelFormatException fail(String message) {
        return new ModelFormatException(label + ": " + message);
    }
}
