/*
 * The paged key/value cache of a model: every layer's K and V rows live in fixed-size pages drawn from
 * pools, and each sequence maps its positions to pages through page tables (vLLM's PagedAttention
 * idea). Layers that share a sliding window share a pool and a page table; a windowed group hands
 * pages back as soon as every position in them has left the window, so gpt-oss's even layers keep
 * only ~128 positions however long the conversation grows.
 * Pages are reference-counted: with a PrefixCache switched on, full pages are shared between
 * sequences whose tokens agree up to them (a repeated system prompt is stored and computed once),
 * and pages only the prefix cache holds are reclaimed, least recently used first, when a pool runs dry.
 * A sequence only ever writes positions at or past its length, which never lie in a shared (full,
 * earlier) page, so sharing cannot corrupt another sequence.
 * Tested by KvCacheTest and PrefixCacheTest; the attention op's use of pages by the ops conformance suite.
 */
package dev.vireo.model;

import dev.vireo.ops.KvPages;
import dev.vireo.ops.Ops;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** KV pages for all layers of one model, shared by the sequences that run on it. */
public final class KvCache implements AutoCloseable {

    /** Layers with the same window: one pool of pages, one page table per sequence. */
    private static final class Group {
        final int window;
        final PagePool pool;

        Group(int window, int pages) {
            this.window = window;
            this.pool = new PagePool(pages);
        }
    }

    private final Arena arena = Arena.ofShared();
    private final int pageSize;
    private final Group[] groups;
    private final int[] groupOfLayer;
    private final KvPages[] layers;
    private PrefixCache prefixCache;

