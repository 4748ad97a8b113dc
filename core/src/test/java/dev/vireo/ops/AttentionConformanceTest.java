/*
 * attention (and kvStore) conformance: every backend against RefOps over grouped-query group sizes
 * 1/4/8, head dims 64/128, windows 0 (full causal), 4 and 128 on a 150-position sequence (longer
 * than every window), sinks on and off, page sizes 1 and 16 with a shuffled page table, each with a
 * 19-row prefill chunk (positions 131..149) and a one-row decode step (position 149). A first-chunk
 * prefill from position 0 checks the early rows whose window is cut by the sequence start.
 *
 * The KV pool is NaN-poisoned before the keys are stored and, for sliding windows, the pages wholly
 * before every query's window are unmapped, so reading any key outside the mask shows up as NaN or
 * an exception rather than a small error.
 *
 * Bound: NMSE ≤ 1e-10. Scores are float dot products of 64/128 terms and weights are float sums of
 * at most 150 terms against the double-precision oracle: relative errors about 1e-6 at worst, an
 * NMSE of order 1e-12; a wrong mask, sink or head mapping gives 1e-3 or more.
 */
package dev.vireo.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vireo.tensor.Tensor;
import dev.vireo.testing.Nmse;
import dev.vireo.testing.TestTensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AttentionConformanceTest extends ConformanceBase {
    static final double BOUND = 1e-10;
    static final int SEQUENCE = 150;
    static final int KV_HEADS = 2;

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (int group : new int[] {1, 4, 8}) {
            for (int headDim : new int[] {64, 128}) {
                for (int window : new int[] {0, 4, 128}) {
                    for (boolean sinks : new boolean[] {false, true}) {
                        for (int pageSize : new int[] {1, 16}) {
                            all.add(Arguments.of(group, headDim, window, sinks, pageSize));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    /** A sequence's pages: enough for SEQUENCE positions, physically shuffled, with spares. */
    record Cache(KvPages kv, int[] pageTable) {}

    private Cache cache(Random r, int pageSize, int kvDim, int firstNeeded) {
        int logical = (SEQUENCE + pageSize - 1) / pageSize;
        int physical = logical + 3;
        List<Integer> order = new ArrayList<>(IntStream.range(0, physical).boxed().toList());
        Collections.shuffle(order, r);
        int[] table = new int[logical];
        for (int i = 0; i < logical; i++) {
            // Pages wholly before the first position any query sees are not mapped at all.
            table[i] = (i + 1) * pageSize <= firstNeeded ? -1 : order.get(i);
        }
        KvPages kv = new KvPages(TestTensors.poisoned(arena, "k", physical, pageSize, kvDim),
                TestTensors.poisoned(arena, "v", physical, pageSize, kvDim), pageSize);
        return new Cache(kv, table);
    }

    private static int[] range(int from, int to) {
        return IntStream.range(from, to).toArray();
    }

    @ParameterizedTest(name = "group {0} headDim {1} window {2} sinks {3} pageSize {4}")
    @MethodSource("cases")
    void matchesReference(int group, int headDim, int window, boolean withSinks, int pageSize) {
        Random r = new Random(group * 1_000_003L + headDim * 7919L + window * 31L + (withSinks ? 1 : 0) + pageSize);
        int heads = KV_HEADS * group;
        AttentionSpec spec = new AttentionSpec(heads, KV_HEADS, headDim, (float) (1 / Math.sqrt(headDim)), window);
        int[] prefill = range(SEQUENCE - 19, SEQUENCE);
        int firstNeeded = spec.firstVisible(prefill[0]);
        Cache c = cache(r, pageSize, spec.kvDim(), firstNeeded);
        // Store only what is mapped: positions from the first mapped page on.
        int firstStored = firstNeeded - firstNeeded % pageSize;
        int[] stored = range(firstStored, SEQUENCE);
        REF.kvStore(TestTensors.gaussian(arena, "k", r, 1.0, stored.length, spec.kvDim()),
                TestTensors.gaussian(arena, "v", r, 1.0, stored.length, spec.kvDim()), c.kv(), c.pageTable(), stored);
        Tensor sinks = withSinks ? TestTensors.gaussian(arena, "sinks", r, 2.0, heads) : null;

        check("prefill", spec, c, prefill, sinks, r);
        check("decode", spec, c, new int[] {SEQUENCE - 1}, sinks, r);
    }

    @Test
    void firstPrefillChunkFromPositionZero() {
        Random r = new Random(5);
        for (int window : new int[] {0, 4}) {
            AttentionSpec spec = new AttentionSpec(8, 2, 64, 0.125f, window);
            Cache c = cache(r, 16, spec.kvDim(), 0);
            int[] positions = range(0, 40);
            REF.kvStore(TestTensors.gaussian(arena, "k", r, 1.0, 40, spec.kvDim()),
                    TestTensors.gaussian(arena, "v", r, 1.0, 40, spec.kvDim()), c.kv(), c.pageTable(), positions);
            check("first chunk window " + window, spec, c, positions, TestTensors.gaussian(arena, "s", r, 1.0, 8), r);
        }
    }

    private void check(String what, AttentionSpec spec, Cache c, int[] positions, Tensor sinks, Random r) {
        int width = spec.heads() * spec.headDim();
        Tensor q = TestTensors.gaussian(arena, "q", r, 1.0, positions.length, width);
        Tensor expected = TestTensors.poisoned(arena, "expected", positions.length, width);
        REF.attention(q, c.kv(), c.pageTable(), positions, spec, sinks, expected);
        for (Ops ops : backends()) {
            Tensor out = TestTensors.poisoned(arena, "out", positions.length, width);
            ops.attention(q, c.kv(), c.pageTable(), positions, spec, sinks, out);
            Nmse.assertBelow(label(ops) + " attention " + what + " " + spec, out, expected, BOUND);
        }
    }

    @Test
    void kvStoreWritesTheSameSlots() {
        Random r = new Random(11);
        for (int pageSize : new int[] {1, 16}) {
            Cache c = cache(r, pageSize, 96, 0);
            int[] positions = {5, 0, 37, 149, 16, 15};
            Tensor k = TestTensors.gaussian(arena, "k", r, 1.0, positions.length, 96);
            Tensor v = TestTensors.gaussian(arena, "v", r, 1.0, positions.length, 96);
            REF.kvStore(k, v, c.kv(), c.pageTable(), positions);
            for (Ops ops : backends()) {
                Cache mine = new Cache(new KvPages(TestTensors.poison(TestTensors.copy(arena, c.kv().keys())),
                        TestTensors.poison(TestTensors.copy(arena, c.kv().values())), pageSize), c.pageTable());
                ops.kvStore(k, v, mine.kv(), mine.pageTable(), positions);
                for (int p : positions) {
                    long row = c.kv().row(c.pageTable(), p);
                    assertArrayEquals(c.kv().keys().rows(row, 1).toFloatArray(),
                            mine.kv().keys().rows(row, 1).toFloatArray(), label(ops) + " key at " + p);
                    assertArrayEquals(c.kv().values().rows(row, 1).toFloatArray(),
                            mine.kv().values().rows(row, 1).toFloatArray(), label(ops) + " value at " + p);
                }
            }
        }
    }
}
