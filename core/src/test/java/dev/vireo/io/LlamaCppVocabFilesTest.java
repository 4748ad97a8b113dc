/*
 * Real GGUF files written by llama.cpp's converters: the vocab-only models under llama.cpp's models/
 * directory (fetched by tools/llama-cpp/fetch.sh). Every one must open and decode completely; a few
 * known facts are checked (architecture, vocabulary sizes, version 2 for the oldest file). Skips when
 * llama.cpp is absent, fails then under CI=true.
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LlamaCppVocabFilesTest {

    /** llama.cpp's models/ directory, or the test is skipped (a failure under CI=true). */
    static Path modelsDir() {
        String dir = System.getProperty("vireo.llamacpp.dir");
        Path models = dir == null ? null : Path.of(dir, "src", "models");
        if (models == null || !Files.isDirectory(models)) {
            String msg = "llama.cpp not fetched (run tools/llama-cpp/fetch.sh); looked in " + models;
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(msg);
            }
            Assumptions.abort(msg);
        }
        return models;
    }

    private static List<Path> vocabFiles() throws IOException {
        try (Stream<Path> s = Files.list(modelsDir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".gguf")).sorted().toList();
        }
    }

    @Test
    void everyVocabFileOpensAndDecodes() throws IOException {
        List<Path> files = vocabFiles();
        assertFalse(files.isEmpty(), "no .gguf files in " + modelsDir());
        for (Path p : files) {
            try (GgufFile f = GgufFile.open(p)) {
                GgufMetadata m = f.metadata();
                assertFalse(f.architecture().isEmpty(), p.toString());
                for (String key : m.keys()) {
                    m.value(key);
                }
                int n = m.getStringArray("tokenizer.ggml.tokens").size();
                assertTrue(n > 1000, p + " has " + n + " tokens");
                m.findFloatArray("tokenizer.ggml.scores").ifPresent(s -> assertEquals(n, s.length, p.toString()));
                m.findIntArray("tokenizer.ggml.token_type").ifPresent(t -> assertEquals(n, t.length, p.toString()));
                assertTrue(f.version() == 2 || f.version() == 3);
            }
        }
    }

    @Test
    void llamaBpeVocabulary() throws IOException {
        try (GgufFile f = GgufFile.open(modelsDir().resolve("ggml-vocab-llama-bpe.gguf"))) {
            GgufMetadata m = f.metadata();
            assertEquals("llama", f.architecture());
            assertEquals("gpt2", m.getString("tokenizer.ggml.model"));
            List<String> tokens = m.getStringArray("tokenizer.ggml.tokens");
            assertEquals(128256, tokens.size());
            assertEquals("<|begin_of_text|>", tokens.get(128000));
            assertEquals(128000, m.getInt("tokenizer.ggml.bos_token_id"));
            assertEquals(128256, m.getIntArray("tokenizer.ggml.token_type").length);
            assertTrue(m.getStringArray("tokenizer.ggml.merges").size() > 100_000);
            assertTrue(f.tensorInfos().isEmpty());
        }
    }

    @Test
    void otherKnownVocabularies() throws IOException {
        Path models = modelsDir();
        record Expect(String file, String arch, int tokens, int version) {}
        for (Expect e : List.of(new Expect("ggml-vocab-qwen2.gguf", "qwen2", 151936, 3),
                new Expect("ggml-vocab-llama-spm.gguf", "llama", 32000, 3),
                new Expect("ggml-vocab-aquila.gguf", "llama", 100008, 2))) {
            try (GgufFile f = GgufFile.open(models.resolve(e.file))) {
                assertEquals(e.arch, f.architecture(), e.file);
                assertEquals(e.tokens, f.metadata().arrayLength("tokenizer.ggml.tokens"), e.file);
                assertEquals(e.version, f.version(), e.file);
            }
        }
    }
}