    /**
     * @param kvDim width of a K or V row, per layer
     * @param window sliding window per layer (0: full attention)
     * @param pageSize positions per page
     * @param capacity positions the full-attention layers can hold, summed over all sequences
     * @param maxSequences sequences that may be open at once
     * @param maxBatch most positions one forward step stores per sequence
     */
    public KvCache(Ops ops, int[] kvDim, int[] window, int pageSize, int capacity, int maxSequences, int maxBatch) {
        if (kvDim.length != window.length || pageSize <= 0 || capacity <= 0 || maxSequences <= 0 || maxBatch <= 0) {
            throw new IllegalArgumentException("bad KV cache geometry");
        }
        Map<Integer, Integer> groupIds = new LinkedHashMap<>();
        groupOfLayer = new int[kvDim.length];
        for (int l = 0; l < kvDim.length; l++) {
            groupOfLayer[l] = groupIds.computeIfAbsent(window[l], w -> groupIds.size());
        }
        groups = new Group[groupIds.size()];
        for (Map.Entry<Integer, Integer> e : groupIds.entrySet()) {
            int w = e.getKey();
            // A windowed layer needs the window plus the positions of one step, per sequence, plus one
            // page of slack on each side of the range for alignment.
            long pages = w == 0 ? ceilDiv(capacity, pageSize) + maxSequences
                    : (long) maxSequences * (ceilDiv(w + maxBatch, pageSize) + 2);
            groups[e.getValue()] = new Group(w, Math.toIntExact(Math.min(pages, ceilDiv(capacity, pageSize) + maxSequences)));
        }
        this.pageSize = pageSize;
        layers = new KvPages[kvDim.length];
        for (int l = 0; l < kvDim.length; l++) {
            int pages = groups[groupOfLayer[l]].pool.capacity();
            Tensor k = ops.allocate(arena, "kv.k." + l, pages, pageSize, kvDim[l]);
            Tensor v = ops.allocate(arena, "kv.v." + l, pages, pageSize, kvDim[l]);
            layers[l] = new KvPages(k, v, pageSize);
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The pages of layer {@code l}. */
    public KvPages layer(int l) {
        return layers[l];
    }

    public int pageSize() {
        return pageSize;
    }

    /** Free pages left in the pool of layer {@code l}'s group. */
    public int freePages(int l) {
        return groups[groupOfLayer[l]].pool.freeCount();
    }

    /** Pages in the pool of layer {@code l}'s group. */
    public int totalPages(int l) {
        return groups[groupOfLayer[l]].pool.capacity();
    }

    /** Pages in use, summed over the pools of all groups (held by sequences or the prefix cache). */
    public int usedPages() {
        int used = 0;
        for (Group g : groups) {
            used += g.pool.capacity() - g.pool.freeCount();
        }
        return used;
    }

    /** Pages summed over the pools of all groups. */
    public int totalPages() {
        int total = 0;
        for (Group g : groups) {
            total += g.pool.capacity();
        }
        return total;
    }

    /** A new, empty sequence. */
    public Sequence newSequence() {
        return new Sequence();
    }

    /**
     * The prefix cache of this KV cache, created on first call: from then on full pages can be shared
     * by content and pages only the prefix cache holds are reclaimed when a pool runs dry.
     */
    public PrefixCache prefixCache() {
        if (prefixCache == null) {
            prefixCache = new PrefixCache(this);
        }
        return prefixCache;
    }

    // Package access for PrefixCache.
    int groupCount() {
        return groups.length;
    }

    int groupWindow(int g) {
        return groups[g].window;
    }

    PagePool pool(int g) {
        return groups[g].pool;
    }

    /** A free page of group g, reclaiming prefix-cache pages if none is free; -1 if none can be had. */
    private int allocate(int g) {
        PagePool pool = groups[g].pool;
        int page = pool.allocate();
        while (page < 0 && prefixCache != null && prefixCache.evictOne(g)) {
            page = pool.allocate();
        }
        return page;
    }

    @Override
    public void close() {
        arena.close();
    }

    /** One sequence's page tables and length. Close it to return its pages. */
    public final class Sequence implements AutoCloseable {
        private final int[][] tables = new int[groups.length][];
        private int length;
        private boolean closed;

        private Sequence() {
            Arrays.setAll(tables, g -> new int[0]);
        }

        /** The cache this sequence's pages belong to. */
        public KvCache cache() {
            return KvCache.this;
        }

        /** Positions stored so far (the next position to write). */
        public int length() {
            return length;
        }

        /** The page table layer {@code l} uses (valid until the next {@link #reserve}). */
        public int[] pageTable(int l) {
            return tables[groupOfLayer[l]];
        }

        /**
         * Maps pages for positions {@code [length, length + count)} in every group, and in windowed
         * groups returns pages no query from {@code length} on can see. Call before a step that
         * stores {@code count} new positions; then {@link #advance}.
         *
         * @throws KvCacheFullException if a pool runs out (nothing is changed in that group's table
         *     beyond the pages already reserved)
         */
        public void reserve(int count) {
            ensureOpen();
            int end = length + count;
            for (int g = 0; g < groups.length; g++) {
                Group group = groups[g];
                int[] table = tables[g];
                int needed = (int) ceilDiv(end, pageSize);
                if (table.length < needed) {
                    int old = table.length;
                    table = Arrays.copyOf(table, Math.max(needed, old * 2));
                    Arrays.fill(table, old, table.length, -1);
                    tables[g] = table;
                }
                if (group.window > 0) {
                    // No query from `length` on sees positions before its window: free those pages.
                    int firstVisible = Math.max(0, length - group.window + 1);
                    for (int p = 0; p < firstVisible / pageSize; p++) {
                        if (table[p] >= 0) {
                            group.pool.release(table[p]);
                            table[p] = -1;
                        }
                    }
                }
                for (int p = length / pageSize; p < needed; p++) {
                    if (table[p] < 0) {
                        int page = allocate(g);
                        if (page < 0) {
                            throw new KvCacheFullException("KV cache full: no free page for position "
                                    + (p * pageSize) + " (pool of " + group.pool.capacity() + " pages of "
                                    + pageSize + " positions" + (group.window > 0 ? ", window " + group.window : "")
                                    + ")");
                        }
                        table[p] = page;
                    }
                }
            }
        }

        /** Marks {@code count} more positions as stored. */
        public void advance(int count) {
            ensureOpen();
            length += count;
        }

        /**
         * Forgets positions from {@code newLength} on (for example to re-run a shorter prompt);
         * their pages return to the pool.
         */
        public void truncate(int newLength) {
            ensureOpen();
            if (newLength < 0 || newLength > length) {
                throw new IllegalArgumentException("cannot truncate length " + length + " to " + newLength);
            }
            if (!canTruncate(newLength)) {
                throw new IllegalStateException("cannot rewind to position " + newLength
                        + ": a sliding-window layer no longer holds the positions it would need");
            }
            if (newLength % pageSize != 0) {
                for (int g = 0; g < groups.length; g++) {
                    int page = tables[g][newLength / pageSize];
                    if (page >= 0 && groups[g].pool.refCount(page) > 1) {
                        throw new IllegalStateException("cannot rewind to position " + newLength
                                + ": its page is shared with another sequence and would be overwritten");
                    }
                }
            }
            for (int g = 0; g < groups.length; g++) {
                int[] table = tables[g];
                for (int p = (int) ceilDiv(newLength, pageSize); p < table.length; p++) {
                    if (table[p] >= 0) {
                        groups[g].pool.release(table[p]);
                        table[p] = -1;
                    }
                }
            }
            length = newLength;
        }

        /**
         * Whether {@link #truncate} to {@code newLength} keeps everything a query at that position
         * would see: a sliding-window layer may already have dropped it.
         */
        public boolean canTruncate(int newLength) {
            if (newLength < 0 || newLength > length) {
                return false;
            }
            for (int g = 0; g < groups.length; g++) {
                int firstNeeded = groups[g].window > 0 ? Math.max(0, newLength - groups[g].window + 1) : 0;
                for (int p = firstNeeded / pageSize; p < ceilDiv(newLength, pageSize); p++) {
                    if (p >= tables[g].length || tables[g][p] < 0) {
                        return false;
                    }
                }
            }
            return true;
        }

        // Package access for PrefixCache.
        int[] table(int g) {
            return tables[g];
        }

        /** Maps logical page {@code logical} of group g to the shared {@code page} (one more reference). */
        void adopt(int g, int logical, int page) {
            ensureOpen();
            int[] table = tables[g];
            if (table.length <= logical) {
                int old = table.length;
                table = Arrays.copyOf(table, Math.max(logical + 1, old * 2));
                Arrays.fill(table, old, table.length, -1);
                tables[g] = table;
            }
            if (table[logical] >= 0) {
                throw new IllegalStateException("logical page " + logical + " is already mapped");
            }
            groups[g].pool.retain(page);
            table[logical] = page;
        }

        /** Sets the length of a sequence whose pages were adopted. */
        void setLength(int newLength) {
            ensureOpen();
            length = newLength;
        }

        public boolean isClosed() {
            return closed;
        }

        private void ensureOpen() {
            if (closed) {
                throw new IllegalStateException("sequence is closed");
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            for (int g = 0; g < groups.length; g++) {
                for (int page : tables[g]) {
                    if (page >= 0) {
                        groups[g].pool.release(page);
                    }
                }
                tables[g] = new int[0];
            }
            closed = true;
        }
    }
}
