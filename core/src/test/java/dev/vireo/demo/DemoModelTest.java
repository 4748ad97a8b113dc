/*
 * The embedded demo model (src/main/resources/dev/vireo/demo/vireo-demo.gguf, made by
 * tools/demo-model): its size budget, its tokenizer against the Python tokenizer it was trained with,
 * its held-out perplexity against the figure recorded when the file was written
 * (tools/demo-model/fixtures.py -> perplexity.json: the same llama.cpp definition, computed in PyTorch
 * on the file's own weights) on the CPU backend and, tag cuda, on the GPU one, and its greedy output:
 * the same 64 tokens on every backend.
 */
package dev.vireo.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.Backend;
import dev.vireo.LanguageModel;
import dev.vireo.LoadOptions;
import dev.vireo.Vireo;
import dev.vireo.cuda.Cuda;
import dev.vireo.generate.Perplexity;
import dev.vireo.generate.Session;
import dev.vireo.io.GgufFile;
import dev.vireo.sample.SamplingParams;
import dev.vireo.tokenizer.GgufVocabulary;
import dev.vireo.tokenizer.Tokenizer;
import dev.vireo.tokenizer.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class DemoModelTest {
    static final String DIR = "/dev/vireo/demo/";
    static final ObjectMapper JSON = new ObjectMapper();

    static Path model() throws URISyntaxException {
        URL url = DemoModelTest.class.getResource(DIR + "vireo-demo.gguf");
        assertTrue(url != null, "the demo model is missing from the classpath");
        return Path.of(url.toURI());
    }

    static JsonNode json(String name) throws IOException {
        try (InputStream in = DemoModelTest.class.getResourceAsStream(DIR + name)) {
            return JSON.readTree(in);
        }
    }

    /** The held-out text as llama.cpp's -f reads it (one trailing newline dropped). */
    static String heldOut() throws IOException {
        try (InputStream in = DemoModelTest.class.getResourceAsStream(DIR + "heldout.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        }
    }

    @Test
    void fileIsWithinTheSizeBudgetAndIsTheOneMeasured() throws Exception {
        Path p = model();
        assertTrue(Files.size(p) <= 20L * 1024 * 1024, "demo model is " + Files.size(p) + " bytes");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        assertEquals(json("perplexity.json").get("model_sha256").asText(), sha,
                "perplexity.json was recorded for another file: rerun tools/demo-model/fixtures.py");
        try (GgufFile f = GgufFile.open(p)) {
            assertEquals("gpt-oss", f.architecture());
        }
    }

    @Test
    void tokenizerMatchesTheTrainingTokenizer() throws Exception {
        Vocabulary v = GgufVocabulary.load(model());
        Tokenizer t = Tokenizer.of(v);
        JsonNode expected = json("tokenizer.json");
        for (JsonNode s : expected.get("sentences")) {
            int[] ids = new int[s.get("ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = s.get("ids").get(i).asInt();
            }
            String text = s.get("text").asText();
            assertArrayEquals(ids, t.encode(text, false, false), text);
            assertEquals(text, t.decode(ids), "round trip of " + text);
        }
        int[] held = t.encode(heldOut(), true, false);
        assertEquals(v.bos(), held[0], "BOS in front");
        ByteBuffer b = ByteBuffer.allocate(held.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : held) {
            b.putInt(id);
        }
        JsonNode h = expected.get("heldout");
        assertEquals(h.get("tokens").asInt(), held.length);
        assertEquals(h.get("sha256_int32le").asText(),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array())));
    }

    @Test
    void heldOutPerplexityAsRecorded() throws Exception {
        JsonNode rec = json("perplexity.json");
        checkPerplexity(Backend.CPU, rec.get("fast_chunks").asInt(), rec.get("perplexity_fast").asDouble());
    }

    @Test
    @Tag("slow")
    void wholeHeldOutPerplexityAsRecorded() throws Exception {
        JsonNode rec = json("perplexity.json");
        checkPerplexity(Backend.CPU, rec.get("chunks").asInt(), rec.get("perplexity").asDouble());
    }

    /** The promise: greedy output of the embedded model is identical on every backend for 64 tokens. */
    @Test
    void greedyOutputIsTheSameOnEveryBackend() throws Exception {
        int[] reference = greedy(Backend.REFERENCE);
        assertEquals(64, reference.length, "64 tokens (no end-of-text in a greedy run of this model)");
        assertArrayEquals(reference, greedy(Backend.CPU), "the CPU backend against the reference backend");
    }

    /**
     * The same figure and the same greedy tokens on the GPU backend (tag cuda: skipped without a CUDA
     * driver; fails with -Dvireo.cuda.required=true). Until the CUDA backend exists (issue 5) loading it
     * fails on a GPU machine with BackendUnavailableException, which this test reports as a failure.
     */
    @Test
    @Tag("cuda")
    void heldOutPerplexityAndGreedyOutputOnTheGpu() throws Exception {
        if (!Cuda.available() && Boolean.getBoolean("vireo.cuda.required")) {
            fail("-Dvireo.cuda.required=true but no CUDA: "
                    + Cuda.status().reason());
        }
        assumeTrue(Cuda.available(),
                () -> "no CUDA: " + Cuda.status().reason());
        JsonNode rec = json("perplexity.json");
        checkPerplexity(Backend.CUDA, rec.get("fast_chunks").asInt(), rec.get("perplexity_fast").asDouble());
        assertArrayEquals(greedy(Backend.CPU), greedy(Backend.CUDA), "CUDA against the CPU backend");
    }

    private static int[] greedy(Backend b) throws Exception {
        try (LanguageModel m = Vireo.load(model(), new LoadOptions(b, 2)); Session s = m.newSession(256)) {
            int[] prompt = m.tokenizer().encode("And it came to pass", true, false);
            return s.generate(prompt, 64, SamplingParams.greedy(), t -> false, t -> true).tokens();
        }
    }

    private static void checkPerplexity(Backend backend, int chunks, double recorded) throws Exception {
        Path p = model();
        int ctx = json("perplexity.json").get("n_ctx").asInt();
        try (LanguageModel m = Vireo.load(p, new LoadOptions(backend, 0)); Session s = m.newSession(ctx)) {
            Vocabulary v = m.tokenizer().vocabulary();
            int[] ids = m.tokenizer().encode(heldOut(), true, false);
            Perplexity.Result r = Perplexity.compute(s, ids, v.addBos() ? v.bos() : -1, ctx, chunks, null);
            assertEquals(chunks, r.chunks());
            double rel = Math.abs(r.perplexity() / recorded - 1);
            assertTrue(rel <= 0.02, String.format("%s: held-out perplexity over %d chunks: %.4f, recorded %.4f"
                    + " (%.2f%% off)", backend, chunks, r.perplexity(), recorded, 100 * rel));
        }
    }
}
