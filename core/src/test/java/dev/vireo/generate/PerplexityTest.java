/*
 * Perplexity against llama.cpp's llama-perplexity on the tiny Llama 3 model (TinyModels.LLAMA3, the
 * file whose SHA-256 the tiny-llama3 golden records) and the demo model's held-out text. The golden
 * figures came from llama.cpp de3ff81 (the version of the other goldens), F32 KV cache, no flash
 * attention, so that only the definition and the forward pass are compared:
 *   llama-perplexity -m tiny-llama3.gguf -f core/src/test/resources/dev/vireo/demo/heldout.txt \
 *       -c 128 --chunks 4 -t 2 -fa off -ctk f32 -ctv f32
 *   -> [1]894823.3914,[2]974497.4410,[3]971324.0478,[4]1053816.5670
 * (random weights: the perplexity is huge, but every logit of every scored position counts).
 * Plus the bookkeeping of the definition on its own: which positions are scored, and the errors.
 */
package dev.vireo.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.io.GgufFile;
import dev.vireo.model.Decoder;
import dev.vireo.model.arch.LlamaLoader;
import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyModels;
import dev.vireo.tokenizer.GgufVocabulary;
import dev.vireo.tokenizer.Tokenizer;
import dev.vireo.tokenizer.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerplexityTest {
    /** llama-perplexity's running values after chunks 1..4 (see the header). */
    static final double[] LLAMA_CPP = {894823.3914, 974497.4410, 971324.0478, 1053816.5670};

    static String heldOutText() throws IOException {
        try (InputStream in = PerplexityTest.class.getResourceAsStream("/dev/vireo/demo/heldout.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text; // as llama.cpp's -f
        }
    }

    @Test
    void matchesLlamaPerplexityOnTheTinyLlama() throws Exception {
        LlamaCpp.require();
        Path dir = Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir")));
        Path file = TinyModels.write(TinyModels.LLAMA3, dir);
        try (Ops ops = new CpuOps();
                GgufFile gguf = GgufFile.open(file);
                Decoder d = LlamaLoader.fromGguf(GgufFile.open(file), ops, Arena.ofShared());
                Session s = new Session(d, new Session.Options(128, 128, 32))) {
            Vocabulary v = GgufVocabulary.fromGguf(gguf);
            int[] ids = Tokenizer.of(v).encode(heldOutText(), true, false);
            assertTrue(v.addBos());
            List<Double> running = new ArrayList<>();
            Perplexity.Result r = Perplexity.compute(s, ids, v.bos(), 128, 4, (c, n, ppl) -> running.add(ppl));
            assertEquals(4, r.chunks());
            assertEquals(4 * 63, r.scoredTokens());
            for (int i = 0; i < LLAMA_CPP.length; i++) {
                // Logits agree with llama.cpp to ~1e-4 of their scale; the mean log-likelihood then to
                // far better than 1e-4, so the perplexities to 1e-4 relative.
                double rel = Math.abs(running.get(i) / LLAMA_CPP[i] - 1);
                assertTrue(rel < 1e-4, "chunk " + (i + 1) + ": " + running.get(i) + " vs llama.cpp " + LLAMA_CPP[i]);
            }
            assertEquals(running.get(3), r.perplexity(), 0.0);
        }
    }

    @Test
    void logProbabilityIsTheLogSoftmax() {
        float[] logits = {1f, 2f, 3f, -1f};
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(-1);
        assertEquals(Math.log(Math.exp(2) / z), Perplexity.logProbability(logits, 1), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Perplexity.logProbability(logits, 4));
    }

    @Test
    void tooShortATextIsAClearError() throws Exception {
        LlamaCpp.require();
        Path dir = Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir")));
        Path file = TinyModels.write(TinyModels.QWEN2, dir);
        try (Ops ops = new CpuOps();
                Decoder d = LlamaLoader.fromGguf(GgufFile.open(file), ops, Arena.ofShared());
                Session s = new Session(d, new Session.Options(64, 64, 32))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Perplexity.compute(s, new int[127], -1, 64, 0, null));
            assertTrue(e.getMessage().contains("at least 128 tokens"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> Perplexity.compute(s, new int[512], -1, 128, 0, null));
            assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        }
    }
}
