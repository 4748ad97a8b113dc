/*
 * Prompt-prefix caching over the paged KV cache (vLLM's automatic prefix caching): every full page a
 * sequence has written is registered under the hash of its tokens chained to the hash of the pages
 * before it, so the entry of page k stands for exactly tokens [0, (k+1)·pageSize). A new sequence
 * whose prompt starts with cached pages maps them into its page tables (one more reference each)
 * instead of computing them again: a system prompt repeated by every request is computed once.
 *
 * Entries hold one reference to their pages, so a page outlives the sequence that wrote it; when a
 * pool runs dry, KvCache asks evictOne to drop the least recently used leaf entry whose page nobody
 * else holds. Leaves go first, so a cached chain never loses a page in its middle (sliding-window
 * groups, which only need a prefix's last pages, give up single pages instead). Hash collisions
 * cannot alias two prefixes: an entry also keeps its tokens and its parent, and both are compared.
 *
 * Sliding-window groups: an entry records the page of every group the writing sequence still held
 * (a windowed group drops pages that left its window); a prefix is reused only up to a length whose
 * window is entirely present.
 *
 * Not thread-safe: it belongs to the thread that owns the KV cache. Tested by PrefixCacheTest, and
 * end to end (outputs unchanged by reuse) by BatchEngineTest.
 */
package dev.vireo.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Content-addressed sharing of full KV pages between the sequences of one KvCache. */
public final class PrefixCache {

    /** One cached full page: tokens [depth·pageSize, (depth+1)·pageSize) after {@code parent}'s. */
    private static final class Entry {
        final long hash;
        final Entry parent;
        final int[] tokens;
        final int[] pages;   // per group; -1 where the writer no longer held the page
        final int depth;
        int children;
        long lastUse;

        Entry(long hash, Entry parent, int[] tokens, int[] pages) {
            this.hash = hash;
            this.parent = parent;
            this.tokens = tokens;
            this.pages = pages;
            this.depth = parent == null ? 0 : parent.depth + 1;
        }
    }

    /**
     * Where a sequence stands in the cache: how many of its full pages are registered, and the entry
     * of the last one. Obtained from {@link #attach}, advanced by {@link #publish}.
     */
    public static final class Chain {
        private int pages;
        private Entry last;
        private boolean broken;

        /** Full pages of the sequence known to the cache. */
        public int pages() {
            return pages;
        }
    }

    private final KvCache cache;
    private final int pageSize;
    private final Map<Long, Entry> entries = new HashMap<>();
    private long clock;
    private long hitTokens;
    private long evictions;

    PrefixCache(KvCache cache) {
        this.cache = cache;
        this.pageSize = cache.pageSize();
    }

    /**
     * Maps into the empty sequence {@code seq} the longest run of cached full pages that the tokens
     * start with, using at most {@code maxTokens} tokens, and sets its length accordingly.
     *
     * @return the chain to {@link #publish} the sequence's further pages on
     */
    public Chain attach(KvCache.Sequence seq, int[] tokens, int maxTokens) {
        if (seq.length() != 0) {
            throw new IllegalStateException("attach needs an empty sequence, this one holds " + seq.length());
        }
        List<Entry> found = new ArrayList<>();
        Entry parent = null;
        int limit = Math.min(maxTokens, tokens.length) / pageSize;
        for (int k = 0; k < limit; k++) {
            Entry e = find(parent, tokens, k);
            if (e == null) {
                break;
            }
            found.add(e);
            parent = e;
        }
        int usable = found.size();
        while (usable > 0 && !complete(found, usable)) {
            usable--;
        }
        Chain chain = new Chain();
        if (usable == 0) {
            return chain;
        }
        long now = ++clock;
        for (int g = 0; g < cache.groupCount(); g++) {
            for (int k = firstNeeded(g, usable); k < usable; k++) {
                seq.adopt(g, k, found.get(k).pages[g]);
            }
        }
        for (int k = 0; k < usable; k++) {
            found.get(k).lastUse = now;
        }
        seq.setLength(usable * pageSize);
        chain.pages = usable;
        chain.last = found.get(usable - 1);
        hitTokens += (long) usable * pageSize;
        return chain;
    }

