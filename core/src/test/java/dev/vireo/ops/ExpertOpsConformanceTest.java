/*
 * Conformance of the mixture-of-experts row ops — swigluOai, gatherRows, scatterAdd — every backend
 * against RefOps over widths 1, 31, 33 and 4097 and 1, 3, 17 rows, seeded inputs, NaN-poisoned
 * outputs. swigluOai inputs straddle the clamps (±7) so that every branch of the activation is hit.
 * Also RefOps' swigluOai against values worked out by hand from model-spec.md §1.5.
 */
package dev.vireo.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.tensor.Tensor;
import dev.vireo.testing.Nmse;
import dev.vireo.testing.TestTensors;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExpertOpsConformanceTest extends ConformanceBase {
    /** Vector exp (a few ulp), a division and two products: a few ε relative per element. */
    static final double SWIGLU_OAI = 1e-12;
    /** gatherRows copies bytes. */
    static final double EXACT = 0;
    /** One fused multiply-add per element against the double result rounded once. */
    static final double ONE_FMA = 1e-14;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> shapes() {
        return VectorOpsConformanceTest.shapes();
    }

    private Random random(String op, int n, int w) {
        return new Random(op.hashCode() * 31L + n * 7919L + w);
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("shapes")
    void swigluOai(int n, int w) {
        Random r = random("swigluOai", n, w);
        // σ = 6: about a quarter of the values lie beyond the ±7 clamps.
        Tensor gate = TestTensors.gaussian(arena, "gate", r, 6.0, n, w);
        Tensor up = TestTensors.gaussian(arena, "up", r, 6.0, n, w);
        Tensor expected = TestTensors.poisoned(arena, "expected", n, w);
        REF.swigluOai(gate, up, 1.702f, 7f, expected);
        for (Ops ops : backends()) {
            Tensor out = TestTensors.poisoned(arena, "out", n, w);
            ops.swigluOai(gate, up, 1.702f, 7f, out);
            Nmse.assertBelow(label(ops) + " swigluOai", out, expected, SWIGLU_OAI);
            Tensor intoGate = TestTensors.copy(arena, gate);
            ops.swigluOai(intoGate, up, 1.702f, 7f, intoGate);
            Nmse.assertBelow(label(ops) + " swigluOai into gate", intoGate, expected, SWIGLU_OAI);
            Tensor intoUp = TestTensors.copy(arena, up);
            ops.swigluOai(gate, intoUp, 1.702f, 7f, intoUp);
            Nmse.assertBelow(label(ops) + " swigluOai into up", intoUp, expected, SWIGLU_OAI);
        }
    }

    @Test
    void swigluOaiByHand() {
        // g = min(gate, 7), u = clamp(up, −7, 7): out = g·σ(1.702·g)·(u + 1).
        float[] gate = {0f, 1f, 10f, -3f, 7f};
        float[] up = {5f, -1f, 2f, 9f, -20f};
        double[] want = {0, 0, 7 / (1 + Math.exp(-1.702 * 7)) * 3, -3 / (1 + Math.exp(1.702 * 3)) * 8,
            7 / (1 + Math.exp(-1.702 * 7)) * -6};
        Tensor out = TestTensors.poisoned(arena, "out", 1, 5);
        REF.swigluOai(TestTensors.of(arena, "g", gate, 1, 5), TestTensors.of(arena, "u", up, 1, 5), 1.702f, 7f, out);
        for (int i = 0; i < 5; i++) {
            assertEquals(want[i], out.getFloat(i), 1e-6 * Math.max(1, Math.abs(want[i])), "element " + i);
        }
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("shapes")
    void gatherAndScatterAdd(int n, int w) {
        Random r = random("gather", n, w);
        Tensor x = TestTensors.gaussian(arena, "x", r, 1.0, n, w);
        // Rows in any order, one repeated: tokens routed to an expert are gathered in routing order.
        int m = n + 2;
        int[] rows = new int[m];
        float[] weights = new float[m + 3];
        for (int i = 0; i < m; i++) {
            rows[i] = r.nextInt(n);
            weights[i] = (float) r.nextDouble();
        }
        Tensor expected = TestTensors.poisoned(arena, "expected", m, w);
        REF.gatherRows(x, rows, expected);
        Tensor base = TestTensors.gaussian(arena, "residual", r, 1.0, n, w);
        Tensor expectedSum = TestTensors.copy(arena, base);
        REF.scatterAdd(expected, rows, weights, expectedSum);
        for (Ops ops : backends()) {
            Tensor out = TestTensors.poisoned(arena, "out", m, w);
            ops.gatherRows(x, rows, out);
            Nmse.assertBelow(label(ops) + " gatherRows", out, expected, EXACT);
            Tensor sum = TestTensors.copy(arena, base);
            ops.scatterAdd(out, rows, weights, sum);
            Nmse.assertBelow(label(ops) + " scatterAdd", sum, expectedSum, ONE_FMA);
        }
    }
}
