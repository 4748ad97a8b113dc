/*
 * The same weights loaded from llama.cpp's GGUF and from a Hugging Face checkpoint give the same
 * logits: proves the GGUF `llama` Q/K permutation is undone by the adjacent-pair RoPE layout, and
 * that config.json (rope_scaling llama3, biases, Q/K norms, tying) is read like the GGUF metadata.
 */
package dev.vireo.model.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.generate.Session;
import dev.vireo.io.GgufFile;
import dev.vireo.io.HfConfig;
import dev.vireo.io.TensorSource;
import dev.vireo.model.Decoder;
import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.reference.HfCheckpoints;
import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyModels;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HfEquivalenceTest {

    static Stream<TinyModels.Spec> specs() {
        return Stream.of(TinyModels.LLAMA3, TinyModels.QWEN2, TinyModels.QWEN3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void ggufAndHfGiveTheSameLogits(TinyModels.Spec spec) throws Exception {
        LlamaCpp.require();
        Path dir = LlamaFamilyGoldenTest.modelsDir();
        Path gguf = TinyModels.write(spec, dir);
        Path hf = HfCheckpoints.write(spec, gguf, dir.resolve(spec.name() + "-hf"));
        int[] prompt;
        try (GgufFile f = GgufFile.open(gguf)) {
            prompt = LlamaFamilyGoldenTest.prompt(f);
        }
        try (Ops ops = new CpuOps()) {
            float[][] a = logits(LlamaLoader.fromGguf(GgufFile.open(gguf), ops, Arena.ofShared()), prompt);
            float[][] b = logits(LlamaLoader.fromHf(HfConfig.read(hf.resolve("config.json")), TensorSource.open(hf), ops,
                    Arena.ofShared()), prompt);
            double worst = 0;
            for (int p = 0; p < prompt.length; p++) {
                double sq = 0;
                double diff = 0;
                for (int i = 0; i < a[p].length; i++) {
                    sq += (double) a[p][i] * a[p][i];
                    diff = Math.max(diff, Math.abs(a[p][i] - b[p][i]));
                }
                worst = Math.max(worst, diff / Math.sqrt(sq / a[p].length));
            }
            // Only float rounding separates the two: the llama3 table from config.json vs the divisors the
            // GGUF stores differ in the last bit.
            assertTrue(worst < 1e-5, spec.name() + ": GGUF and HF logits differ by " + worst + " of the logit scale");
        }
    }

    private static float[][] logits(Decoder d, int[] prompt) {
        try (d; Session s = new Session(d, new Session.Options(512, 64, 16))) {
            float[][] out = new float[prompt.length][];
            s.append(prompt, (pos, row) -> out[pos] = row.clone());
            return out;
        }
    }
}
