/*
 * The embedded demo model (src/main/resources/dev/vireo/demo/vireo-demo.gguf, made by
 * tools/demo-model): its size budget, its tokenizer against the Python tokenizer it was trained with,
 * and its held-out perplexity on the CPU backend against the figure recorded when the file was
 * written (tools/demo-model/fixtures.py -> perplexity.json: the same llama.cpp definition, computed in
 * PyTorch on the file's own weights), and its greedy output, the same 64 tokens on every backend.
 */
package dev.vireo.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.Backend;
import dev.vireo.LanguageModel;
import dev.vireo.LoadOptions;
import dev.vireo.Vireo;
import dev.vireo.generate.Perplexity;
import dev.vireo.generate.Session;
import dev.vireo.io.GgufFile;
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
        checkPerplexity(rec.get("fast_chunks").asInt(), rec.get("perplexity_fast").asDouble());
    }

    @Test
    @Tag("slow")
    void wholeHeldOutPerplexityAsRecorded() throws Exception {
        JsonNode rec = json("perplexity.json");
        checkPerplexity(rec.get("chunks").asInt(), rec.get("perplexity").asDouble());
    }

    /** The promise: greedy output of the embedded model is identical on every backend for 64 tokens. */
    @Test
    void greedyOutputIsTheSameOnEveryBackend() throws Exception {
        int[] reference = null;
        for (Backend b : new Backend[] {Backend.REFERENCE, Backend.CPU}) {
            try (LanguageModel m = Vireo.load(model(), new LoadOptions(b, 2)); Session s = m.newSession(256)) {
                int[] prompt = m.tokenizer().encode("And it came to pass", true, false);
                int[] ids = s.generate(prompt, 64, dev.vireo.sample.SamplingParams.greedy(), t -> false, t -> true)
                        .tokens();
                assertEquals(64, ids.length, b + ": 64 tokens (no end-of-text in a greedy run of this model)");
                if (reference == null) {
                    reference = ids;
                } else {
                    assertArrayEquals(reference, ids, b + " against the reference backend");
                }
            }
        }
    }

    private static void checkPerplexity(int chunks, double recorded) throws Exception {
        Path p = model();
        int ctx = json("perplexity.json").get("n_ctx").asInt();
        try (LanguageModel m = Vireo.load(p, new LoadOptions(Backend.CPU, 0)); Session s = m.newSession(ctx)) {
            Vocabulary v = m.tokenizer().vocabulary();
            int[] ids = m.tokenizer().encode(heldOut(), true, false);
            Perplexity.Result r = Perplexity.compute(s, ids, v.addBos() ? v.bos() : -1, ctx, chunks, null);
            assertEquals(chunks, r.chunks());
            double rel = Math.abs(r.perplexity() / recorded - 1);
            assertTrue(rel <= 0.02, String.format("held-out perplexity over %d chunks: %.4f, recorded %.4f (%.2f%% off)",
                    chunks, r.perplexity(), recorded, 100 * rel));
        }
    }
}
