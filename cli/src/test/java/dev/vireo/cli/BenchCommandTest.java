/*
 * `vireo bench` on the tiny Llama 3 model, Vireo alone (the llama.cpp peer needs its prebuilt
 * libraries and is exercised by tools/bench-models/run.sh): the JSON object run.sh reads, with the
 * file size, the KV cache of the benchmark's context and the process's peak RSS, and the memory line.
 */
package dev.vireo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    static Path model;

    @BeforeAll
    static void tinyModel() {
        LlamaCpp.require();
        model = TinyModels.write(TinyModels.LLAMA3,
                Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir"))));
    }

    @Test
    void jsonCarriesResultsAndMemory(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("bench.json");
        CliTest.Result r = CliTest.run("bench", "-m", model.toString(), "-p", "4", "-n", "2", "-r", "2", "-t", "2",
                "--no-llama-cpp", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("peak RSS"), r.out());
        String s = Files.readString(json);
        assertEquals(Files.size(model), number(s, "file_bytes"));
        // 2 layers × (K and V) × 4 bytes × kvDim 128 (2 heads of 64) × 7 positions (4 + 2 + 1).
        assertEquals(2L * 2 * 4 * 128 * 7, number(s, "kv_bytes"));
        assertEquals(7, number(s, "kv_positions"));
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            assertTrue(number(s, "peak_rss_bytes") > 0, s);
        }
        assertTrue(s.contains("\"peak_rss_includes_llama_cpp\": false"), s);
        assertTrue(s.contains("\"engine\": \"vireo\", \"test\": \"pp4\", \"tokens\": 4"), s);
        assertTrue(s.contains("\"engine\": \"vireo\", \"test\": \"tg2\", \"tokens\": 2"), s);
    }

    @Test
    void promptInSmallerStepsAndARefusedStepSize() {
        CliTest.Result r = CliTest.run("bench", "-m", model.toString(), "-p", "5", "-n", "0", "-r", "1", "-ub", "2",
                "--no-llama-cpp");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pp5"), r.out());
        CliTest.Result bad = CliTest.run("bench", "-m", model.toString(), "-ub", "0", "--no-llama-cpp");
        assertEquals(2, bad.exit(), bad.out());
        assertTrue(bad.err().contains("--ubatch must be positive"), bad.err());
    }

    private static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?\\d+)").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return Long.parseLong(m.group(1));
    }
}
