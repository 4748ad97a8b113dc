/*
 * The vireo commands run in-process on a tiny model: output formats the issue fixes (JSON id arrays,
 * one object per eval line), agreement with llama.cpp's greedy continuation through the CLI path, and
 * one-line errors for bad input.
 */
package dev.vireo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.reference.Golden;
import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    static Path model;

    @BeforeAll
    static void tinyModel() {
        LlamaCpp.require();
        model = TinyModels.write(TinyModels.LLAMA3,
                Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir"))));
    }

    record Result(int exit, String out, String err) {}

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cmd = Main.commandLine();
            cmd.setErr(new java.io.PrintWriter(System.err, true));
            int exit = cmd.execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void runWithIdsPrintsLlamaCppsGreedyIds() {
        Golden g = Golden.read("tiny-llama3");
        String ids = Arrays.stream(g.prompt()).mapToObj(Integer::toString).collect(Collectors.joining(","));
        Result r = run("run", "-m", model.toString(), "--ids", ids, "-n", "32", "--temp", "0", "--print-ids", "-t", "2");
        assertEquals(0, r.exit(), r.err());
        String expected = Arrays.stream(g.greedy()).mapToObj(Integer::toString).collect(Collectors.joining(", ", "[", "]"));
        assertEquals(expected, r.out().strip());
        assertTrue(r.err().contains("tok/s"), r.err());
    }

    /** The README's first command: no -m, the embedded demo model, text on stdout. */
    @Test
    void runWithoutAModelUsesTheEmbeddedOne() {
        Result r = run("run", "-p", "And it came to pass", "-n", "16", "--seed", "1", "-t", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("And it came to pass") && r.out().length() > "And it came to pass".length() + 10,
                r.out());
        assertTrue(r.err().contains("embedded"), r.err());
        Result info = run("info");
        assertEquals(0, info.exit(), info.err());
        assertTrue(info.out().contains("gpt-oss"), info.out());
    }

    @Test
    void tokenizePrintsOneJsonArray() {
        Result r = run("tokenize", "-m", model.toString(), "Hello world");
        assertEquals(0, r.exit(), r.err());
        assertEquals("[9906, 1917]", r.out().strip());
    }

    @Test
    void evalPrintsOneObjectPerPositionSortedDescending() {
        Result r = run("eval", "-m", model.toString(), "--ids", "128000,9906,1917", "--top", "4");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length);
        for (int i = 0; i < 3; i++) {
            assertTrue(lines[i].startsWith("{\"pos\": " + i + ", \"top\": [["), lines[i]);
        }
        Golden g = Golden.read("tiny-llama3");
        assertTrue(lines[0].contains("[" + g.positions().get(0).ids()[0] + ", "), "top id at BOS agrees with llama.cpp");
    }

    @Test
    void userErrorsAreOneLine(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.gguf");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        for (String[] args : new String[][] {
            {"run", "-m", tmp.resolve("missing.gguf").toString(), "-p", "x"},
            {"run", "-m", bad.toString(), "-p", "x"},
            {"run", "-m", model.toString(), "--ids", "99999999"},
            {"run", "-m", model.toString(), "--ids", "1,x"},
            {"info", bad.toString()},
        }) {
            Result r = run(args);
            assertTrue(r.exit() != 0, String.join(" ", args));
            assertTrue(!r.err().contains("\tat "), "no stack trace for " + String.join(" ", args) + ":\n" + r.err());
        }
    }

    @Test
    void serveAnswersOnLoopbackAndRequiresItsKey() throws Exception {
        ServeCommand serve = new ServeCommand();
        new picocli.CommandLine(serve).parseArgs("-m", model.toString(), "--port", "0", "--max-concurrent", "2",
                "-t", "2", "-c", "256", "--api-key", "k1");
        try (ServeCommand.Running running = serve.start()) {
            assertEquals("127.0.0.1", running.server().options().host());
            var http = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + running.server().port();
            var health = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            var denied = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/models")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(401, denied.statusCode());
            var models = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/v1/models"))
                    .header("Authorization", "Bearer k1").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, models.statusCode());
            assertTrue(models.body().contains("\"id\":\"tiny-llama3\""), models.body());
        }
    }

    @Test
    void infoDescribesTheModel() {
        Result r = run("info", model.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("architecture:  llama"), r.out());
        assertTrue(r.out().contains("128256 tokens"), r.out());
    }

    @Test
    void perplexityPrintsLlamaCppsRunningValues(@TempDir Path tmp) throws Exception {
        // The text and llama-perplexity's figures of core's PerplexityTest (-c 128 on the tiny Llama 3).
        Path text = tmp.resolve("heldout.txt");
        try (var in = CliTest.class.getResourceAsStream("/dev/vireo/demo/heldout.txt")) {
            Files.copy(in, text);
        }
        Result r = run("perplexity", "-m", model.toString(), "-f", text.toString(), "-c", "128", "--chunks", "2", "-t", "2");
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].matches("\\[1\\][0-9.]+,\\[2\\][0-9.]+,"), r.out());
        assertTrue(lines[1].startsWith("Final estimate: PPL = "), r.out());
        double ppl = Double.parseDouble(lines[1].split(" ")[4]);
        assertEquals(974497.4410, ppl, 974497.4410 * 1e-4);
        Result tooLong = run("perplexity", "-m", model.toString(), "-f", text.toString(), "-c", "8192");
        assertTrue(tooLong.exit() != 0 && tooLong.err().contains("trained context"), tooLong.err());
    }
}
