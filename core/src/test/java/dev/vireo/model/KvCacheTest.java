/*
 * Page accounting of the KV cache: full-attention layers keep every page, sliding-window layers hand
 * back pages that left their window, pools run out with a clear exception, rewinding respects what a
 * windowed layer still holds, and closing a sequence returns everything.
 */
package dev.vireo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.ops.ref.RefOps;
import org.junit.jupiter.api.Test;

class KvCacheTest {
    private static final int PAGE = 4;

    /** Layer 0 windowed (8 positions), layer 1 full. */
    private static KvCache cache(int capacity, int sequences) {
        return new KvCache(new RefOps(), new int[] {8, 8}, new int[] {8, 0}, PAGE, capacity, sequences, 4);
    }

    private static void step(KvCache.Sequence s, int n) {
        s.reserve(n);
        s.advance(n);
    }

    @Test
    void fullLayersKeepEveryPageAndWindowedLayersOnlyTheWindow() {
        try (KvCache c = cache(64, 1); KvCache.Sequence s = c.newSequence()) {
            int fullFree = c.freePages(1);
            int windowFree = c.freePages(0);
            for (int i = 0; i < 40; i++) {
                step(s, 1);
            }
            assertEquals(10, fullFree - c.freePages(1), "40 positions in pages of 4");
            int windowUsed = windowFree - c.freePages(0);
            assertTrue(windowUsed <= 3, "a window of 8 needs at most 3 pages of 4, used " + windowUsed);
            // Every position a query at 40 may see is still mapped.
            for (int p = 40 - 8 + 1; p < 40; p++) {
                c.layer(0).row(s.pageTable(0), p);
            }
        }
    }

    @Test
    void closingReturnsEveryPage() {
        try (KvCache c = cache(64, 2)) {
            int[] before = {c.freePages(0), c.freePages(1)};
            KvCache.Sequence a = c.newSequence();
            KvCache.Sequence b = c.newSequence();
            step(a, 4);
            step(b, 4);
            step(a, 3);
            a.close();
            b.close();
            assertEquals(before[0], c.freePages(0));
            assertEquals(before[1], c.freePages(1));
        }
    }

    @Test
    void exhaustionIsAClearException() {
        try (KvCache c = cache(16, 1); KvCache.Sequence s = c.newSequence()) {
            int pages = c.freePages(1);
            KvCacheFullException e = assertThrows(KvCacheFullException.class, () -> {
                for (int i = 0; i <= pages; i++) {
                    step(s, PAGE);
                }
            });
            assertTrue(e.getMessage().contains("KV cache full"), e.getMessage());
        }
    }

    @Test
    void truncationReturnsPagesAndRespectsTheWindow() {
        try (KvCache c = cache(64, 1); KvCache.Sequence s = c.newSequence()) {
            step(s, 4);
            step(s, 4);
            step(s, 4); // 12 positions
            int free = c.freePages(1);
            assertTrue(s.canTruncate(10));
            s.truncate(10);
            assertEquals(10, s.length());
            assertEquals(free, c.freePages(1), "position 10 still lives on page 2");
            s.truncate(8);
            assertEquals(free + 1, c.freePages(1));
            for (int i = 0; i < 7; i++) {
                step(s, 4); // 36 positions: pages before the window are gone from layer 0
            }
            assertFalse(s.canTruncate(5), "the window layer no longer holds what position 5 needs");
            assertThrows(IllegalStateException.class, () -> s.truncate(5));
            assertTrue(s.canTruncate(0));
            s.truncate(0);
            assertEquals(0, s.length());
        }
    }

    @Test
    void closedSequencesRefuseWork() {
        try (KvCache c = cache(64, 1)) {
            KvCache.Sequence s = c.newSequence();
            s.close();
            assertThrows(IllegalStateException.class, () -> s.reserve(1));
        }
    }
}
