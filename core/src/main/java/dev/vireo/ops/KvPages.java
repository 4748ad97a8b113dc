/*
 * The key/value storage of one attention layer, in fixed-size pages. A sequence finds position p
 * through its page table: physical page pageTable[p / pageSize], slot p % pageSize. Pages are what
 * later lets many sequences share one pool and share prompt prefixes without copying, and lets a
 * sliding-window layer hand back pages that fell out of its window.
 */
package dev.vireo.ops;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;

/**
 * One layer's KV pages.
 *
 * @param keys F32 [pages, pageSize, kvDim]
 * @param values F32 [pages, pageSize, kvDim]
 * @param pageSize positions per page
 */
public record KvPages(Tensor keys, Tensor values, int pageSize) {

    public KvPages {
        if (keys.type() != DType.F32 || values.type() != DType.F32) {
            throw new IllegalArgumentException("KV pages are F32, got " + keys.type() + "/" + values.type());
        }
        if (keys.shape().rank() != 3 || !keys.shape().equals(values.shape()) || keys.shape().dim(1) != pageSize) {
            throw new IllegalArgumentException("KV pages must be [pages, " + pageSize + ", kvDim], got keys "
                    + keys.shape() + " values " + values.shape());
        }
    }

    /** Number of physical pages. */
    public int pageCount() {
        return Math.toIntExact(keys.shape().dim(0));
    }

    /** Width of one K or V row. */
    public int kvDim() {
        return Math.toIntExact(keys.shape().dim(2));
    }

    /**
     * Flat row index (into keys/values viewed as [pages·pageSize, kvDim]) of position {@code pos}.
     *
     * @throws IllegalStateException if the position's page is not mapped
     */
    public long row(int[] pageTable, int pos) {
        int logical = pos / pageSize;
        if (logical >= pageTable.length || pageTable[logical] < 0) {
            throw new IllegalStateException("position " + pos + " has no KV page (page table length "
                    + pageTable.length + ")");
        }
        return (long) pageTable[logical] * pageSize + pos % pageSize;
    }
}
