/*
 * Batch invariance of the CPU matmul: every output row must be bit-identical to the row computed for
 * its token alone (the fused single-token dot), whatever the number of tokens multiplied together
 * and wherever the token sits in the 32-token tile and the 4-token unroll. Float weights are
 * invariant on every CpuOps; quantized weights on a batch-invariant one, the default (a CpuOps built
 * with batchInvariant false sends one token through the integer kernels, several through the float tiles). The serving engine's
 * promise that batching does not change results rests on this (Matmul's file comment, DotOrder).
 * Every weight type, row lengths with partial chunks and scalar tails, token counts across the
 * unroll remainder and two tiles; seeded inputs.
 */
package dev.vireo.ops.cpu;

import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.TestTensors;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatmulBatchInvarianceTest {
    static final Arena arena = Arena.ofShared();
    static CpuOps ops;
    static CpuOps invariant;

    @BeforeAll
    static void open() {
        ops = new CpuOps(2, false);
        invariant = new CpuOps(2, true);
    }

    @AfterAll
    static void close() {
        ops.close();
        invariant.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (DType type : List.of(DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0, DType.Q4_1, DType.Q5_0,
                DType.Q5_1, DType.Q4_K, DType.Q5_K, DType.Q6_K, DType.MXFP4)) {
            // 8704: rows long enough that the tile shrinks below TOKEN_TILE (Matmul.tokenTile). Odd block
            // counts (96, 768): the dots that take two blocks per turn end on a single one.
            int[] dims = !type.isQuantized() ? new int[] {7, 33, 1040, 4097}
                    : type.blockSize() == 32 ? new int[] {32, 96, 4352, 8704} : new int[] {256, 768, 4352, 8704};
            for (int in : dims) {
                all.add(Arguments.of(type, in, 6));
                all.add(Arguments.of(type, in, 37));
            }
        }
        return all.stream();
    }

    /** The orders with a simple strided loop in the tile path are recognised as such. */
    @org.junit.jupiter.api.Test
    void alternatingRunsAreRecognised() {
        org.junit.jupiter.api.Assertions.assertEquals(1, DotOrder.alternating(true).alternatingRun());
        org.junit.jupiter.api.Assertions.assertEquals(16 / Vec.FL, DotOrder.halves().alternatingRun());
        org.junit.jupiter.api.Assertions.assertEquals(32 / Vec.FL, DotOrder.kQuantNibbles().alternatingRun());
        org.junit.jupiter.api.Assertions.assertEquals(0, DotOrder.q6k().alternatingRun());
        org.junit.jupiter.api.Assertions.assertEquals(0, DotOrder.single().alternatingRun());
    }

    /**
     * The same check repeated until the JIT has compiled both paths: C2 once changed the order of a
     * float reduceLanes(ADD), so results drifted between cold and warm code (Vec.sum fixed it).
     */
    @org.junit.jupiter.api.Test
    void invariantOnceCompiled() {
        for (int i = 0; i < 1500; i++) {
            everyRowEqualsItsTokenAlone(DType.F32, 33, 6);
            everyRowEqualsItsTokenAlone(DType.Q4_0, 64, 5);
        }
    }

    @ParameterizedTest(name = "{0} in={1} tokens={2}")
    @MethodSource("cases")
    void everyRowEqualsItsTokenAlone(DType type, int inDim, int n) {
        Random r = new Random(7L * type.ordinal() + 31L * inDim + n);
        int outDim = 19;
        Tensor w = TestTensors.weight(arena, "w", type, outDim, inDim, r);
        Tensor x = TestTensors.gaussian(arena, "x", r, 1.0, n, inDim);
        for (CpuOps backend : type.isQuantized() ? List.of(invariant) : List.of(ops, invariant)) {
            check(backend, type, inDim, n, outDim, w, x);
        }
        // The batch-invariant single-token path is still Ops.matmul: within the conformance bound.
        Tensor one = TestTensors.poisoned(arena, "one", 1, outDim);
        Tensor reference = TestTensors.poisoned(arena, "reference", 1, outDim);
        invariant.matmul(w, x.rows(0, 1), one);
        new dev.vireo.ops.ref.RefOps().matmul(w, x.rows(0, 1), reference);
        dev.vireo.testing.Nmse.assertBelow("batch-invariant " + type + " in=" + inDim, one, reference, 1e-10);
    }

    static void check(CpuOps backend, DType type, int inDim, int n, int outDim, Tensor w, Tensor x) {
        Tensor batched = TestTensors.poisoned(arena, "batched", n, outDim);
        backend.matmul(w, x, batched);
        Tensor alone = TestTensors.poisoned(arena, "alone", 1, outDim);
        for (int t = 0; t < n; t++) {
            backend.matmul(w, x.rows(t, 1), alone);
            for (int o = 0; o < outDim; o++) {
                float a = alone.getFloat(o);
                float b = batched.getFloat((long) t * outDim + o);
                if (Float.floatToRawIntBits(a) != Float.floatToRawIntBits(b)) {
                    fail(type + " in=" + inDim + " n=" + n + ": token " + t + " row " + o + " is " + b
                            + " in the batch but " + a + " alone");
                }
            }
        }
    }
}
