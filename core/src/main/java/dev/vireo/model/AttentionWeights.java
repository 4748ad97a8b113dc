/*
 * The tensors of one self-attention block. The optional parts are what distinguishes the families'
 * attention (like the optional arguments of llama.cpp's build_attn): Qwen2 and gpt-oss have Q/K/V
 * biases, gpt-oss also an output bias and sinks, Qwen3 per-head Q/K norms. Absent parts are null.
 */
package dev.vireo.model;

import dev.vireo.tensor.Tensor;

/**
 * @param wq [heads·headDim, hidden]
 * @param wk [kvHeads·headDim, hidden]
 * @param wv [kvHeads·headDim, hidden]
 * @param wo [hidden, heads·headDim]
 * @param bq [heads·headDim] or null
 * @param bk [kvHeads·headDim] or null
 * @param bv [kvHeads·headDim] or null
 * @param bo [hidden] or null
 * @param qNorm [headDim] RMSNorm weight applied per query head before RoPE, or null
 * @param kNorm [headDim] RMSNorm weight applied per key head before RoPE, or null
 * @param sinks F32 [heads] per-head sink logits, or null
 */
public record AttentionWeights(Tensor wq, Tensor wk, Tensor wv, Tensor wo, Tensor bq, Tensor bk, Tensor bv,
        Tensor bo, Tensor qNorm, Tensor kNorm, Tensor sinks) {

    /** Plain Llama attention: four projections, nothing else. */
    public static AttentionWeights plain(Tensor wq, Tensor wk, Tensor wv, Tensor wo) {
        return new AttentionWeights(wq, wk, wv, wo, null, null, null, null, null, null, null);
    }
}
