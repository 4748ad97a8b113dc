/*
 * safetensors: single files and sharded checkpoints, valid and hostile, in memory and mapped from disk.
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    private static SafeTensorsFile parse(byte[] b) {
        return SafeTensorsFile.parse(MemorySegment.ofArray(b), "hostile.safetensors");
    }

    private static String fails(byte[] b, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> parse(b));
        String m = e.getMessage();
        assertTrue(m.startsWith("hostile.safetensors: "), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message lacks '" + f + "': " + m);
        }
        return m;
    }

    private static byte[] withHeader(String json, int dataBytes) {
        return ModelFiles.SafeTensorsBuilder.assemble(json.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    @Test
    void readsEveryDtype() {
        Random rnd = new Random(3);
        ModelFiles.SafeTensorsBuilder b = new ModelFiles.SafeTensorsBuilder().meta("format", "pt");
        byte[] f32 = ModelFiles.randomF32(rnd, 6);
        b.add("f32", DType.F32, new long[] {2, 3}, f32);
        Map<DType, byte[]> data = new java.util.EnumMap<>(DType.class);
        for (DType t : List.of(DType.F16, DType.BF16, DType.U8, DType.I8, DType.I16, DType.I32, DType.I64, DType.F64)) {
            byte[] d = ModelFiles.randomBytes(rnd, 4L * t.blockBytes());
            data.put(t, d);
            b.add(t.name().toLowerCase(), t, new long[] {4}, d);
        }
        b.add("scalar", DType.F32, new long[] {}, ModelFiles.randomF32(rnd, 1));
        b.add("empty", DType.BF16, new long[] {0, 7}, new byte[0]);
        SafeTensorsFile f = parse(b.build());
        assertEquals(Map.of("format", "pt"), f.metadata());
        assertEquals(0, f.dataOffset() % 8);
        Tensor t = f.require("f32", Shape.of(2, 3), DType.F32);
        assertArrayEquals(f32, t.data().toArray(ValueLayout.JAVA_BYTE));
        assertTrue(t.data().isReadOnly());
        for (Map.Entry<DType, byte[]> e : data.entrySet()) {
            Tensor x = f.require(e.getKey().name().toLowerCase());
            assertEquals(e.getKey(), x.type());
            assertArrayEquals(e.getValue(), x.data().toArray(ValueLayout.JAVA_BYTE));
        }
        assertEquals(0, f.require("scalar").shape().rank());
        assertEquals(Shape.of(0, 7), f.require("empty").shape());
        assertEquals(List.of("f32", "f16", "bf16", "u8", "i8", "i16", "i32", "i64", "f64", "scalar", "empty"),
                List.copyOf(f.names()));
    }

    @Test
    void unsupportedDtypesOpenButCannotBeRead() {
        byte[] b = new ModelFiles.SafeTensorsBuilder()
                .add("fp8", "F8_E4M3", new long[] {4}, new byte[4])
                .add("bool", "BOOL", new long[] {2}, new byte[2])
                .add("fp4", "F4", new long[] {4}, new byte[2])
                .add("future", "Q9_Z", new long[] {3}, new byte[5])
                .build();
        SafeTensorsFile f = parse(b);
        assertEquals(4, f.names().size());
        for (String n : List.of("fp8", "bool", "fp4", "future")) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.require(n));
            assertTrue(e.getMessage().contains("'" + n + "'") && e.getMessage().contains("does not support"),
                    e.getMessage());
        }
        assertEquals("Q9_Z", f.tensorInfos().get("future").dtypeName());
        fails(new ModelFiles.SafeTensorsBuilder().add("fp4", "F4", new long[] {3}, new byte[2]).build(),
                "not a whole number of bytes");
    }

    @Test
    void headerLengthProblems() {
        fails(new byte[5], "8-byte header length");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(9);
        fails(b.array(), "header length 9 is larger than the rest of the file (8 bytes)");
        b.putLong(0, -1);
        fails(b.array(), "18446744073709551615");
        b.putLong(0, Long.MAX_VALUE);
        fails(b.array(), "9223372036854775807");
        byte[] big = new byte[(int) SafeTensorsFile.MAX_HEADER_BYTES + 16];
        ByteBuffer.wrap(big).order(ByteOrder.LITTLE_ENDIAN).putLong(SafeTensorsFile.MAX_HEADER_BYTES + 1);
        fails(big, "exceeds the limit");
        b.putLong(0, 0);
        fails(b.array(), "empty");
    }

    @Test
    void jsonProblems() {
        fails(withHeader("{\"a\": ", 0), "not valid JSON");
        fails(withHeader("[1, 2]", 0), "expected a JSON object");
        fails(withHeader("{} {}", 0), "not valid JSON");
        fails(withHeader("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + " \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "not valid JSON",
                "Duplicate");
        byte[] invalidUtf8 = ModelFiles.SafeTensorsBuilder.assemble(new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'},
                new byte[0]);
        fails(invalidUtf8, "not valid JSON");
        fails(withHeader("{\"__metadata__\": {\"n\": 1}}", 0), "__metadata__ entry 'n'", "expected a string");
        fails(withHeader("{\"__metadata__\": [1]}", 0), "__metadata__ is array");
        fails(withHeader("{\"a\": 5}", 0), "tensor 'a' is number");
        fails(withHeader("{\"a\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "'a': dtype is nothing");
        fails(withHeader("{\"a\": {\"dtype\": 4, \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "dtype is number");
        fails(withHeader("{\"\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4), "empty name");
        fails(withHeader("[" .repeat(5000) + "]".repeat(5000), 0), "not valid JSON");
    }

    private static String tensor(String dtype, String shape, String offsets) {
        return "{\"t\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": " + offsets + "}}";
    }

    @Test
    void shapeAndOffsetProblems() {
        fails(withHeader(tensor("F32", "[-1]", "[0, 4]"), 4), "shape[0] is number -1");
        fails(withHeader(tensor("F32", "[1.5]", "[0, 4]"), 4), "shape[0]");
        fails(withHeader(tensor("F32", "[18446744073709551615]", "[0, 4]"), 4), "below 2^63");
        fails(withHeader(tensor("F32", "\"1\"", "[0, 4]"), 4), "shape is string");
        fails(withHeader(tensor("F32", "[4294967296, 4294967296]", "[0, 4]"), 4), "more elements than a long");
        fails(withHeader(tensor("F64", "[2305843009213693952]", "[0, 4]"), 4), "too large");
        // No elements, but a row too long to measure in bytes (found by the fuzz suite).
        fails(withHeader(tensor("F32", "[0, 9223372036854775807]", "[0, 0]"), 4), "too large");
        fails(withHeader(tensor("F32", "[4294967296, 4294967296, 0]", "[0, 0]"), 4), "more elements");
        fails(withHeader(tensor("F32", "[1]", "[0]"), 4), "data_offsets", "2 non-negative integers");
        fails(withHeader(tensor("F32", "[1]", "[0, 4, 8]"), 8), "data_offsets");
        fails(withHeader(tensor("F32", "[1]", "[4, 0]"), 8), "not a range inside the 8-byte data section");
        fails(withHeader(tensor("F32", "[1]", "[8, 12]"), 8), "[8, 12)");
        fails(withHeader(tensor("F32", "[1]", "[0, 9223372036854775807]"), 8), "not a range");
        fails(withHeader(tensor("F32", "[2]", "[0, 4]"), 8), "needs 8 bytes but data_offsets [0, 4) hold 4");
        fails(withHeader(tensor("F32", "[1]", "[0, 8]"), 8), "needs 4 bytes");
        // Overlap is allowed; ranges anywhere inside the data section are fine.
        SafeTensorsFile f = parse(withHeader("{\"a\": {\"dtype\": \"U8\", \"shape\": [4], \"data_offsets\": [0, 4]},"
                + " \"b\": {\"dtype\": \"U8\", \"shape\": [2], \"data_offsets\": [2, 4]}}", 8));
        assertEquals(2, f.require("b").data().byteSize());
    }

    /** Two shards and their index, in memory. */
    static Map<String, byte[]> shardedCheckpoint(long seed) {
        ModelFiles.SafeTensorsBuilder a = ModelFiles.randomSafeTensors(seed, "a.");
        ModelFiles.SafeTensorsBuilder b = ModelFiles.randomSafeTensors(seed + 1, "b.");
        ObjectNode index = Json.MAPPER.createObjectNode();
        index.putObject("metadata").put("total_size", 1234);
        ObjectNode map = index.putObject("weight_map");
        a.header().fieldNames().forEachRemaining(n -> {
            if (!n.equals("__metadata__")) {
                map.put(n, "model-00001-of-00002.safetensors");
            }
        });
        b.header().fieldNames().forEachRemaining(n -> {
            if (!n.equals("__metadata__")) {
                map.put(n, "model-00002-of-00002.safetensors");
            }
        });
        return Map.of(SafeTensorsIndex.INDEX_FILE, index.toString().getBytes(StandardCharsets.UTF_8),
                "model-00001-of-00002.safetensors", a.build(), "model-00002-of-00002.safetensors", b.build());
    }

    static SafeTensorsIndex parseIndex(Map<String, byte[]> files) throws IOException {
        return SafeTensorsIndex.parse(files.get(SafeTensorsIndex.INDEX_FILE), "index.json", name -> {
            byte[] shard = files.get(name);
            if (shard == null) {
                throw new java.nio.file.NoSuchFileException(name);
            }
            return SafeTensorsFile.parse(MemorySegment.ofArray(shard), name);
        });
    }

    @Test
    void shardedInMemory() throws IOException {
        Map<String, byte[]> files = shardedCheckpoint(11);
        try (SafeTensorsIndex idx = parseIndex(files)) {
            assertEquals(2, idx.shards().size());
            assertEquals("1234", idx.metadata().get("total_size"));
            assertEquals(idx.weightMap().keySet(), idx.names());
            for (String n : idx.names()) {
                assertTrue(idx.contains(n));
            }
            assertTrue(idx.find("nope").isEmpty());
        }
    }

    @Test
    void shardedProblems() throws IOException {
        Map<String, byte[]> files = new java.util.HashMap<>(shardedCheckpoint(11));
        byte[] shard1 = files.get("model-00001-of-00002.safetensors");
        String idx = "{\"weight_map\": {%s}}";
        // A tensor in two shards.
        files.put("x.safetensors", shard1);
        String firstName = parse(shard1).names().iterator().next();
        files.put(SafeTensorsIndex.INDEX_FILE, String.format(idx, "\"" + firstName + "\": \"model-00001-of-00002.safetensors\","
                + " \"other\": \"x.safetensors\"").getBytes(StandardCharsets.UTF_8));
        String m = assertThrows(ModelFormatException.class, () -> parseIndex(files)).getMessage();
        assertTrue(m.contains("is in two shards") && m.contains("x.safetensors"), m);
        // The map names the wrong shard, or a tensor no shard has.
        files.put(SafeTensorsIndex.INDEX_FILE, String.format(idx, "\"" + firstName + "\": \"x.safetensors\"")
                .getBytes(StandardCharsets.UTF_8));
        parseIndex(files).close();
        files.put(SafeTensorsIndex.INDEX_FILE, String.format(idx, "\"ghost\": \"x.safetensors\"")
                .getBytes(StandardCharsets.UTF_8));
        m = assertThrows(ModelFormatException.class, () -> parseIndex(files)).getMessage();
        assertTrue(m.contains("'ghost'") && m.contains("no shard holds it"), m);
        // Paths are not file names.
        for (String bad : List.of("../x.safetensors", "/etc/passwd", "a/b.safetensors", "..", "", "c:x")) {
            files.put(SafeTensorsIndex.INDEX_FILE, String.format(idx, "\"t\": " + Json.MAPPER.writeValueAsString(bad))
                    .getBytes(StandardCharsets.UTF_8));
            m = assertThrows(ModelFormatException.class, () -> parseIndex(files)).getMessage();
            assertTrue(m.contains("expected the file name of a shard"), m);
        }
        files.put(SafeTensorsIndex.INDEX_FILE, "{\"weight_map\": [1]}".getBytes(StandardCharsets.UTF_8));
        m = assertThrows(ModelFormatException.class, () -> parseIndex(files)).getMessage();
        assertTrue(m.contains("weight_map is array"), m);
        files.put(SafeTensorsIndex.INDEX_FILE, "{\"metadata\": {}}".getBytes(StandardCharsets.UTF_8));
        m = assertThrows(ModelFormatException.class, () -> parseIndex(files)).getMessage();
        assertTrue(m.contains("weight_map is nothing"), m);
    }

    @Test
    void shardedOnDiskAndTensorSourceDispatch(@TempDir Path dir) throws IOException {
        Map<String, byte[]> files = shardedCheckpoint(5);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
        try (TensorSource s = TensorSource.open(dir); SafeTensorsIndex mem = parseIndex(files)) {
            assertTrue(s instanceof SafeTensorsIndex);
            assertEquals(mem.names(), s.names());
            int compared = 0;
            for (SafeTensorsFile shard : mem.shards()) {
                for (SafeTensorsInfo info : shard.tensorInfos().values()) {
                    if (info.dtype().isPresent()) {
                        assertArrayEquals(mem.require(info.name()).data().toArray(ValueLayout.JAVA_BYTE),
                                s.require(info.name()).data().toArray(ValueLayout.JAVA_BYTE));
                        compared++;
                    } else {
                        assertThrows(ModelFormatException.class, () -> s.require(info.name()));
                    }
                }
            }
            assertTrue(compared > 0);
        }
        try (TensorSource s = TensorSource.open(dir.resolve(SafeTensorsIndex.INDEX_FILE))) {
            assertTrue(s instanceof SafeTensorsIndex);
        }
        try (TensorSource s = TensorSource.open(dir.resolve("model-00001-of-00002.safetensors"))) {
            assertTrue(s instanceof SafeTensorsFile);
        }
        // Without the index, every .safetensors file in the directory is a shard.
        Files.delete(dir.resolve(SafeTensorsIndex.INDEX_FILE));
        try (TensorSource s = TensorSource.open(dir); SafeTensorsIndex mem = parseIndex(files)) {
            assertEquals(mem.names(), s.names());
        }
    }
}
