/*
 * The oracle's own check: RefOps against cases small enough to work out by hand (the expected
 * numbers are derived in the comments), covering each rule the conformance suite relies on —
 * the sink in the denominator only, the causal and sliding-window masks, grouped-query head mapping,
 * the RoPE pairings and attention factor, tie-breaking of topK and argmax.
 */
package dev.vireo.ops.ref;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.KvPages;
import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.TestTensors;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefOpsTest {
    private static final float EPS = 1e-6f;
    private final RefOps ops = new RefOps();
    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    private Tensor t(float[] v, long... dims) {
        return TestTensors.of(arena, "t", v, dims);
    }

    @Test
    void softmaxOfLogThreeIsQuarterAndThreeQuarters() {
        float ln3 = (float) Math.log(3);
        Tensor x = t(new float[] {0, ln3, 1000, 1001, 7, 7}, 3, 2);
        ops.softmax(x);
        // e^0 : e^ln3 = 1 : 3. The second row, 1 : e, would overflow e^1000 without subtracting the max.
        float e = (float) (1 / (1 + Math.E));
        assertArrayEquals(new float[] {0.25f, 0.75f, e, 1 - e, 0.5f, 0.5f}, x.toFloatArray(), EPS);
    }

    /** Two keys at positions 0 and 1 in shuffled pages of one slot each: page table {1, 0}. */
    private KvPages twoKeys() {
        float ln2 = (float) Math.log(2);
        KvPages kv = new KvPages(Tensor.allocateF32(arena, "k", 2, 1, 2), Tensor.allocateF32(arena, "v", 2, 1, 2), 1);
        ops.kvStore(t(new float[] {0, 5, ln2, 7}, 2, 2), t(new float[] {4, 0, 0, 8}, 2, 2), kv, new int[] {1, 0},
                new int[] {0, 1});
        return kv;
    }

    @Test
    void sinkJoinsTheDenominatorOnly() {
        KvPages kv = twoKeys();
        AttentionSpec spec = new AttentionSpec(1, 1, 2, 1f, 0);
        Tensor q = t(new float[] {1, 0}, 1, 2);
        Tensor out = TestTensors.poisoned(arena, "out", 1, 2);
        // q·k0 = 0, q·k1 = ln 2: weights 1 and 2; the sink logit 0 adds e^0 = 1: denominator 4.
        // out = (1·v0 + 2·v1) / 4 = ([4, 0] + [0, 16]) / 4 = [1, 4].
        ops.attention(q, kv, new int[] {1, 0}, new int[] {1}, spec, t(new float[] {0}, 1), out);
        assertArrayEquals(new float[] {1, 4}, out.toFloatArray(), EPS);
        // Without the sink the denominator is 3: [4/3, 16/3].
        ops.attention(q, kv, new int[] {1, 0}, new int[] {1}, spec, null, out);
        assertArrayEquals(new float[] {4f / 3, 16f / 3}, out.toFloatArray(), EPS);
    }

    @Test
    void causalMaskHidesLaterKeys() {
        KvPages kv = twoKeys();
        AttentionSpec spec = new AttentionSpec(1, 1, 2, 1f, 0);
        Tensor q = t(new float[] {1, 0, 1, 0}, 2, 2);
        Tensor out = TestTensors.poisoned(arena, "out", 2, 2);
        // Row 0 at position 0 sees only key 0: out = v0 (with a sink of logit 0 = q·k0: half of v0).
        ops.attention(q, kv, new int[] {1, 0}, new int[] {0, 1}, spec, t(new float[] {0}, 1), out);
        assertArrayEquals(new float[] {2, 0, 1, 4}, out.toFloatArray(), EPS);
    }

    @Test
    void slidingWindowKeepsTheLastWindowPositionsIncludingSelf() {
        KvPages kv = new KvPages(Tensor.allocateF32(arena, "k", 3, 1, 1), Tensor.allocateF32(arena, "v", 3, 1, 1), 1);
        int[] pages = {2, 0, 1};
        ops.kvStore(t(new float[] {0, 0, 0}, 3, 1), t(new float[] {100, 3, 5}, 3, 1), kv, pages, new int[] {0, 1, 2});
        Tensor out = TestTensors.poisoned(arena, "out", 1, 1);
        // Window 2 at position 2: keys 1 and 2 only, equal scores: (3 + 5) / 2; key 0 (100) is masked.
        ops.attention(t(new float[] {1}, 1, 1), kv, pages, new int[] {2}, new AttentionSpec(1, 1, 1, 1f, 2), null,
                out);
        assertEquals(4f, out.getFloat(0), EPS);
        // Full causal attention sees all three: (100 + 3 + 5) / 3.
        ops.attention(t(new float[] {1}, 1, 1), kv, pages, new int[] {2}, new AttentionSpec(1, 1, 1, 1f, 0), null,
                out);
        assertEquals(36f, out.getFloat(0), EPS);
    }

    @Test
    void queryHeadsShareTheirGroupsKvHead() {
        // kvHeads 2, headDim 1, one position: K row [0, 0], V row [10, 20]; 4 query heads → groups {0,1}, {2,3}.
        KvPages kv = new KvPages(Tensor.allocateF32(arena, "k", 1, 1, 2), Tensor.allocateF32(arena, "v", 1, 1, 2), 1);
        ops.kvStore(t(new float[] {0, 0}, 1, 2), t(new float[] {10, 20}, 1, 2), kv, new int[] {0}, new int[] {0});
        Tensor out = TestTensors.poisoned(arena, "out", 1, 4);
        ops.attention(t(new float[] {1, 2, 3, 4}, 1, 4), kv, new int[] {0}, new int[] {0},
                new AttentionSpec(4, 2, 1, 1f, 0), null, out);
        assertArrayEquals(new float[] {10, 10, 20, 20}, out.toFloatArray(), EPS);
    }

    @Test
    void ropeRotatesAUnitVectorByPositionTimesTheta() {
        RopeTable quarter = new RopeTable(new float[] {(float) (Math.PI / 2)}, 1f, RopeLayout.NEOX);
        Tensor x = t(new float[] {1, 0, 1, 0, 1, 0}, 3, 2);
        // Positions 0, 1, 2 turn e0 by 0, 90 and 180 degrees.
        ops.rope(x, 2, new int[] {0, 1, 2}, quarter);
        assertArrayEquals(new float[] {1, 0, 0, 1, -1, 0}, x.toFloatArray(), EPS);

        // The attention factor scales cos and sin alike: a rotation and a stretch by 2.
        Tensor y = t(new float[] {1, 0}, 1, 2);
        ops.rope(y, 2, new int[] {1}, new RopeTable(new float[] {(float) (Math.PI / 2)}, 2f, RopeLayout.NEOX));
        assertArrayEquals(new float[] {0, 2}, y.toFloatArray(), EPS);
    }

    @Test
    void ropeLayoutsPairDifferentDimensions() {
        float[] inv = {(float) (Math.PI / 2), 0};
        // NEOX, headDim 4: pairs (0, 2) and (1, 3). e0 turns into e2; the (1, 3) pair has angle 0.
        Tensor neox = t(new float[] {1, 0, 0, 3}, 1, 4);
        ops.rope(neox, 4, new int[] {1}, new RopeTable(inv, 1f, RopeLayout.NEOX));
        assertArrayEquals(new float[] {0, 0, 1, 3}, neox.toFloatArray(), EPS);
        // NORM: pairs (0, 1) and (2, 3). e0 turns into e1.
        Tensor norm = t(new float[] {1, 0, 0, 3}, 1, 4);
        ops.rope(norm, 4, new int[] {1}, new RopeTable(inv, 1f, RopeLayout.NORM));
        assertArrayEquals(new float[] {0, 1, 0, 3}, norm.toFloatArray(), EPS);
        // Partial rotary: rotaryDim 2 of headDim 4 (two heads); dimensions 2, 3 of each head pass through.
        Tensor partial = t(new float[] {1, 0, 5, 6, 0, 1, 7, 8}, 1, 8);
        ops.rope(partial, 4, new int[] {1}, new RopeTable(new float[] {(float) (Math.PI / 2)}, 1f, RopeLayout.NEOX));
        assertArrayEquals(new float[] {0, 1, 5, 6, -1, 0, 7, 8}, partial.toFloatArray(), EPS);
    }

    @Test
    void topKBreaksTiesByLowerIndex() {
        Tensor x = t(new float[] {1, 3, 3, 2}, 1, 4);
        int[] idx = new int[4];
        float[] val = new float[4];
        ops.topK(x, 2, idx, val);
        assertArrayEquals(new int[] {1, 2}, new int[] {idx[0], idx[1]});
        assertArrayEquals(new float[] {3, 3}, new float[] {val[0], val[1]});
        ops.topK(x, 4, idx, val);
        assertArrayEquals(new int[] {1, 2, 3, 0}, idx);
    }

    @Test
    void argmaxBreaksTiesByLowerIndex() {
        assertEquals(1, ops.argmax(t(new float[] {5, 7, 7}, 1, 3), 0));
        assertEquals(0, ops.argmax(t(new float[] {-1, -1}, 1, 2), 0));
        assertEquals(2, ops.argmax(t(new float[] {0, 0, 9, 1, 2, 3}, 2, 3), 1));
    }

    @Test
    void matmulOfFloatAndQuantizedWeights() {
        // [[1,2],[3,4],[5,6]] times the rows [1,1] and [0,1].
        Tensor w = t(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor out = TestTensors.poisoned(arena, "out", 2, 3);
        ops.matmul(w, t(new float[] {1, 1, 0, 1}, 2, 2), out);
        assertArrayEquals(new float[] {3, 7, 11, 2, 4, 6}, out.toFloatArray(), EPS);

        // One Q8_0 block, d = 0.5, codes 0..31, against a row of 127s: the activation quantizes to
        // d_x = 127/127 = 1 and codes 127, exactly, so the result is 0.5·1·127·Σi = 0.5·127·496 = 31496.
        var seg = arena.allocate(34);
        seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, Float.floatToFloat16(0.5f));
        for (int i = 0; i < 32; i++) {
            seg.set(ValueLayout.JAVA_BYTE, 2 + i, (byte) i);
        }
        Tensor q = new Tensor("q", DType.Q8_0, Shape.of(1, 32), seg);
        Tensor o1 = TestTensors.poisoned(arena, "o1", 1, 1);
        ops.matmul(q, t(filled(32, 127f), 1, 32), o1);
        assertEquals(31496f, o1.getFloat(0), 0f);
        // A row of ones quantizes to codes 127 with d_x = 1/127 stored as the half 1032/1024·2^-7
        // (0.00787353515625), not 1/127: the result is 0.5·0.00787353515625·127·496 = 247.98486328125,
        // not 248 — the activation quantization that Ops.matmul shares with ggml.
        ops.matmul(q, t(filled(32, 1f), 1, 32), o1);
        assertEquals(247.98486328125f, o1.getFloat(0), 0f);
    }

    @Test
    void rmsNormSwigluAddScale() {
        // [3, 4]: mean square 12.5, so x/√12.5 · [1, 2] = [0.848528, 2.262742].
        Tensor out = TestTensors.poisoned(arena, "out", 1, 2);
        ops.rmsNorm(t(new float[] {3, 4}, 1, 2), t(new float[] {1, 2}, 2), 0f, out);
        assertArrayEquals(new float[] {0.8485281f, 2.2627417f}, out.toFloatArray(), EPS);

        // silu(0) = 0; silu(1) = 1/(1 + e^-1) = 0.7310586, times up = 2.
        Tensor s = TestTensors.poisoned(arena, "s", 1, 2);
        ops.swiglu(t(new float[] {0, 1}, 1, 2), t(new float[] {5, 2}, 1, 2), s);
        assertArrayEquals(new float[] {0, 1.4621172f}, s.toFloatArray(), EPS);

        Tensor a = t(new float[] {1, 2, 3, 4}, 2, 2);
        ops.add(a, t(new float[] {10, 20}, 2), a);
        assertArrayEquals(new float[] {11, 22, 13, 24}, a.toFloatArray(), EPS);
        ops.scale(a, 0.5f);
        assertArrayEquals(new float[] {5.5f, 11, 6.5f, 12}, a.toFloatArray(), EPS);
    }

    @Test
    void embeddingDecodesTheRowOfEachId() {
        var seg = arena.allocate(2 * 3 * 2);
        float[] rows = {1, 2, 3, -0.5f, 0.25f, 65504f};
        for (int i = 0; i < rows.length; i++) {
            seg.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2L * i, Float.floatToFloat16(rows[i]));
        }
        Tensor table = new Tensor("table", DType.F16, Shape.of(2, 3), seg);
        Tensor out = TestTensors.poisoned(arena, "out", 3, 3);
        ops.embedding(table, new int[] {1, 0, 1}, out);
        assertArrayEquals(new float[] {-0.5f, 0.25f, 65504f, 1, 2, 3, -0.5f, 0.25f, 65504f}, out.toFloatArray());
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
