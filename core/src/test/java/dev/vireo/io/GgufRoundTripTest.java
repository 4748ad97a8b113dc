/*
 * GgufWriter -> GgufFile round trips: every metadata type, nested arrays, unicode strings, tensors of
 * every type, alignments, both versions, in memory and through a mapped file.
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufRoundTripTest {

    private static GgufFile read(GgufWriter w) {
        return GgufFile.parse(MemorySegment.ofArray(w.toByteArray()), "test.gguf");
    }

    @Test
    void everyScalarTypeRoundTrips() {
        GgufWriter w = new GgufWriter()
                .putUInt8("u8", 255).putInt8("i8", -128).putUInt16("u16", 65535).putInt16("i16", -32768)
                .putUInt32("u32", 0xFFFF_FFFFL).putInt32("i32", Integer.MIN_VALUE).putFloat32("f32", 1.5e-7f)
                .putBool("t", true).putBool("f", false).putString("s", "héllo 日本 😀")
                .putUInt64("u64", -1L).putInt64("i64", Long.MIN_VALUE).putFloat64("f64", Math.PI)
                .putString("empty", "");
        GgufFile f = read(w);
        GgufMetadata m = f.metadata();
        assertEquals(List.of("u8", "i8", "u16", "i16", "u32", "i32", "f32", "t", "f", "s", "u64", "i64", "f64", "empty"),
                List.copyOf(m.keys()));
        assertEquals(255, m.getInt("u8"));
        assertEquals(-128, m.getInt("i8"));
        assertEquals(65535, m.getInt("u16"));
        assertEquals(-32768, m.getInt("i16"));
        assertEquals(0xFFFF_FFFFL, m.getLong("u32"));
        assertEquals(Integer.MIN_VALUE, m.getInt("i32"));
        assertEquals(1.5e-7f, m.getFloat("f32"));
        assertTrue(m.getBool("t"));
        assertFalse(m.getBool("f"));
        assertEquals("héllo 日本 😀", m.getString("s"));
        assertEquals(Long.MIN_VALUE, m.getLong("i64"));
        assertEquals(Math.PI, m.getDouble("f64"));
        assertEquals("", m.getString("empty"));
        assertEquals(GgufValue.u64(-1L), m.value("u64"));
        assertEquals("18446744073709551615", m.value("u64").toString());
        assertEquals(0x1p64, m.getDouble("u64"));
        for (GgufValueType t : GgufValueType.values()) {
            if (t != GgufValueType.ARRAY) {
                assertTrue(m.keys().stream().anyMatch(k -> m.type(k).orElseThrow() == t), t.name());
            }
        }
        assertEquals(3, f.version());
        assertEquals(32, f.alignment());
        assertTrue(f.tensorInfos().isEmpty());
    }

    @Test
    void nestedArraysRoundTrip() {
        GgufValue inner1 = GgufValue.array(GgufValueType.INT16, List.of(GgufValue.i16(1), GgufValue.i16(-2)));
        GgufValue inner2 = GgufValue.array(GgufValueType.STRING, List.of(GgufValue.string("x"), GgufValue.string("")));
        GgufValue empty = GgufValue.array(GgufValueType.FLOAT64, List.of());
        GgufValue nested = GgufValue.array(GgufValueType.ARRAY, List.of(inner1, inner2, empty,
                GgufValue.array(GgufValueType.ARRAY, List.of(inner1))));
        GgufFile f = read(new GgufWriter().put("nested", nested).putString("after", "ok"));
        assertEquals(nested, f.metadata().value("nested"));
        assertEquals("ok", f.metadata().getString("after"));
        assertEquals(GgufValueType.ARRAY, f.metadata().arrayElementType("nested").orElseThrow());
        assertEquals(4, f.metadata().arrayLength("nested"));
        // A preview cuts arrays at every level but keeps the true lengths.
        GgufValue.Array preview = (GgufValue.Array) f.metadata().value("nested", 1);
        assertEquals(4, preview.length());
        assertEquals(1, preview.elements().size());
        assertEquals(2, ((GgufValue.Array) preview.elements().get(0)).length());
        assertEquals(1, ((GgufValue.Array) preview.elements().get(0)).elements().size());
        assertFalse(preview.complete());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.metadata().getIntArray("nested"));
        assertTrue(e.getMessage().contains("'nested'") && e.getMessage().contains("ARRAY of 4 ARRAY"), e.getMessage());
    }

    @Test
    void randomMetadataRoundTrips() {
        for (long seed = 0; seed < 200; seed++) {
            Random rnd = new Random(seed);
            GgufWriter w = new GgufWriter();
            List<GgufValue> written = new ArrayList<>();
            int n = 1 + rnd.nextInt(10);
            for (int i = 0; i < n; i++) {
                GgufValue v = ModelFiles.randomValue(rnd, GgufValueType.values()[rnd.nextInt(13)], 3);
                written.add(v);
                w.put("k" + i, v);
            }
            GgufMetadata m = read(w).metadata();
            for (int i = 0; i < n; i++) {
                assertEquals(written.get(i), m.value("k" + i), "seed " + seed + " key k" + i);
            }
        }
    }

    @Test
    void typedArraysDecodeFromEveryElementType() {
        GgufWriter w = new GgufWriter()
                .put("u8s", GgufValue.array(GgufValueType.UINT8, List.of(GgufValue.u8(0), GgufValue.u8(255))))
                .put("i16s", GgufValue.array(GgufValueType.INT16, List.of(GgufValue.i16(-5), GgufValue.i16(7))))
                .put("u32s", GgufValue.array(GgufValueType.UINT32, List.of(GgufValue.u32(1), GgufValue.u32(0xFFFF_FFFFL))))
                .put("u64s", GgufValue.array(GgufValueType.UINT64, List.of(GgufValue.u64(3), GgufValue.u64(-1))))
                .put("i64s", GgufValue.array(GgufValueType.INT64, List.of(GgufValue.i64(-3), GgufValue.i64(1L << 40))))
                .put("f64s", GgufValue.array(GgufValueType.FLOAT64, List.of(GgufValue.f64(0.25), GgufValue.f64(-1e300))))
                .put("bools", GgufValue.array(GgufValueType.BOOL, List.of(GgufValue.bool(true), GgufValue.bool(false))))
                .putInt32Array("i32s", new int[] {1, -2, 3})
                .putFloat32Array("f32s", new float[] {0.5f, Float.NaN, -0f})
                .putStringArray("strs", List.of("a", "", "日本"));
        GgufMetadata m = read(w).metadata();
        assertArrayEquals(new int[] {0, 255}, m.getIntArray("u8s"));
        assertArrayEquals(new int[] {-5, 7}, m.getIntArray("i16s"));
        assertArrayEquals(new long[] {1, 0xFFFF_FFFFL}, m.getLongArray("u32s"));
        assertArrayEquals(new int[] {1, -2, 3}, m.getIntArray("i32s"));
        assertArrayEquals(new long[] {-3, 1L << 40}, m.getLongArray("i64s"));
        assertArrayEquals(new double[] {0.25, -1e300}, m.getDoubleArray("f64s"));
        assertArrayEquals(new float[] {0.5f, Float.NaN, -0f}, m.getFloatArray("f32s"));
        assertArrayEquals(new float[] {-5f, 7f}, m.getFloatArray("i16s"));
        assertArrayEquals(new boolean[] {true, false}, m.getBoolArray("bools"));
        assertEquals(List.of("a", "", "日本"), m.getStringArray("strs"));
        assertArrayEquals("日本".getBytes(java.nio.charset.StandardCharsets.UTF_8), m.getStringArrayBytes("strs").get(2));

        ModelFormatException big = assertThrows(ModelFormatException.class, () -> m.getIntArray("u32s"));
        assertTrue(big.getMessage().contains("'u32s'") && big.getMessage().contains("4294967295"), big.getMessage());
        ModelFormatException u64 = assertThrows(ModelFormatException.class, () -> m.getLongArray("u64s"));
        assertTrue(u64.getMessage().contains("element 1") && u64.getMessage().contains("18446744073709551615"),
                u64.getMessage());
        ModelFormatException wrong = assertThrows(ModelFormatException.class, () -> m.getStringArray("i32s"));
        assertTrue(wrong.getMessage().contains("expected ARRAY of STRING, found ARRAY of 3 INT32"), wrong.getMessage());
    }

    @Test
    void tensorsOfEveryTypeRoundTrip() {
        Random rnd = new Random(7);
        GgufWriter w = new GgufWriter().putString("general.architecture", "test");
        List<byte[]> datas = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (GgmlType t : ModelFiles.TENSOR_TYPES) {
            Shape s = Shape.of(3, 2L * t.blockSize());
            byte[] data = ModelFiles.randomBytes(rnd, s.elementCount() / t.blockSize() * t.blockBytes());
            datas.add(data);
            shapes.add(s);
            w.addTensor("t." + t.name(), t, s, MemorySegment.ofArray(data));
        }
        GgufFile f = read(w);
        assertEquals(ModelFiles.TENSOR_TYPES.length, f.names().size());
        for (int i = 0; i < ModelFiles.TENSOR_TYPES.length; i++) {
            GgmlType t = ModelFiles.TENSOR_TYPES[i];
            GgufTensorInfo info = f.tensorInfo("t." + t.name()).orElseThrow();
            assertEquals(shapes.get(i), info.shape());
            assertArrayEquals(new long[] {2L * t.blockSize(), 3}, info.ggmlDims(), "ggml order is innermost first");
            assertEquals(0, info.offset() % 32);
            if (t.dtype().isPresent()) {
                Tensor tensor = f.require("t." + t.name());
                assertEquals(t.dtype().get(), tensor.type());
                assertEquals(shapes.get(i), tensor.shape());
                assertArrayEquals(datas.get(i), tensor.data().toArray(ValueLayout.JAVA_BYTE));
                assertTrue(tensor.data().isReadOnly());
            } else {
                ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.require("t." + t.name()));
                assertTrue(e.getMessage().contains(t.name()) && e.getMessage().contains("cannot read"), e.getMessage());
                assertTrue(f.contains("t." + t.name()));
            }
        }
    }

    @Test
    void alignmentsAndVersion2() {
        for (int alignment : new int[] {8, 16, 32, 64, 4096}) {
            GgufWriter w = new GgufWriter().version(2).alignment(alignment);
            w.addTensor("a", DType.F32, Shape.of(3), MemorySegment.ofArray(ModelFiles.randomF32(new Random(1), 3)));
            w.addTensor("b", DType.F32, Shape.of(5), MemorySegment.ofArray(ModelFiles.randomF32(new Random(2), 5)));
            byte[] bytes = w.toByteArray();
            GgufFile f = GgufFile.parse(MemorySegment.ofArray(bytes), "t");
            assertEquals(2, f.version());
            assertEquals(alignment, f.alignment());
            assertEquals(alignment, f.metadata().getInt("general.alignment"));
            assertEquals(0, f.dataOffset() % alignment);
            assertEquals(Math.max(16, alignment), f.tensorInfo("b").orElseThrow().offset());
            assertEquals(0, bytes.length % alignment, "every tensor is padded");
        }
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().alignment(24));
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().alignment(4));
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().putUInt32("general.alignment", 64));
    }

    @Test
    void writerRejectsBadInput() {
        MemorySegment four = MemorySegment.ofArray(new byte[4]);
        GgufWriter w = new GgufWriter().putInt32("k", 1);
        assertThrows(IllegalArgumentException.class, () -> w.putInt32("k", 2));
        assertThrows(IllegalArgumentException.class, () -> w.putInt32("", 2));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt8("x", 256));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt32("x", -1));
        w.addTensor("t", DType.F32, Shape.of(1), four);
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("t", DType.F32, Shape.of(1), four));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("u", DType.F32, Shape.of(2), four));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("u", DType.Q8_0, Shape.of(16), four));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("u", DType.U8, Shape.of(4), four));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("u", DType.I8, Shape.of(1, 1, 1, 1, 4), four));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("x".repeat(64), DType.F32, Shape.of(1), four));
        GgufValue.Array preview = new GgufValue.Array(GgufValueType.UINT8, 3, List.of(GgufValue.u8(1)));
        assertThrows(IllegalArgumentException.class, () -> w.put("p", preview));
    }

    @Test
    void mappedFileMatchesInMemory(@TempDir Path dir) throws IOException {
        for (long seed = 0; seed < 20; seed++) {
            GgufWriter w = ModelFiles.randomGguf(seed);
            Path p = dir.resolve("m" + seed + ".gguf");
            w.write(p);
            byte[] bytes = w.toByteArray();
            assertArrayEquals(bytes, Files.readAllBytes(p), "write(Path) and toByteArray agree");
            assertEquals(bytes.length, w.byteSize());
            GgufFile mem = GgufFile.parse(MemorySegment.ofArray(bytes), "mem");
            try (GgufFile owned = GgufFile.open(p); Arena arena = Arena.ofConfined()) {
                GgufFile borrowed = GgufFile.open(p, arena);
                for (GgufFile f : List.of(owned, borrowed)) {
                    assertEquals(mem.tensorInfos(), f.tensorInfos());
                    assertEquals(List.copyOf(mem.metadata().keys()), List.copyOf(f.metadata().keys()));
                    for (String k : mem.metadata().keys()) {
                        assertEquals(mem.metadata().value(k), f.metadata().value(k));
                    }
                    assertEquals(p.toString(), f.source());
                }
                borrowed.close(); // does not close the caller's arena
                for (String name : owned.names()) {
                    if (owned.tensorInfo(name).orElseThrow().dtype().isPresent()) {
                        assertTrue(borrowed.require(name).data().isReadOnly());
                    }
                }
            }
        }
    }

    @Test
    void ownedArenaClosesWithTheFile(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("a.gguf");
        new GgufWriter().addTensor("t", DType.F32, Shape.of(2), MemorySegment.ofArray(new byte[8])).write(p);
        GgufFile f = GgufFile.open(p);
        Tensor t = f.require("t");
        assertEquals(0f, t.getFloat(1));
        f.close();
        f.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> t.getFloat(1));
    }
}
