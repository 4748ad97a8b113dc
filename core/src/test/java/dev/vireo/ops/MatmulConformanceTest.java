/*
 * matmul conformance: every backend against RefOps for every weight type it lists, over awkward
 * shapes — output rows 1, 31, 33 and 4097; row lengths 1, 31, 33, 4097 for float weights and whole
 * blocks (32, 256, 4096+256: several 1024-float decode chunks plus a partial one) for quantized ones;
 * token counts 1, 3 and 17 (the 4-token unroll and its remainder) and 37 (more than one 32-token
 * tile). Weights are random valid blocks (RandomBlocks), activations N(0,1), outputs NaN-poisoned.
 *
 * Bound: NMSE ≤ 1e-10. The decoded weights are bit-identical to the reference (CpuDecoderTest), so
 * the only difference is float vs double accumulation of at most 4352 products: rounding error
 * relative to a result grows like ε·√(adds) ≈ 6e-8·√300, an NMSE around 1e-12 at worst, while one
 * wrongly decoded block among the 136 of a 4352-long row already gives about 1e-2.
 */
package dev.vireo.ops;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.Nmse;
import dev.vireo.testing.TestTensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatmulConformanceTest extends ConformanceBase {
    static final double BOUND = 1e-10;

    static final List<DType> TYPES = List.of(DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0, DType.Q4_1,
            DType.Q5_0, DType.Q5_1, DType.Q4_K, DType.Q5_K, DType.Q6_K, DType.MXFP4);

    /** Row lengths legal for a type: anything for floats, whole blocks for quantized types. */
    static int[] inDims(DType type) {
        if (!type.isQuantized()) {
            return new int[] {1, 31, 33, 4097};
        }
        return type.blockSize() == 32 ? new int[] {32, 256, 4352} : new int[] {256, 4352};
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (DType type : TYPES) {
            for (int in : inDims(type)) {
                for (int out : new int[] {1, 31, 33}) {
                    for (int n : new int[] {1, 3, 17}) {
                        all.add(Arguments.of(type, out, in, n));
                    }
                }
            }
            int small = type.isQuantized() ? 256 : 33;
            all.add(Arguments.of(type, 4097, small, 3));   // many rows: the parallel split
            all.add(Arguments.of(type, 33, inDims(type)[inDims(type).length - 1], 37)); // two token tiles
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} [{1}x{2}] x {3} tokens")
    @MethodSource("cases")
    void matchesReference(DType type, int outDim, int inDim, int n) {
        Random r = new Random(31L * type.ordinal() + 1009L * outDim + 17L * inDim + n);
        Tensor w = TestTensors.weight(arena, "w", type, outDim, inDim, r);
        Tensor x = TestTensors.gaussian(arena, "x", r, 1.0, n, inDim);
        Tensor expected = TestTensors.poisoned(arena, "expected", n, outDim);
        REF.matmul(w, x, expected);
        for (Ops ops : backends()) {
            assumeTrue(ops.matmulTypes().contains(type), ops.name() + " lacks " + type);
            Tensor out = TestTensors.poisoned(arena, "out", n, outDim);
            ops.matmul(w, x, out);
            Nmse.assertBelow(label(ops) + " matmul " + type + " [" + outDim + "x" + inDim + "] x" + n, out, expected,
                    BOUND);
        }
    }
}
