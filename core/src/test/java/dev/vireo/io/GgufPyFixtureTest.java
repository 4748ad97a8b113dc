/*
 * A GGUF file written by llama.cpp's gguf-py (resources/io/gguf-py-fixture.gguf, made by
 * make_gguf_py_fixture.py beside it): Vireo's reader must read what an independent writer wrote, and
 * GgufWriter must produce the same bytes for the same content.
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.Codecs;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class GgufPyFixtureTest {

    static byte[] fixture() throws IOException {
        try (InputStream in = GgufPyFixtureTest.class.getResourceAsStream("/io/gguf-py-fixture.gguf")) {
            return in.readAllBytes();
        }
    }

    @Test
    void readsWhatGgufPyWrote() throws IOException {
        GgufFile f = GgufFile.parse(MemorySegment.ofArray(fixture()), "gguf-py-fixture.gguf");
        GgufMetadata m = f.metadata();
        assertEquals(3, f.version());
        assertEquals("llama", f.architecture());
        assertEquals("fixture", m.getString("general.name"));
        assertEquals(200, m.getInt("t.u8"));
        assertEquals(-100, m.getInt("t.i8"));
        assertEquals(60000, m.getInt("t.u16"));
        assertEquals(-30000, m.getInt("t.i16"));
        assertEquals(4_000_000_000L, m.getLong("t.u32"));
        assertEquals(-2_000_000_000, m.getInt("t.i32"));
        assertEquals(0.125f, m.getFloat("t.f32"));
        assertTrue(m.getBool("t.bool"));
        assertEquals("héllo wörld ✓", m.getString("t.str"));
        assertEquals("18000000000000000000", m.value("t.u64").toString());
        assertEquals(-9_000_000_000_000_000_000L, m.getLong("t.i64"));
        assertEquals(2.5e-300, m.getDouble("t.f64"));
        assertEquals(List.of("<s>", "</s>", "Ġthe", ""), m.getStringArray("t.strs"));
        assertArrayEquals(new int[] {1, -2, 3}, m.getIntArray("t.i32s"));
        assertArrayEquals(new float[] {0.5f, -1.5f}, m.getFloatArray("t.f32s"));
        assertEquals(nested(), m.value("t.nested"));

        assertEquals(List.of("f32", "f16", "q8", "i32"), List.copyOf(f.names()));
        Tensor f32 = f.require("f32", Shape.of(2, 3), DType.F32);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, f32.toFloatArray());
        Tensor f16 = f.require("f16", Shape.of(4), DType.F16);
        assertArrayEquals(new float[] {1, -2, 0.5f, 65504}, Codecs.decoder(DType.F16).decode(f16.data(), 0, 4));
        Tensor q8 = f.require("q8", Shape.of(2, 32), DType.Q8_0);
        float[] row = Codecs.decoder(DType.Q8_0).decode(q8.data(), q8.rowBytes(), 32);
        for (int i = 0; i < 32; i++) {
            assertEquals(0.25f * i, row[i]);
        }
        Tensor i32 = f.require("i32", Shape.of(1, 2), DType.I32);
        assertEquals(-7, i32.data().get(ValueLayout.JAVA_INT_UNALIGNED, 4));
    }

    @Test
    void writerMatchesGgufPyByteForByte() throws IOException {
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", "fixture")
                .putUInt8("t.u8", 200).putInt8("t.i8", -100).putUInt16("t.u16", 60000).putInt16("t.i16", -30000)
                .putUInt32("t.u32", 4_000_000_000L).putInt32("t.i32", -2_000_000_000).putFloat32("t.f32", 0.125f)
                .putBool("t.bool", true).putString("t.str", "héllo wörld ✓")
                .putUInt64("t.u64", Long.parseUnsignedLong("18000000000000000000"))
                .putInt64("t.i64", -9_000_000_000_000_000_000L).putFloat64("t.f64", 2.5e-300)
                .putStringArray("t.strs", List.of("<s>", "</s>", "Ġthe", ""))
                .putInt32Array("t.i32s", new int[] {1, -2, 3})
                .putFloat32Array("t.f32s", new float[] {0.5f, -1.5f})
                .put("t.nested", nested());
        w.addTensor("f32", DType.F32, Shape.of(2, 3), le(b -> {
            for (int i = 0; i < 6; i++) {
                b.putFloat(i);
            }
        }, 24));
        w.addTensor("f16", DType.F16, Shape.of(4), le(b -> b.putShort((short) 0x3C00).putShort((short) 0xC000)
                .putShort((short) 0x3800).putShort((short) 0x7BFF), 8));
        w.addTensor("q8", DType.Q8_0, Shape.of(2, 32), le(b -> {
            for (int r = 0; r < 2; r++) {
                b.putShort((short) 0x3400); // f16 0.25
                for (int i = 0; i < 32; i++) {
                    b.put((byte) i);
                }
            }
        }, 68));
        w.addTensor("i32", DType.I32, Shape.of(1, 2), le(b -> b.putInt(7).putInt(-7), 8));
        assertArrayEquals(fixture(), w.toByteArray());
    }

    private static GgufValue nested() {
        return GgufValue.array(GgufValueType.ARRAY, List.of(
                GgufValue.array(GgufValueType.INT32, List.of(GgufValue.i32(1), GgufValue.i32(2))),
                GgufValue.array(GgufValueType.INT32, List.of(GgufValue.i32(3)))));
    }

    private static MemorySegment le(java.util.function.Consumer<ByteBuffer> fill, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        fill.accept(b);
        return MemorySegment.ofArray(b.array());
    }
}
