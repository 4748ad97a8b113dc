/*
 * `vireo convert` on the tiny gpt-oss Hugging Face checkpoint: writes a GGUF that `vireo run` then
 * loads (the converter itself is checked tensor by tensor in core's GptOssConvertTest), refuses to
 * overwrite without --force, and reports a directory that is not a checkpoint in one line.
 */
package dev.vireo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyGptOss;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvertCommandTest {

    @Test
    void convertsAndTheResultRuns(@TempDir Path tmp) throws Exception {
        LlamaCpp.require();
        Path models = Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir")));
        Path gguf = TinyGptOss.gguf(TinyGptOss.TINY, models);
        Path hf = TinyGptOss.hf(TinyGptOss.TINY, gguf, models.resolve("tiny-gpt-oss-hf"));
        Path out = tmp.resolve("tiny.gguf");
        CliTest.Result r = CliTest.run("convert", hf.toString(), "-o", out.toString(), "--type", "q8_0");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(out) > 0);
        CliTest.Result again = CliTest.run("convert", hf.toString(), "-o", out.toString());
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("--force"), again.err());
        CliTest.Result run = CliTest.run("run", "-m", out.toString(), "--ids", "200006,17360,200008", "-n", "4",
                "--temp", "0", "--print-ids", "-t", "2", "--yarn-rounded");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().trim().startsWith("["), run.out());
    }

    @Test
    void notACheckpointIsOneLine(@TempDir Path tmp) {
        CliTest.Result r = CliTest.run("convert", tmp.toString(), "-o", tmp.resolve("x.gguf").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("vireo: ") && r.err().strip().lines().count() == 1, r.err());
    }
}
