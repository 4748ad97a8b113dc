/*
 * The BPE merge table as an open-addressing hash map from a pair of piece ids to (rank, merged piece
 * id), both packed in longs, so a 450k-entry table costs two flat arrays instead of a million boxed
 * objects. Package-private; exercised by the tokenizer tests.
 */
package dev.vireo.tokenizer;

import java.util.Arrays;

final class PairRankMap {
    private static final long EMPTY = -1L;

    private final long[] keys;
    private final long[] values;
    private final int mask;
    private int size;

    /** A map with room for {@code expected} pairs without growing (it never grows). */
    PairRankMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    private static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFF_FFFFL);
    }

    private static int hash(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** Records a merge unless the pair already has one (the first, highest-priority merge wins). */
    void putIfAbsent(int left, int right, int rank, int merged) {
        if (size * 2 >= keys.length) {
            throw new IllegalStateException("merge table full");
        }
        long key = pair(left, right);
        int i = hash(key) & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = ((long) rank << 32) | (merged & 0xFFFF_FFFFL);
        size++;
    }

    /** (rank << 32 | merged piece) of the pair, or -1 if the pair does not merge. */
    long get(int left, int right) {
        long key = pair(left, right);
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1L;
            }
            i = (i + 1) & mask;
        }
    }

    static int rank(long entry) {
        return (int) (entry >>> 32);
    }

    static int merged(long entry) {
        return (int) entry;
    }
}
