/*
 * The shape and masking of one attention layer: grouped-query heads, the softmax scale, an optional
 * sliding window. Sinks and the KV pages are passed to the op separately.
 */
package dev.vireo.ops;

/**
 * @param heads query heads
 * @param kvHeads key/value heads; query head h reads KV head h / (heads / kvHeads)
 * @param headDim dimensions per head (for Q, K and V)
 * @param scale multiplies q·k before the softmax (usually 1/√headDim)
 * @param window sliding window: a query at position p sees keys at positions p−window+1 .. p;
 *     0 means full causal attention
 */
public record AttentionSpec(int heads, int kvHeads, int headDim, float scale, int window) {

    public AttentionSpec {
        if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0 || window < 0) {
            throw new IllegalArgumentException("bad attention spec: heads=" + heads + " kvHeads=" + kvHeads
                    + " headDim=" + headDim + " window=" + window);
        }
    }

    /** Full causal attention with the usual 1/√headDim scale. */
    public static AttentionSpec causal(int heads, int kvHeads, int headDim) {
        return new AttentionSpec(heads, kvHeads, headDim, (float) (1 / Math.sqrt(headDim)), 0);
    }

    /** Width of a K or V row: kvHeads·headDim. */
    public int kvDim() {
        return kvHeads * headDim;
    }

    /** Query heads per KV head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** The first key position a query at {@code pos} may see. */
    public int firstVisible(int pos) {
        return window == 0 ? 0 : Math.max(0, pos - window + 1);
    }
}
