/*
 * TensorSource: require() checks and their messages, and open() picking the format by extension,
 * magic or directory contents.
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorSourceTest {

    private static GgufWriter small() {
        return new GgufWriter().putString("general.architecture", "llama")
                .addTensor("blk.0.attn_q.weight", DType.F16, Shape.of(4, 8), MemorySegment.ofArray(new byte[64]))
                .addTensor("blk.0.ffn.weight", DType.Q8_0, Shape.of(2, 32), MemorySegment.ofArray(new byte[68]));
    }

    @Test
    void requireChecksShapeAndType() {
        GgufFile f = GgufFile.parse(MemorySegment.ofArray(small().toByteArray()), "m.gguf");
        assertEquals(Shape.of(4, 8), f.require("blk.0.attn_q.weight", Shape.of(4, 8), DType.F16, DType.F32).shape());
        f.require("blk.0.attn_q.weight", null);
        f.require("blk.0.attn_q.weight", Shape.of(4, 8));
        String m = assertThrows(ModelFormatException.class,
                () -> f.require("blk.0.attn_q.weight", Shape.of(8, 4), DType.F32, DType.BF16)).getMessage();
        assertEquals("m.gguf: tensor 'blk.0.attn_q.weight': expected shape [8, 4] and type F32 or BF16,"
                + " found shape [4, 8] and type F16", m);
        m = assertThrows(ModelFormatException.class, () -> f.require("blk.0.ffn.weight", null, DType.Q4_K)).getMessage();
        assertTrue(m.contains("expected any shape and type Q4_K, found shape [2, 32] and type Q8_0"), m);
        m = assertThrows(ModelFormatException.class, () -> f.require("output.weight")).getMessage();
        assertEquals("m.gguf: missing tensor 'output.weight'", m);
        assertTrue(f.find("output.weight").isEmpty());
        assertTrue(f.contains("blk.0.ffn.weight"));
    }

    @Test
    void openPicksTheFormat(@TempDir Path dir) throws IOException {
        Path gguf = dir.resolve("model.gguf");
        small().write(gguf);
        try (TensorSource s = TensorSource.open(gguf)) {
            assertTrue(s instanceof GgufFile);
            assertEquals(2, s.names().size());
        }
        Path noExt = dir.resolve("model.bin");
        Files.copy(gguf, noExt);
        try (TensorSource s = TensorSource.open(noExt)) {
            assertTrue(s instanceof GgufFile, "found by its magic");
        }
        Path sub = Files.createDirectory(dir.resolve("gguf-only"));
        Files.copy(gguf, sub.resolve("x.gguf"));
        try (TensorSource s = TensorSource.open(sub)) {
            assertTrue(s instanceof GgufFile);
        }
        Path st = Files.createDirectory(dir.resolve("st"));
        Files.write(st.resolve("model.safetensors"),
                new ModelFiles.SafeTensorsBuilder().add("w", DType.F32, new long[] {2}, new byte[8]).build());
        try (TensorSource s = TensorSource.open(st)) {
            assertTrue(s instanceof SafeTensorsFile);
            assertEquals(Shape.of(2), s.require("w").shape());
        }
        Path empty = Files.createDirectory(dir.resolve("empty"));
        String m = assertThrows(ModelFormatException.class, () -> TensorSource.open(empty)).getMessage();
        assertTrue(m.contains("no .safetensors files"), m);
        Path junk = dir.resolve("junk.bin");
        Files.write(junk, new byte[] {1, 2, 3});
        assertThrows(ModelFormatException.class, () -> TensorSource.open(junk));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> TensorSource.open(dir.resolve("missing.gguf")));
        String dirMsg = assertThrows(java.nio.file.FileSystemException.class, () -> GgufFile.open(sub)).getMessage();
        assertTrue(dirMsg.contains("is a directory"), dirMsg);
        Path emptyFile = Files.createFile(dir.resolve("empty.gguf"));
        m = assertThrows(ModelFormatException.class, () -> TensorSource.open(emptyFile)).getMessage();
        assertTrue(m.contains("file is 0 bytes"), m);
    }
}
