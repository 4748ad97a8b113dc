/*
 * The same gpt-oss weights in its three layouts give the same logits: llama.cpp's GGUF (separate
 * gate/up, ggml MXFP4 blocks, F32 per-expert bias tables), the Hugging Face checkpoint (sharded
 * safetensors + index, gate/up interleaved, split MXFP4 blocks/scales with nibble order 2j/2j+1,
 * config.json with layer_types and rope_scaling) and the reference's original/ checkpoint (fused qkv,
 * mlp1/mlp2, its own config.json names). Every tensor holds the same values and the YaRN tables are
 * built from the same numbers (checked equal), and the CPU backend is deterministic (its exp and lane
 * sums give the same bits in every JIT state, see ops.cpu.Exp and Vec.sum), so the logits must be
 * identical bit for bit. Before that was so, the compiled and interpreted Vector API exp moved the
 * second model's logits by ~1e-6, which the 8-bit activation rounding of the MXFP4 experts turned
 * into 2.5e-2. The prompt (150 tokens) runs past the 128-token window of the even layers.
 */
package dev.vireo.model.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.Backend;
import dev.vireo.LanguageModel;
import dev.vireo.LoadOptions;
import dev.vireo.Vireo;
import dev.vireo.generate.Session;
import dev.vireo.io.GgufFile;
import dev.vireo.io.HfConfig;
import dev.vireo.io.TensorSource;
import dev.vireo.model.Decoder;
import dev.vireo.model.ModelOptions;
import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyGptOss;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GptOssLayoutsTest {
    static final int PROMPT = 150;

    static Path hfDir(Path gguf) {
        return TinyGptOss.hf(TinyGptOss.TINY, gguf, LlamaFamilyGoldenTest.modelsDir().resolve("tiny-gpt-oss-hf"));
    }

    static Path originalDir(Path gguf) {
        return TinyGptOss.original(TinyGptOss.TINY, gguf, hfDir(gguf).resolve("original"));
    }

    @Test
    void ggufHuggingFaceAndOriginalGiveTheSameLogits() throws Exception {
        LlamaCpp.require(); // the tiny model's vocabulary comes with the test tooling's o200k
        Path gguf = GptOssGoldenTest.model();
        Path hf = hfDir(gguf);
        Path original = originalDir(gguf);
        int[] prompt = Arrays.copyOf(GptOssGoldenTest.prompt(), PROMPT);
        ModelOptions defaults = ModelOptions.defaults();
        try (Ops ops = new CpuOps()) {
            GptOss fromGguf = GptOssLoader.fromGguf(GgufFile.open(gguf), ops, Arena.ofShared(), defaults);
            GptOss fromHf = GptOssCheckpoints.fromHf(HfConfig.read(hf.resolve("config.json")), TensorSource.open(hf),
                    ops, Arena.ofShared(), defaults);
            GptOss fromOriginal = GptOssCheckpoints.fromOriginal(HfConfig.read(original.resolve("config.json")),
                    TensorSource.open(original), ops, Arena.ofShared(), defaults);
            for (GptOss m : new GptOss[] {fromGguf, fromHf, fromOriginal}) {
                assertArrayEquals(new int[] {128, 0, 128, 0}, m.config().window());
                assertArrayEquals(fromGguf.config().rope().invFreq(), m.config().rope().invFreq());
                assertEquals(fromGguf.config().rope().attentionFactor(), m.config().rope().attentionFactor());
            }
            float[][] a = logits(fromGguf, prompt);
            float[][] b = logits(fromHf, prompt);
            float[][] c = logits(fromOriginal, prompt);
            double hfErr = maxRelative(a, b);
            double originalErr = maxRelative(a, c);
            System.out.printf("gpt-oss layouts: HF vs GGUF %.3g, original vs GGUF %.3g of the logit scale%n", hfErr,
                    originalErr);
            assertEquals(0.0, hfErr, "Hugging Face checkpoint vs GGUF, relative to the logit scale");
            assertEquals(0.0, originalErr, "original/ checkpoint vs GGUF, relative to the logit scale");
        }
    }

    /** Vireo.load takes either checkpoint directory whole: the original/ one finds tokenizer.json above it. */
    @Test
    void vireoLoadsBothCheckpointDirectories() throws Exception {
        LlamaCpp.require();
        Path gguf = GptOssGoldenTest.model();
        for (Path dir : new Path[] {hfDir(gguf), originalDir(gguf)}) {
            try (LanguageModel m = Vireo.load(dir, LoadOptions.defaults().withBackend(Backend.CPU))) {
                assertEquals(GptOss.ARCHITECTURE, m.shape().architecture(), dir.toString());
                assertArrayEquals(new int[] {128, 0, 128, 0}, m.shape().window());
                // model-spec.md §4.4's test vector, through the checkpoint's tokenizer.json.
                assertArrayEquals(new int[] {24912, 2375}, m.tokenizer().encode("hello world", false, false));
            }
        }
    }

    /** Largest |a − b| per position over the RMS of a's logits there. */
    static double maxRelative(float[][] a, float[][] b) {
        double worst = 0;
        for (int p = 0; p < Math.min(a.length, b.length); p++) {
            double sq = 0;
            double diff = 0;
            for (int i = 0; i < a[p].length; i++) {
                sq += (double) a[p][i] * a[p][i];
                diff = Math.max(diff, Math.abs(a[p][i] - b[p][i]));
            }
            worst = Math.max(worst, diff / Math.sqrt(sq / a[p].length));
        }
        return worst;
    }

    static float[][] logits(Decoder d, int[] prompt) {
        try (Session s = new Session(d, new Session.Options(512, 64, 16))) {
            float[][] out = new float[prompt.length][];
            s.append(prompt, (pos, row) -> out[pos] = row.clone());
            return out;
        }
    }
}
