/*
 * The benchmark models' shapes against the published parameter counts: Llama-3.2-1B has 1,235,814,400
 * parameters (its tied embedding counted once), Qwen3-1.7B 1.4 B outside the embedding (its model
 * card). Only the plan is built: nothing is allocated or written.
 */
package dev.vireo.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vireo.reference.TinyModels.FixedTensor;
import dev.vireo.reference.TinyModels.Planned;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchModelsTest {

    private static long parameters(BenchModels.Model m, boolean withEmbedding) {
        List<Planned> plan = TinyModels.plan(m.spec(), m.build(), m.vocabSize());
        return plan.stream()
                .filter(p -> !(p instanceof FixedTensor)) // rope_freqs: derived from the config, not a parameter
                .filter(p -> withEmbedding || !p.name().equals("token_embd.weight"))
                .mapToLong(p -> Arrays.stream(p.dims()).reduce(1, (a, b) -> a * b))
                .sum();
    }

    @Test
    void llama32OneBHasThePublishedParameterCount() {
        assertEquals(1_235_814_400L, parameters(BenchModels.LLAMA_32_1B, true));
        assertFalse(TinyModels.plan(BenchModels.LLAMA_32_1B.spec(), BenchModels.LLAMA_32_1B.build(), 128256).stream()
                .anyMatch(p -> p.name().equals("output.weight")), "tied embeddings: no output.weight");
    }

    @Test
    void qwen3HasOnePointFourBillionParametersOutsideTheEmbedding() {
        long n = parameters(BenchModels.QWEN3_17B, false);
        assertEquals(1.4e9, n, 0.05e9, "non-embedding parameters " + n);
        assertEquals(1.72e9, parameters(BenchModels.QWEN3_17B, true), 0.01e9);
    }

    @Test
    void everyTargetHasItsOwnFile() {
        java.nio.file.Path dir = java.nio.file.Path.of("d");
        assertEquals(BenchModels.TARGETS.size(),
                BenchModels.TARGETS.stream().map(t -> t.file(dir)).distinct().count());
        assertEquals("llama-3.2-1b-q4_k_m", BenchModels.TARGETS.get(2).name());
        assertEquals(dir.resolve("llama-3.2-1b-shape-q4_k_m.gguf"), BenchModels.TARGETS.get(2).file(dir));
    }
}
