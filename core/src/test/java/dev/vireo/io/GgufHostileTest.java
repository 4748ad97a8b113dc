/*
 * Targeted hostile GGUF files, built byte by byte: giant counts and lengths, offsets past the end,
 * misaligned offsets, unknown types, too many dimensions, values that are negative as int64, bad
 * alignments, duplicates. Each must fail with a ModelFormatException that names the file and says
 * what is wrong (or, for unknown tensor types, open and fail only when the tensor is asked for).
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GgufHostileTest {
    private static final long MAX_U64 = -1L;

    /** Little-endian byte builder for hand-made files. */
    static final class Raw {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Raw u8(int v) {
            out.write(v);
            return this;
        }

        Raw u32(long v) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Raw u64(long v) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Raw bytes(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Raw str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u64(b.length).bytes(b);
        }

        /** Magic, version, counts. */
        static Raw header(long version, long tensors, long kvs) {
            return new Raw().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(version).u64(tensors).u64(kvs);
        }

        /** Zero padding up to a multiple of {@code a}. */
        Raw pad(int a) {
            while (out.size() % a != 0) {
                out.write(0);
            }
            return this;
        }

        Raw zeros(int n) {
            out.writeBytes(new byte[n]);
            return this;
        }

        /** A tensor info. */
        Raw tensor(String name, long type, long offset, long... ne) {
            str(name).u32(ne.length);
            for (long d : ne) {
                u64(d);
            }
            return u32(type).u64(offset);
        }

        byte[] build() {
            return out.toByteArray();
        }
    }

    private static GgufFile parse(byte[] b) {
        return GgufFile.parse(MemorySegment.ofArray(b), "hostile.gguf");
    }

    private static String fails(byte[] b, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> parse(b));
        String m = e.getMessage();
        assertTrue(m.startsWith("hostile.gguf: "), m);
        for (String f : fragments) {
            assertTrue(m.contains(f), "message lacks '" + f + "': " + m);
        }
        return m;
    }

    @Test
    void headerProblems() {
        fails(new byte[0], "too short");
        fails(new byte[] {'G', 'G', 'U'}, "too short");
        fails("GGML\3\0\0\0".getBytes(StandardCharsets.ISO_8859_1), "not a GGUF file", "47 47 4d 4c");
        fails(Raw.header(1, 0, 0).build(), "version 1");
        fails(Raw.header(4, 0, 0).build(), "unsupported GGUF version 4");
        fails(Raw.header(0, 0, 0).build(), "unsupported GGUF version 0");
        // A big-endian version 3 file: the version's bytes are 00 00 00 03.
        fails(new Raw().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(0x0300_0000L).u64(0).u64(0).build(),
                "big-endian");
        fails(new Raw().bytes("GGUF".getBytes(StandardCharsets.US_ASCII)).u32(3).u64(0).build(), "truncated",
                "metadata count");
        // Counts that claim more entries than bytes remain.
        fails(Raw.header(3, MAX_U64, 0).build(), "18446744073709551615 tensor infos");
        fails(Raw.header(3, 0, Long.MAX_VALUE).build(), "9223372036854775807 metadata entries");
        fails(Raw.header(3, 0, 1000).zeros(100).build(), "1000 metadata entries", "100 bytes");
    }

    @Test
    void giantLengths() {
        for (long len : new long[] {MAX_U64, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 100}) {
            fails(Raw.header(3, 0, 1).u64(len).zeros(20).build(), "key of metadata entry #0");
            fails(Raw.header(3, 0, 1).str("k").u32(8).u64(len).zeros(20).build(), "'k'");
            fails(Raw.header(3, 1, 0).u64(len).zeros(40).build(), "name of tensor #0");
        }
        // Array counts: u8 elements need count bytes, strings at least 8 each, arrays 12 each.
        fails(Raw.header(3, 0, 1).str("a").u32(9).u32(0).u64(17).zeros(16).build(), "array claims 17", "UINT8");
        fails(Raw.header(3, 0, 1).str("a").u32(9).u32(8).u64(3).zeros(16).build(), "array claims 3", "STRING");
        fails(Raw.header(3, 0, 1).str("a").u32(9).u32(9).u64(2).zeros(16).build(), "array claims 2", "ARRAY");
        fails(Raw.header(3, 0, 1).str("a").u32(9).u32(11).u64(MAX_U64).zeros(16).build(), "18446744073709551615");
        // A string array whose strings overrun the file.
        fails(Raw.header(3, 0, 1).str("a").u32(9).u32(8).u64(2).str("x").u64(1L << 40).zeros(8).build(),
                "truncated", "'a'");
        // Valid counts at the exact limit are fine.
        GgufFile f = parse(Raw.header(3, 0, 1).str("a").u32(9).u32(0).u64(4).zeros(4).build());
        assertEquals(4, f.metadata().arrayLength("a"));
    }

    @Test
    void badValueTypesAndNesting() {
        fails(Raw.header(3, 0, 1).str("k").u32(13).zeros(8).build(), "unknown value type id 13", "'k'");
        fails(Raw.header(3, 0, 1).str("k").u32(0xFFFF_FFFFL).zeros(8).build(), "unknown value type id 4294967295");
        fails(Raw.header(3, 0, 1).str("k").u32(9).u32(77).u64(0).build(), "unknown value type id 77");
        // Nesting: depth 8 is accepted, 9 is not.
        for (int depth : new int[] {8, 9}) {
            Raw r = Raw.header(3, 0, 1).str("deep").u32(9);
            for (int i = 1; i < depth; i++) {
                r.u32(9).u64(1);
            }
            r.u32(0).u64(1).u8(42);
            if (depth <= GgufReader.MAX_ARRAY_DEPTH) {
                assertEquals(GgufValueType.ARRAY, parse(r.build()).metadata().type("deep").orElseThrow());
            } else {
                fails(r.build(), "nested more than 8 deep", "'deep'");
            }
        }
    }

    @Test
    void keyProblems() {
        fails(Raw.header(3, 0, 2).str("k").u32(0).u8(1).str("k").u32(0).u8(2).build(), "duplicate metadata key 'k'");
        fails(Raw.header(3, 0, 1).str("").u32(0).u8(1).build(), "empty key");
        fails(Raw.header(3, 0, 1).u64(2).bytes(new byte[] {(byte) 0xC3, 0x28}).u32(0).u8(1).build(), "not valid UTF-8");
        fails(Raw.header(3, 0, 1).u64(70_000).zeros(70_100).build(), "at most 65536");
        fails(Raw.header(3, 0, 1).str("k").u32(6).zeros(2).build(), "truncated", "FLOAT32 value of 'k'");
    }

    @Test
    void alignmentProblems() {
        fails(Raw.header(3, 0, 1).str("general.alignment").u32(5).u32(32).build(), "expected UINT32, found INT32");
        fails(Raw.header(3, 0, 1).str("general.alignment").u32(4).u32(0).build(), "power of two");
        fails(Raw.header(3, 0, 1).str("general.alignment").u32(4).u32(24).build(), "is 24");
        // A huge alignment puts the data section past the end of the file.
        fails(Raw.header(3, 1, 1).str("general.alignment").u32(4).u32(1L << 31)
                .tensor("t", 0, 0, 1).zeros(64).build(), "past the end of the file");
        // Small powers of two are accepted (llama.cpp accepts them too).
        GgufFile f = parse(Raw.header(3, 1, 1).str("general.alignment").u32(4).u32(4)
                .tensor("t", 0, 0, 1).pad(4).zeros(4).build());
        assertEquals(4, f.alignment());
    }

    /** A file with one tensor info and {@code dataBytes} bytes of data after the aligned header. */
    private static byte[] oneTensor(String name, long type, long offset, int dataBytes, long... ne) {
        return Raw.header(3, 1, 0).tensor(name, type, offset, ne).pad(32).zeros(dataBytes).build();
    }

    @Test
    void tensorShapeProblems() {
        fails(oneTensor("t", 0, 0, 64, 1, 1, 1, 1, 1), "'t' has 5 dimensions", "at most 4");
        fails(Raw.header(3, 1, 0).str("t").u32(0xFFFF_FFFFL).zeros(64).build(), "4294967295 dimensions");
        fails(oneTensor("t", 0, 0, 64, 4, Long.MIN_VALUE), "dimension 1 is 9223372036854775808", "negative");
        fails(oneTensor("t", 0, 0, 64, MAX_U64), "dimension 0 is 18446744073709551615");
        fails(oneTensor("t", 0, 0, 64, 1L << 32, 1L << 32), "more elements than a 64-bit count");
        fails(oneTensor("t", 0, 0, 64, 1L << 31, 1L << 31, 4), "more elements");
        // Element count fits, byte size does not.
        fails(oneTensor("t", 0, 0, 64, 1L << 62), "larger than a 64-bit size");
        // No elements, but a row too long to measure in bytes (found by the fuzz suite).
        fails(oneTensor("t", 28, 0, 64, 1L << 62, 0), "larger than a 64-bit size");
        // No elements, but the other dimensions multiply past 2^63 (found by the fuzz suite).
        fails(oneTensor("t", 0, 0, 64, 0, 1L << 32, 1L << 32), "more elements");
        fails(oneTensor("q", 2, 0, 64, 31, 2), "'q' of type Q4_0 has rows of 31 elements", "block size 32");
        fails(oneTensor("q", 2, 0, 64), "rows of 1 elements");
    }

    @Test
    void tensorPlacementProblems() {
        fails(oneTensor("t", 0, 4, 64, 2), "data offset 4, not a multiple of the alignment 32");
        fails(oneTensor("t", 0, 64, 64, 2), "does not fit in the file", "data section holds 64 bytes");
        fails(oneTensor("t", 0, 32, 64, 9), "does not fit");  // 36 bytes from 32: one over
        fails(oneTensor("t", 0, MAX_U64 & ~31L, 64, 1), "negative as a signed 64-bit offset");
        fails(oneTensor("t", 0, Long.MAX_VALUE & ~31L, 64, 1), "does not fit in the file");
        fails(oneTensor("t", 0, 0, 0, 1), "does not fit");
        // Tensor infos end, but the file ends before the aligned data section starts.
        fails(Raw.header(3, 1, 0).tensor("t", 0, 0, 0L).build(), "past the end of the file");
        // Exactly filling the file is fine, and so is an empty tensor at the very end.
        assertEquals(16, parse(oneTensor("t", 0, 32, 48, 4)).require("t").data().byteSize());
        assertEquals(0, parse(oneTensor("t", 0, 64, 64, 0, 3)).require("t").data().byteSize());
    }

    @Test
    void tensorNameProblems() {
        fails(Raw.header(3, 2, 0).tensor("t", 0, 0, 1).tensor("t", 0, 32, 1).pad(32).zeros(64).build(),
                "duplicate tensor name 't'");
        fails(oneTensor("", 0, 0, 32, 1), "tensor #0 has an empty name");
        fails(oneTensor("x".repeat(65), 0, 0, 32, 1), "claims 65 bytes", "at most 64");
        parse(oneTensor("x".repeat(64), 0, 0, 32, 1)); // the spec's limit
        fails(Raw.header(3, 1, 0).u64(1).u8(0xFF).u32(0).u32(0).u64(0).pad(32).zeros(32).build(), "not valid UTF-8");
    }

    @Test
    void unknownTensorTypesOpenButCannotBeRead() {
        byte[] b = Raw.header(3, 3, 0)
                .tensor("removed", 31, 0, 32)
                .tensor("future", 1000, 32, 8)
                .tensor("iq", GgmlType.IQ2_XS.id(), 64, 256)
                .pad(32).zeros(64 + 74).build();
        GgufFile f = parse(b);
        assertEquals(3, f.names().size());
        GgufTensorInfo future = f.tensorInfo("future").orElseThrow();
        assertEquals(-1, future.byteSize());
        assertEquals("unknown type id 1000", future.typeName());
        assertEquals(Shape.of(8), future.shape());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> f.require("future"));
        assertTrue(e.getMessage().contains("'future'") && e.getMessage().contains("type id 1000"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> f.require("removed"));
        assertTrue(e.getMessage().contains("type id 31"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> f.find("iq"));
        assertTrue(e.getMessage().contains("IQ2_XS") && e.getMessage().contains("cannot read"), e.getMessage());
        assertEquals(74, f.tensorInfo("iq").orElseThrow().byteSize());
        // Known-but-unreadable types are still bounds-checked.
        fails(Raw.header(3, 1, 0).tensor("iq", GgmlType.IQ2_XS.id(), 0, 256).pad(32).zeros(73).build(), "does not fit");
    }

    @Test
    void scalarAndEmptyTensors() {
        GgufFile f = parse(Raw.header(3, 2, 0).tensor("scalar", 0, 0).tensor("empty", 1, 32, 0, 5)
                .pad(32).zeros(32).build());
        Tensor s = f.require("scalar");
        assertEquals(0, s.shape().rank());
        assertEquals(4, s.data().byteSize());
        Tensor e = f.require("empty");
        assertEquals(Shape.of(5, 0), e.shape());
        assertEquals(0, e.data().byteSize());
        assertTrue(Arrays.equals(new long[] {0, 5}, f.tensorInfo("empty").orElseThrow().ggmlDims()));
    }

    @Test
    void metadataTypeErrorsNameKeyExpectedAndActual() {
        GgufFile f = parse(Raw.header(3, 0, 4).str("big").u32(10).u64(5_000_000_000L).str("s").u32(8).str("x")
                .str("neg").u32(11).u64(-1).str("huge").u32(10).u64(MAX_U64).build());
        GgufMetadata m = f.metadata();
        String msg = assertThrows(ModelFormatException.class, () -> m.getInt("big")).getMessage();
        assertTrue(msg.contains("'big'") && msg.contains("5000000000") && msg.contains("UINT64")
                && msg.contains("does not fit in an int"), msg);
        msg = assertThrows(ModelFormatException.class, () -> m.getInt("s")).getMessage();
        assertTrue(msg.contains("'s'") && msg.contains("expected an integer, found STRING"), msg);
        msg = assertThrows(ModelFormatException.class, () -> m.getString("big")).getMessage();
        assertTrue(msg.contains("expected STRING, found UINT64 (5000000000)"), msg);
        msg = assertThrows(ModelFormatException.class, () -> m.getBool("s")).getMessage();
        assertTrue(msg.contains("expected BOOL"), msg);
        msg = assertThrows(ModelFormatException.class, () -> m.getString("absent")).getMessage();
        assertTrue(msg.equals("hostile.gguf: missing metadata key 'absent' (expected STRING)"), msg);
        assertEquals(-1, m.getLong("neg"));
        assertEquals(-1, m.getInt("neg"));
        msg = assertThrows(ModelFormatException.class, () -> m.getLong("huge")).getMessage();
        assertTrue(msg.contains("18446744073709551615"), msg);
        assertTrue(m.findInt("absent").isEmpty());
        assertEquals(5_000_000_000L, m.findLong("big").orElseThrow());
        assertEquals(5e9, m.getDouble("big"));
    }

    @Test
    void malformedUtf8InStringValuesDecodesLeniently() {
        byte[] bad = {'a', (byte) 0xFF, 'b'};
        GgufFile f = parse(Raw.header(3, 0, 2).str("v").u32(8).u64(3).bytes(bad)
                .str("arr").u32(9).u32(8).u64(1).u64(3).bytes(bad).build());
        assertEquals("a\uFFFDb", f.metadata().getString("v"));
        assertEquals("a\uFFFDb", f.metadata().getStringArray("arr").get(0));
        assertTrue(Arrays.equals(bad, f.metadata().getStringArrayBytes("arr").get(0)));
    }
}
