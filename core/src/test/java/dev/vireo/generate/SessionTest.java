/*
 * A session reuses the prefix it already holds: the next chat turn evaluates only its new tokens and
 * produces exactly what a fresh session would. Context overflow is a clear error.
 */
package dev.vireo.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.vireo.sample.SamplingParams;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SessionTest {

    private static Decoder tiny(Ops ops) throws Exception {
        LlamaCpp.require();
        Path dir = Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir")));
        return LlamaLoader.fromGguf(GgufFile.open(TinyModels.write(TinyModels.QWEN2, dir)), ops, Arena.ofShared());
    }

    @Test
    void reusedPrefixGivesTheSameTokensAsAFreshSession() throws Exception {
        int[] turn1 = {9707, 11, 1879, 0, 358, 1079, 264};
        try (Ops ops = new CpuOps(); Decoder d = tiny(ops);
                Session reused = new Session(d, new Session.Options(256, 4, 4));
                Session fresh = new Session(d, new Session.Options(256, 4, 4))) {
            GenerationResult first = reused.generate(turn1, 6, SamplingParams.greedy(), t -> false, t -> true);
            int[] history = reused.tokens();
            int[] turn2 = Arrays.copyOf(history, history.length + 3);
            turn2[history.length] = 151644;
            turn2[history.length + 1] = 872;
            turn2[history.length + 2] = 198;
            GenerationResult second = reused.generate(turn2, 8, SamplingParams.greedy(), t -> false, t -> true);
            assertEquals(3, second.timings().promptTokens(), "only the new tokens are evaluated");
            GenerationResult control = fresh.generate(turn2, 8, SamplingParams.greedy(), t -> false, t -> true);
            assertEquals(turn2.length, control.timings().promptTokens());
            assertArrayEquals(control.tokens(), second.tokens());
            assertEquals(6, first.tokens().length);
        }
    }

    @Test
    void promptLongerThanTheContextIsRefused() throws Exception {
        try (Ops ops = new CpuOps(); Decoder d = tiny(ops); Session s = new Session(d, new Session.Options(16, 4, 4))) {
            int[] prompt = new int[16];
            Arrays.fill(prompt, 9707);
            ContextLengthException e = assertThrows(ContextLengthException.class,
                    () -> s.generate(prompt, 4, SamplingParams.greedy(), t -> false, t -> true));
            assertTrue(e.getMessage().contains("context holds 16"), e.getMessage());
        }
    }

    @Test
    void generationStopsWhenTheContextIsFull() throws Exception {
        try (Ops ops = new CpuOps(); Decoder d = tiny(ops); Session s = new Session(d, new Session.Options(12, 4, 4))) {
            GenerationResult r = s.generate(new int[] {9707, 11, 1879}, 100, SamplingParams.greedy(), t -> false, t -> true);
            assertEquals(StopReason.CONTEXT_FULL, r.stopReason());
            assertTrue(s.length() <= 12);
        }
    }
}
