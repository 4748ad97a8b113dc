/*
 * Every backend rejects malformed calls the same way (OpChecks): an IllegalArgumentException naming
 * the op, before touching memory — wrong widths, unknown token ids, unmapped KV pages, k out of
 * range. Also: a multi-threaded CpuOps refuses tensors its workers cannot read (confined arenas)
 * with a message that says what to do.
 */
package dev.vireo.ops;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.TestTensors;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OpArgumentTest extends ConformanceBase {

    private void rejected(String what, java.util.function.Consumer<Ops> call) {
        List<Ops> all = new ArrayList<>(backends());
        all.add(REF);
        for (Ops ops : all) {
            Executable e = () -> call.accept(ops);
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e, label(ops) + " " + what);
            assertTrue(ex.getMessage() != null && !ex.getMessage().isBlank(), what);
        }
    }

    @Test
    void badShapesAreRejected() {
        Random r = new Random(1);
        Tensor w = TestTensors.weight(arena, "w", DType.Q4_0, 8, 64, r);
        Tensor x = TestTensors.gaussian(arena, "x", r, 1, 2, 64);
        rejected("matmul out width", ops -> ops.matmul(w, x, Tensor.allocateF32(arena, "o", 2, 7)));
        rejected("matmul in width", ops -> ops.matmul(w, TestTensors.gaussian(arena, "x", r, 1, 2, 32),
                Tensor.allocateF32(arena, "o", 2, 8)));
        rejected("matmul F16 activations", ops -> ops.matmul(w, TestTensors.weight(arena, "h", DType.F16, 2, 64, r),
                Tensor.allocateF32(arena, "o", 2, 8)));
        rejected("embedding id", ops -> ops.embedding(w, new int[] {8}, Tensor.allocateF32(arena, "o", 1, 64)));
        rejected("rmsNorm weight", ops -> ops.rmsNorm(x, Tensor.allocateF32(arena, "g", 63), 1e-5f, x));
        rejected("rope headDim", ops -> ops.rope(x, 48, new int[] {0, 1}, RopeTable.standard(16, 1e4,
                RopeLayout.NEOX)));
        rejected("rope rotaryDim", ops -> ops.rope(x, 32, new int[] {0, 1}, RopeTable.standard(64, 1e4,
                RopeLayout.NEOX)));
        rejected("rope positions", ops -> ops.rope(x, 32, new int[] {0}, RopeTable.standard(32, 1e4,
                RopeLayout.NEOX)));
        rejected("add bias width", ops -> ops.add(x, Tensor.allocateF32(arena, "b", 63), x));
        rejected("topK k", ops -> ops.topK(x, 65, new int[200], new float[200]));
        rejected("topK room", ops -> ops.topK(x, 4, new int[7], new float[8]));
        rejected("argmax row", ops -> ops.argmax(x, 2));
        rejected("swigluOai shape", ops -> ops.swigluOai(x, Tensor.allocateF32(arena, "u", 2, 63), 1.702f, 7f, x));
        rejected("gatherRows row", ops -> ops.gatherRows(x, new int[] {2}, Tensor.allocateF32(arena, "o", 1, 64)));
        rejected("gatherRows out", ops -> ops.gatherRows(x, new int[] {1}, Tensor.allocateF32(arena, "o", 2, 64)));
        rejected("scatterAdd row", ops -> ops.scatterAdd(x, new int[] {0, -1}, new float[2], x));
        rejected("scatterAdd weights", ops -> ops.scatterAdd(x, new int[] {0, 1}, new float[1], x));
    }

    @Test
    void unmappedKvPagesAreRejected() {
        Random r = new Random(2);
        AttentionSpec spec = new AttentionSpec(4, 2, 16, 0.25f, 0);
        KvPages kv = new KvPages(Tensor.allocateF32(arena, "k", 4, 2, 32), Tensor.allocateF32(arena, "v", 4, 2, 32), 2);
        int[] table = {3, -1, 0};
        Tensor k = TestTensors.gaussian(arena, "k", r, 1, 1, 32);
        rejected("kvStore unmapped", ops -> ops.kvStore(k, k, kv, table, new int[] {2}));
        rejected("kvStore past table", ops -> ops.kvStore(k, k, kv, table, new int[] {6}));
        rejected("kvStore page out of pool", ops -> ops.kvStore(k, k, kv, new int[] {4}, new int[] {0}));
        Tensor q = TestTensors.gaussian(arena, "q", r, 1, 1, 64);
        // Position 4 is on a mapped page, but full attention also needs positions 2 and 3 (page 1).
        rejected("attention hole", ops -> ops.attention(q, kv, table, new int[] {4}, spec, null,
                Tensor.allocateF32(arena, "o", 1, 64)));
        rejected("attention sinks", ops -> ops.attention(q, kv, new int[] {0}, new int[] {0}, spec,
                Tensor.allocateF32(arena, "s", 3), Tensor.allocateF32(arena, "o", 1, 64)));
    }

    @Test
    void confinedTensorsAreRejectedByAThreadedBackend() {
        try (Arena confined = Arena.ofConfined(); CpuOps ops = new CpuOps(2)) {
            Random r = new Random(3);
            Tensor w = TestTensors.weight(confined, "w", DType.Q8_0, 512, 512, r);
            Tensor x = TestTensors.gaussian(confined, "x", r, 1, 1, 512);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ops.matmul(w, x, Tensor.allocateF32(confined, "o", 1, 512)));
            assertTrue(e.getMessage().contains("shared"), e.getMessage());
        }
    }
}
