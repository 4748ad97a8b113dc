/*
 * A free list of fixed-size KV pages with reference counts, so that pages can later be shared between
 * sequences (prompt-prefix caching) and return to the pool when the last user lets go.
 */
package dev.vireo.model;

/** Allocation of page ids in [0, capacity). Not thread-safe: one engine thread owns it. */
final class PagePool {
    private final int[] free;
    private final int[] refCount;
    private int freeCount;

    PagePool(int capacity) {
        free = new int[capacity];
        refCount = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i; // hand out low ids first: easier to read in dumps
        }
        freeCount = capacity;
    }

    int capacity() {
        return free.length;
    }

    int freeCount() {
        return freeCount;
    }

    /** A fresh page with reference count 1, or -1 when none is left. */
    int allocate() {
        if (freeCount == 0) {
            return -1;
        }
        int page = free[--freeCount];
        refCount[page] = 1;
        return page;
    }

    /** Users of {@code page} (0 when it is free). */
    int refCount(int page) {
        return refCount[page];
    }

    /** One more user of {@code page}. */
    void retain(int page) {
        if (refCount[page] <= 0) {
            throw new IllegalStateException("page " + page + " is not allocated");
        }
        refCount[page]++;
    }

    /** One user fewer; the page is free again when none is left. */
    void release(int page) {
        if (refCount[page] <= 0) {
            throw new IllegalStateException("page " + page + " released twice");
        }
        if (--refCount[page] == 0) {
            free[freeCount++] = page;
        }
    }
}
