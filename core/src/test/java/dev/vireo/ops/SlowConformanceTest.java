/*
 * The heavier sweep behind @Tag("slow") (run with -Pslow): model-sized matmuls — 1024 output rows
 * of 4096 (4097 for float weights) inputs for every weight type at 1, 4 and 70 tokens (three token
 * tiles) — and attention over an 1100-position sequence with GQA 8, both head dims, full and
 * 128-wide windows, sinks, 16-slot shuffled pages, a 64-row prefill chunk and a decode step.
 * Same seeds, poisoning and bounds as the default suite (see MatmulConformanceTest,
 * AttentionConformanceTest for their justification).
 */
package dev.vireo.ops;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.Nmse;
import dev.vireo.testing.TestTensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Tag("slow")
class SlowConformanceTest extends ConformanceBase {

    static Stream<Arguments> matmulCases() {
        List<Arguments> all = new ArrayList<>();
        for (DType type : MatmulConformanceTest.TYPES) {
            for (int n : new int[] {1, 4, 70}) {
                all.add(Arguments.of(type, n));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} [1024x4096] x {1} tokens")
    @MethodSource("matmulCases")
    void modelSizedMatmul(DType type, int n) {
        int in = type.isQuantized() ? 4096 : 4097;
        Random r = new Random(type.ordinal() * 31L + n);
        Tensor w = TestTensors.weight(arena, "w", type, 1024, in, r);
        Tensor x = TestTensors.gaussian(arena, "x", r, 1.0, n, in);
        Tensor expected = TestTensors.poisoned(arena, "expected", n, 1024);
        REF.matmul(w, x, expected);
        for (Ops ops : backends()) {
            Tensor out = TestTensors.poisoned(arena, "out", n, 1024);
            ops.matmul(w, x, out);
            Nmse.assertBelow(label(ops) + " matmul " + type + " x" + n, out, expected, MatmulConformanceTest.BOUND);
        }
    }

    static Stream<Arguments> attentionCases() {
        List<Arguments> all = new ArrayList<>();
        for (int headDim : new int[] {64, 128}) {
            for (int window : new int[] {0, 128}) {
                all.add(Arguments.of(headDim, window));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "headDim {0} window {1}")
    @MethodSource("attentionCases")
    void longSequenceAttention(int headDim, int window) {
        int sequence = 1100;
        int pageSize = 16;
        Random r = new Random(headDim * 7L + window);
        AttentionSpec spec = new AttentionSpec(16, 2, headDim, (float) (1 / Math.sqrt(headDim)), window);
        int logical = (sequence + pageSize - 1) / pageSize;
        List<Integer> order = new ArrayList<>(IntStream.range(0, logical).boxed().toList());
        Collections.shuffle(order, r);
        int[] table = order.stream().mapToInt(Integer::intValue).toArray();
        KvPages kv = new KvPages(TestTensors.poisoned(arena, "k", logical, pageSize, spec.kvDim()),
                TestTensors.poisoned(arena, "v", logical, pageSize, spec.kvDim()), pageSize);
        int[] all = IntStream.range(0, sequence).toArray();
        REF.kvStore(TestTensors.gaussian(arena, "k", r, 1.0, sequence, spec.kvDim()),
                TestTensors.gaussian(arena, "v", r, 1.0, sequence, spec.kvDim()), kv, table, all);
        Tensor sinks = TestTensors.gaussian(arena, "sinks", r, 2.0, spec.heads());
        for (int[] positions : new int[][] {IntStream.range(sequence - 64, sequence).toArray(), {sequence - 1}}) {
            int width = spec.heads() * headDim;
            Tensor q = TestTensors.gaussian(arena, "q", r, 1.0, positions.length, width);
            Tensor expected = TestTensors.poisoned(arena, "expected", positions.length, width);
            REF.attention(q, kv, table, positions, spec, sinks, expected);
            for (Ops ops : backends()) {
                Tensor out = TestTensors.poisoned(arena, "out", positions.length, width);
                ops.attention(q, kv, table, positions, spec, sinks, out);
                Nmse.assertBelow(label(ops) + " attention " + positions.length + " rows", out, expected,
                        AttentionConformanceTest.BOUND);
            }
        }
    }
}
