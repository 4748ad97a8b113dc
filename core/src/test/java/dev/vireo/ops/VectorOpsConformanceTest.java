/*
 * Conformance of the row-wise ops — embedding, rmsNorm, rope, swiglu, softmax, add, scale, topK,
 * argmax — every backend against RefOps over widths 1, 31, 33 and 4097 (vector tails and a long
 * row) and 1, 3, 17 rows, with seeded inputs and NaN-poisoned outputs. Each bound is justified where
 * it is declared; "exact" ops are compared for equality.
 */
package dev.vireo.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class VectorOpsConformanceTest extends ConformanceBase {
    /** Float sums of ≤ 4097 squares, one float scaling: relative error a few ε per element ⇒ NMSE ~1e-14. */
    static final double RMS_NORM = 1e-12;
    /** cos/sin rounded to float, two float products per element: ~2ε relative ⇒ NMSE ~1e-14. */
    static final double ROPE = 1e-12;
    /** Vector exp (≤ a few ulp) and a division: a few ε relative per element. */
    static final double SWIGLU = 1e-12;
    /** Vector exp, a float sum of ≤ 4097 terms and one scaling: ~ε·√4097 relative at worst. */
    static final double SOFTMAX = 1e-11;
    /** One correctly rounded float operation vs the double result rounded once: equal but for rare double rounding. */
    static final double ONE_ROUNDING = 1e-14;

    static final int[] WIDTHS = {1, 31, 33, 4097};
    static final int[] ROWS = {1, 3, 17};

    static Stream<Arguments> shapes() {
        List<Arguments> all = new ArrayList<>();
        for (int w : WIDTHS) {
            for (int n : ROWS) {
                all.add(Arguments.of(n, w));
            }
        }
        return all.stream();
    }

    private Random random(String op, int n, int w) {
        return new Random(op.hashCode() * 31L + n * 7919L + w);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K",
        "Q5_K", "Q6_K", "MXFP4"})
    void embeddingIsExact(DType type) {
        // The decoders are bit-identical to the reference codecs, so rows must be equal.
        int[] dims = type.isQuantized() ? new int[] {type.blockSize(), 4352} : WIDTHS;
        for (int dim : dims) {
            Random r = random("embedding" + type, 0, dim);
            Tensor table = TestTensors.weight(arena, "table", type, 50, dim, r);
            int[] ids = {3, 49, 0, 3, 17};
            Tensor expected = TestTensors.poisoned(arena, "expected", ids.length, dim);
            REF.embedding(table, ids, expected);
            for (Ops ops : backends()) {
                Tensor out = TestTensors.poisoned(arena, "out", ids.length, dim);
                ops.embedding(table, ids, out);
                Nmse.assertBelow(label(ops) + " embedding " + type + " dim " + dim, out, expected, 0);
            }
        }
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("shapes")
    void rmsNorm(int n, int w) {
        for (DType weightType : new DType[] {DType.F32, DType.F16, DType.BF16}) {
            Random r = random("rmsNorm" + weightType, n, w);
            Tensor x = TestTensors.gaussian(arena, "x", r, 3.0, n, w);
            Tensor g = TestTensors.weight(arena, "g", weightType, 1, w, r).reshape(w);
            Tensor expected = TestTensors.poisoned(arena, "expected", n, w);
            REF.rmsNorm(x, g, 1e-5f, expected);
            for (Ops ops : backends()) {
                Tensor out = TestTensors.poisoned(arena, "out", n, w);
                ops.rmsNorm(x, g, 1e-5f, out);
                Nmse.assertBelow(label(ops) + " rmsNorm " + weightType, out, expected, RMS_NORM);
                Tensor inPlace = TestTensors.copy(arena, x);
                ops.rmsNorm(inPlace, g, 1e-5f, inPlace);
                Nmse.assertBelow(label(ops) + " rmsNorm in place " + weightType, inPlace, expected, RMS_NORM);
            }
        }
    }

    static Stream<Arguments> ropeCases() {
        List<Arguments> all = new ArrayList<>();
        for (RopeLayout layout : RopeLayout.values()) {
            for (int[] dims : new int[][] {{64, 64}, {128, 128}, {128, 64}, {96, 32}, {6, 6}, {6, 4}}) {
                for (float factor : new float[] {1f, 1.3465736f}) {
                    for (int n : ROWS) {
                        all.add(Arguments.of(layout, dims[0], dims[1], factor, n));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} headDim {1} rotary {2} factor {3} rows {4}")
    @MethodSource("ropeCases")
    void rope(RopeLayout layout, int headDim, int rotaryDim, float factor, int n) {
        Random r = random("rope" + layout + factor, n, headDim * 1000 + rotaryDim);
        int heads = 3;
        // YaRN-like frequencies (base 150000), positions up to 131072: large angles included.
        float[] inv = RopeTable.standard(rotaryDim, 150000, layout).invFreq();
        RopeTable table = new RopeTable(inv, factor, layout);
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = i == 0 ? 0 : r.nextInt(131072);
        }
        Tensor x = TestTensors.gaussian(arena, "x", r, 1.0, n, heads * headDim);
        Tensor expected = TestTensors.copy(arena, x);
        REF.rope(expected, headDim, positions, table);
        for (Ops ops : backends()) {
            Tensor out = TestTensors.copy(arena, x);
            ops.rope(out, headDim, positions, table);
            Nmse.assertBelow(label(ops) + " rope", out, expected, ROPE);
        }
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("shapes")
    void swiglu(int n, int w) {
        Random r = random("swiglu", n, w);
        Tensor gate = TestTensors.gaussian(arena, "gate", r, 4.0, n, w);
        Tensor up = TestTensors.gaussian(arena, "up", r, 1.0, n, w);
        Tensor expected = TestTensors.poisoned(arena, "expected", n, w);
        REF.swiglu(gate, up, expected);
        for (Ops ops : backends()) {
            Tensor out = TestTensors.poisoned(arena, "out", n, w);
            ops.swiglu(gate, up, out);
            Nmse.assertBelow(label(ops) + " swiglu", out, expected, SWIGLU);
            Tensor aliased = TestTensors.copy(arena, gate);
            ops.swiglu(aliased, up, aliased);
            Nmse.assertBelow(label(ops) + " swiglu into gate", aliased, expected, SWIGLU);
        }
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("shapes")
    void softmax(int n, int w) {
        Random r = random("softmax", n, w);
        Tensor x = TestTensors.gaussian(arena, "x", r, 5.0, n, w);
        // The last row sits near 1000, where an unstabilised exp overflows.
        for (int i = 0; i < w; i++) {
            x.setFloat((long) (n - 1) * w + i, x.getFloat((long) (n - 1) * w + i) + 1000);
        }
        Tensor expected = TestTensors.copy(arena, x);
        REF.softmax(expected);
        for (Ops ops : backends()) {
            Tensor out = TestTensors.copy(arena, x);
            ops.softmax(out);
            Nmse.assertBelow(label(ops) + " softmax", out, expected, SOFTMAX);
        }
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("shapes")
    void addAndScale(int n, int w) {
        Random r = random("add", n, w);
        Tensor a = TestTensors.gaussian(arena, "a", r, 1.0, n, w);
        Tensor[] bs = {TestTensors.gaussian(arena, "b", r, 1.0, n, w), TestTensors.gaussian(arena, "bias", r, 1.0, w),
            TestTensors.gaussian(arena, "bias", r, 1.0, 1, w)};
        for (Tensor b : bs) {
            Tensor expected = TestTensors.poisoned(arena, "expected", n, w);
            REF.add(a, b, expected);
            for (Ops ops : backends()) {
                Tensor out = TestTensors.poisoned(arena, "out", n, w);
                ops.add(a, b, out);
                Nmse.assertBelow(label(ops) + " add " + b.shape(), out, expected, ONE_ROUNDING);
                Tensor inPlace = TestTensors.copy(arena, a);
                ops.add(inPlace, b, inPlace);
                Nmse.assertBelow(label(ops) + " add in place " + b.shape(), inPlace, expected, ONE_ROUNDING);
            }
        }
        Tensor expected = TestTensors.copy(arena, a);
        REF.scale(expected, -0.37f);
        for (Ops ops : backends()) {
            Tensor out = TestTensors.copy(arena, a);
            ops.scale(out, -0.37f);
            Nmse.assertBelow(label(ops) + " scale", out, expected, ONE_ROUNDING);
        }
    }

    /** Values from a small set of integers, so that rows are full of ties. */
    private Tensor tied(Random r, int n, int w, int distinct) {
        float[] v = new float[n * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(distinct) - distinct / 2;
        }
        return TestTensors.of(arena, "x", v, n, w);
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("shapes")
    void topKAndArgmaxAreExactIncludingTies(int n, int w) {
        Random r = random("topK", n, w);
        Tensor[] inputs = {TestTensors.gaussian(arena, "x", r, 1.0, n, w), tied(r, n, w, 5), tied(r, n, w, 1)};
        for (Tensor x : inputs) {
            for (int k : new int[] {1, Math.min(4, w), Math.min(33, w)}) {
                int[] wantIdx = new int[n * k];
                float[] wantVal = new float[n * k];
                REF.topK(x, k, wantIdx, wantVal);
                for (Ops ops : backends()) {
                    int[] idx = new int[n * k];
                    float[] val = new float[n * k];
                    ops.topK(x, k, idx, val);
                    assertArrayEquals(wantIdx, idx, label(ops) + " topK indices k=" + k);
                    assertArrayEquals(wantVal, val, label(ops) + " topK values k=" + k);
                }
            }
            for (int row = 0; row < n; row++) {
                int want = REF.argmax(x, row);
                for (Ops ops : backends()) {
                    assertEquals(want, ops.argmax(x, row), label(ops) + " argmax row " + row);
                }
            }
        }
    }
}
