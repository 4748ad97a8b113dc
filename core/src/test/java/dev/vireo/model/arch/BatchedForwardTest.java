/*
 * The batched forward against single-sequence steps: segments of three sequences (prefill chunks,
 * single decode rows, all-position logits) run in one step must give logits bit-identical to each
 * segment run alone on its own cache, for every Llama-style family and a quantized model, on the
 * CPU backend in its batch-invariant mode (Matmul's file comment). Tiny models from TinyModels.
 */
package dev.vireo.model.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.LanguageModel;
import dev.vireo.LoadOptions;
import dev.vireo.Vireo;
import dev.vireo.model.Decoder;
import dev.vireo.model.KvCache;
import dev.vireo.model.Workspace;
import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyModels;
import dev.vireo.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchedForwardTest {

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(TinyModels.LLAMA3, null),
                Arguments.of(TinyModels.LLAMA_SPM, null),
                Arguments.of(TinyModels.QWEN2, null),
                Arguments.of(TinyModels.QWEN3, null),
                Arguments.of(TinyModels.LLAMA3, LlamaCpp.FileType.MOSTLY_Q4_K_M));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void batchedStepsEqualSingleSteps(TinyModels.Spec spec, LlamaCpp.FileType quant) throws Exception {
        LlamaCpp.require();
        Path dir = LlamaFamilyGoldenTest.modelsDir();
        Path file = quant == null ? TinyModels.write(spec, dir) : TinyModels.quantized(spec, dir, quant);
        SplittableRandom r = new SplittableRandom(11);
        int[][] tokens = new int[3][40];
        for (int[] t : tokens) {
            for (int i = 0; i < t.length; i++) {
                t[i] = 300 + r.nextInt(20000);
            }
        }
        // Two steps: {13, 9 (all logits), 1} tokens, then {1, 4 (all logits), 6}.
        int[][] counts = {{13, 9, 1}, {1, 4, 6}};
        boolean[][] all = {{false, true, false}, {false, true, false}};
        // Batch-invariant: with quantized weights one token would otherwise take the integer kernels.
        try (LanguageModel m = Vireo.load(file, new LoadOptions(dev.vireo.Backend.CPU, 2).withBatchInvariant(true))) {
            Decoder d = m.decoder();
            try (KvCache batchedCache = d.newKvCache(512, 3, 64, 16);
                    KvCache singleCache = d.newKvCache(512, 3, 64, 16);
                    Workspace ws = new Workspace(d.ops(), 64);
                    Workspace ws1 = new Workspace(d.ops(), 64)) {
                KvCache.Sequence[] b = {batchedCache.newSequence(), batchedCache.newSequence(), batchedCache.newSequence()};
                KvCache.Sequence[] s = {singleCache.newSequence(), singleCache.newSequence(), singleCache.newSequence()};
                for (int step = 0; step < counts.length; step++) {
                    List<Decoder.Segment> segments = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        segments.add(new Decoder.Segment(b[i], tokens[i], b[i].length(), counts[step][i], all[step][i]));
                    }
                    float[][] batched = rows(d.forward(ws, segments));
                    int row = 0;
                    for (int i = 0; i < 3; i++) {
                        float[][] alone = rows(d.forward(ws1, s[i], tokens[i], s[i].length(), counts[step][i],
                                all[step][i]));
                        for (float[] expected : alone) {
                            float[] actual = batched[row++];
                            for (int v = 0; v < expected.length; v++) {
                                if (Float.floatToRawIntBits(expected[v]) != Float.floatToRawIntBits(actual[v])) {
                                    fail(spec.name() + " step " + step + " segment " + i + " vocab " + v + ": batched "
                                            + actual[v] + " vs alone " + expected[v]);
                                }
                            }
                        }
                    }
                    assertEquals(batched.length, row, "logit rows");
                }
            }
        }
    }

    static float[][] rows(Tensor logits) {
        float[][] out = new float[logits.rows()][logits.cols()];
        for (int i = 0; i < out.length; i++) {
            java.lang.foreign.MemorySegment.copy(logits.data(), Tensor.F32_LE, (long) i * logits.cols() * Float.BYTES,
                    out[i], 0, out[i].length);
        }
        return out;
    }
}
