/*
 * PrefixCache over a bare KvCache (no model): sharing of full pages by content, reference counts,
 * exact-content matching, reclaiming least recently used leaves when the pool runs dry, refusal to
 * rewind into a shared page, and sliding-window groups reusing a prefix only where the window is
 * still held.
 */
package dev.vireo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.ops.ref.RefOps;
import org.junit.jupiter.api.Test;

class PrefixCacheTest {
    static final int PAGE = 4;

    static int[] tokens(int n, int salt) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1000 * salt + i;
        }
        return t;
    }

    /** Simulates computing tokens[length, upTo) into the sequence. */
    static void compute(KvCache.Sequence seq, int upTo) {
        int n = upTo - seq.length();
        seq.reserve(n);
        seq.advance(n);
    }

    static KvCache cache(int pages, int window) {
        return new KvCache(new RefOps(), new int[] {8, 8}, new int[] {0, window}, PAGE, pages * PAGE, 1, 4);
    }

    @Test
    void sharesFullPagesOfTheSamePrefix() {
        try (KvCache kv = cache(64, 0)) {
            PrefixCache pc = kv.prefixCache();
            int[] a = tokens(14, 1);
            KvCache.Sequence s1 = kv.newSequence();
            PrefixCache.Chain c1 = pc.attach(s1, a, a.length - 1);
            assertEquals(0, s1.length());
            compute(s1, 14);
            pc.publish(c1, s1, a);
            assertEquals(3, pc.entries(), "three full pages of 14 tokens");

            int[] b = a.clone();
            b[13] = 7;   // same first 13 tokens
            KvCache.Sequence s2 = kv.newSequence();
            pc.attach(s2, b, b.length - 1);
            assertEquals(12, s2.length(), "three shared pages");
            for (int p = 0; p < 3; p++) {
                assertEquals(s1.pageTable(0)[p], s2.pageTable(0)[p]);
            }
            compute(s2, 14);
            assertNotEquals(s1.pageTable(0)[3], s2.pageTable(0)[3], "the partial page is each sequence's own");
            assertEquals(12, pc.hitTokens());

            int[] c = a.clone();
            c[5] = 99;   // differs inside the second page
            KvCache.Sequence s3 = kv.newSequence();
            pc.attach(s3, c, c.length - 1);
            assertEquals(4, s3.length());

            s1.close();
            s2.close();
            s3.close();
            // Only the cache holds the three pages now (both layers are full attention: one group).
            assertEquals(3, pc.reclaimablePages());
            assertEquals(3, kv.usedPages());
            pc.clear();
            assertEquals(0, kv.usedPages());
        }
    }

    @Test
    void attachLeavesAtLeastTheLastTokenToCompute() {
        try (KvCache kv = cache(64, 0)) {
            PrefixCache pc = kv.prefixCache();
            int[] a = tokens(8, 2);
            KvCache.Sequence s1 = kv.newSequence();
            PrefixCache.Chain c1 = pc.attach(s1, a, 7);
            compute(s1, 8);
            pc.publish(c1, s1, a);
            KvCache.Sequence s2 = kv.newSequence();
            pc.attach(s2, a, a.length - 1);
            assertEquals(4, s2.length(), "the page holding the last token is recomputed");
        }
    }

    @Test
    void reclaimsLeastRecentlyUsedLeavesWhenThePoolRunsDry() {
        // The full-attention pool has pages·PAGE/PAGE + 1 sequences' slack pages: 9 pages here.
        try (KvCache kv = cache(8, 0)) {
            PrefixCache pc = kv.prefixCache();
            int total = kv.totalPages(0);
            for (int salt = 0; salt < 5; salt++) {
                int[] t = tokens(8, 10 + salt);
                KvCache.Sequence s = kv.newSequence();
                PrefixCache.Chain c = pc.attach(s, t, 7);
                compute(s, 8);       // two pages, kept by the cache after close
                pc.publish(c, s, t);
                s.close();
            }
            assertTrue(pc.evictions() > 0, "older prefixes made room");
            assertTrue(kv.usedPages() <= 2 * total);
            // The most recent prefix survives whole.
            KvCache.Sequence s = kv.newSequence();
            pc.attach(s, tokens(8, 14), 8);
            assertEquals(8, s.length());
        }
    }

    @Test
    void refusesToRewindIntoASharedPage() {
        try (KvCache kv = cache(64, 0)) {
            PrefixCache pc = kv.prefixCache();
            int[] a = tokens(9, 3);
            KvCache.Sequence s1 = kv.newSequence();
            PrefixCache.Chain c1 = pc.attach(s1, a, 8);
            compute(s1, 9);
            pc.publish(c1, s1, a);
            assertThrows(IllegalStateException.class, () -> s1.truncate(6));
            s1.truncate(4);   // a page boundary: nothing shared is written again
            assertEquals(4, s1.length());
        }
    }

    @Test
    void windowedGroupsReuseOnlyWhatTheWindowStillHolds() {
        try (KvCache kv = cache(64, 6)) {
            PrefixCache pc = kv.prefixCache();
            int[] a = tokens(24, 4);
            KvCache.Sequence s1 = kv.newSequence();
            PrefixCache.Chain c1 = pc.attach(s1, a, 23);
            for (int upTo = 4; upTo <= 24; upTo += 4) {
                compute(s1, upTo);
                pc.publish(c1, s1, a);
            }
            s1.close();
            KvCache.Sequence s2 = kv.newSequence();
            pc.attach(s2, a, 23);
            assertEquals(20, s2.length());
            // The windowed group maps only the pages a query at 20 can see (positions 15..19).
            int[] windowed = s2.pageTable(1);
            assertTrue(windowed[3] >= 0 && windowed[4] >= 0);
            assertEquals(-1, windowed[0]);
        }
    }
}