    /**
     * Registers the full pages of {@code seq} beyond those the chain knows; {@code tokens} holds at
     * least the sequence's {@code length()} tokens. Pages whose content is already cached (written
     * by another sequence at the same time) stay the sequence's own, and the chain follows the cached
     * entry.
     */
    public void publish(Chain chain, KvCache.Sequence seq, int[] tokens) {
        int full = seq.length() / pageSize;
        long now = ++clock;
        while (!chain.broken && chain.pages < full) {
            int k = chain.pages;
            Entry existing = find(chain.last, tokens, k);
            if (existing == null) {
                long h = hash(chain.last, tokens, k);
                if (entries.containsKey(h)) {
                    chain.broken = true;   // a different prefix with the same hash: stop caching this one
                    return;
                }
                int[] pages = new int[cache.groupCount()];
                for (int g = 0; g < pages.length; g++) {
                    int[] table = seq.table(g);
                    pages[g] = k < table.length ? table[k] : -1;
                    if (pages[g] >= 0) {
                        cache.pool(g).retain(pages[g]);
                    }
                }
                existing = new Entry(h, chain.last, Arrays.copyOfRange(tokens, k * pageSize, (k + 1) * pageSize),
                        pages);
                entries.put(h, existing);
                if (chain.last != null) {
                    chain.last.children++;
                }
            }
            existing.lastUse = now;
            chain.last = existing;
            chain.pages++;
        }
    }

    /**
     * Frees one page of group g that only the cache holds. In a full-attention group that drops the
     * least recently used leaf entry whole (deeper entries first among equally recent ones), so no
     * chain loses a page in its middle. A sliding-window group only ever needs the last pages of a
     * prefix, so there the least recently used such page is dropped from its entry (earlier
     * positions first), leaving the entry for the other groups.
     *
     * @return false when no page of that group can be freed
     */
    boolean evictOne(int g) {
        boolean windowed = cache.groupWindow(g) > 0;
        Entry victim = null;
        PagePool pool = cache.pool(g);
        for (Entry e : entries.values()) {
            if ((windowed || e.children == 0) && e.pages[g] >= 0 && pool.refCount(e.pages[g]) == 1
                    && (victim == null || e.lastUse < victim.lastUse
                        || e.lastUse == victim.lastUse && deeperFirst(e, victim, windowed))) {
                victim = e;
            }
        }
        if (victim == null) {
            return false;
        }
        if (windowed) {
            pool.release(victim.pages[g]);
            victim.pages[g] = -1;
            if (victim.children == 0 && Arrays.stream(victim.pages).allMatch(p -> p < 0)) {
                remove(victim);
            }
        } else {
            remove(victim);
        }
        evictions++;
        return true;
    }

    /** Among equally recent entries: deeper first (full attention), shallower first (windowed). */
    private static boolean deeperFirst(Entry e, Entry victim, boolean windowed) {
        return windowed ? e.depth < victim.depth : e.depth > victim.depth;
    }

    /** Drops every entry (their pages return to the pools unless a sequence still holds them). */
    public void clear() {
        for (Entry e : entries.values()) {
            release(e);
        }
        entries.clear();
    }

    /** Cached full pages (entries). */
    public int entries() {
        return entries.size();
    }

    /** Pages, summed over groups, that only the cache holds: reclaimable at any time. */
    public int reclaimablePages() {
        int n = 0;
        for (Entry e : entries.values()) {
            for (int g = 0; g < e.pages.length; g++) {
                if (e.pages[g] >= 0 && cache.pool(g).refCount(e.pages[g]) == 1) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Prompt tokens served from the cache so far. */
    public long hitTokens() {
        return hitTokens;
    }

    /** Entries dropped to make room so far. */
    public long evictions() {
        return evictions;
    }

    private void remove(Entry e) {
        entries.remove(e.hash);
        if (e.parent != null) {
            e.parent.children--;
        }
        release(e);
    }

    private void release(Entry e) {
        for (int g = 0; g < e.pages.length; g++) {
            if (e.pages[g] >= 0) {
                cache.pool(g).release(e.pages[g]);
            }
        }
    }

    /** The entry for page k of tokens after {@code parent}, if cached with exactly this content. */
    private Entry find(Entry parent, int[] tokens, int k) {
        Entry e = entries.get(hash(parent, tokens, k));
        if (e == null || e.parent != parent) {
            return null;
        }
        return Arrays.equals(e.tokens, 0, pageSize, tokens, k * pageSize, (k + 1) * pageSize) ? e : null;
    }

    /** Whether every group has the pages a query at position usable·pageSize needs. */
    private boolean complete(List<Entry> found, int usable) {
        for (int g = 0; g < cache.groupCount(); g++) {
            for (int k = firstNeeded(g, usable); k < usable; k++) {
                if (found.get(k).pages[g] < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The first logical page group g needs for a query at position pages·pageSize. */
    private int firstNeeded(int g, int pages) {
        int w = cache.groupWindow(g);
        return w == 0 ? 0 : Math.max(0, pages * pageSize - w + 1) / pageSize;
    }

    /** A 64-bit hash of page k's tokens chained to the parent's hash (FNV-style mixing, then a finaliser). */
    private long hash(Entry parent, int[] tokens, int k) {
        long h = parent == null ? 0x9E3779B97F4A7C15L : parent.hash;
        for (int i = k * pageSize; i < (k + 1) * pageSize; i++) {
            h = (h ^ tokens[i]) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }
}
