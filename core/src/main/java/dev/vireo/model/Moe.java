/*
 * The mixture-of-experts feed-forward, written once against Ops (the counterpart of llama.cpp's
 * build_moe_ffn): a router scores the experts for every token, each token runs through the k experts
 * it picks, and their outputs, weighted by the router, are added to the residual stream.
 *
 * Tokens are grouped by expert, so that a prefill step runs one batched matmul per expert that
 * received any token (rows gathered into a contiguous block, results scattered back with their
 * weights), never one matmul per token; a decode step runs k small ones. Nothing is allocated per
 * step beyond the routing's index arrays: activations live in the session's Workspace.
 *
 * gpt-oss's variant (model-spec.md §1.5): router and experts with biases, softmax over the top-k
 * logits only, clamped SwiGLU with the +1 on up, the down bias added before the routing weight.
 * Other families differ only in Spec (their gating and activation) and in the null biases.
 * Tested through the gpt-oss model tests (GptOssGoldenTest against llama.cpp, GptOssLayoutsTest).
 */
package dev.vireo.model;

import dev.vireo.ops.Ops;
import dev.vireo.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/** The shared MoE block. */
public final class Moe {
    private Moe() {}

    /** How the router's logits become the weights of the chosen experts. */
    public enum Gating {
        /** The k largest raw logits, then a softmax over those k only (gpt-oss). */
        SOFTMAX_OF_TOP_K
    }

    /** The gated activation between an expert's up and down projections. */
    public sealed interface Activation {
        /** silu(gate)·up (Mixtral, Qwen-MoE). */
        record Swiglu() implements Activation {}

        /** gpt-oss: min(gate, limit)·σ(alpha·min(gate, limit))·(clamp(up, ±limit) + 1). */
        record SwigluOai(float alpha, float limit) implements Activation {}
    }

    /**
     * @param expertsPerToken k, the experts each token runs through
     * @param gating how the chosen experts are weighted
     * @param activation the experts' gated activation
     */
    public record Spec(int expertsPerToken, Gating gating, Activation activation) {
        public Spec {
            if (expertsPerToken <= 0) {
                throw new IllegalArgumentException("experts per token must be positive, got " + expertsPerToken);
            }
        }
    }

    /**
     * One expert's feed-forward, as views into the model's weights.
     *
     * @param gate [ffn, hidden]
     * @param gateBias F32 [ffn] or null
     * @param up [ffn, hidden]
     * @param upBias F32 [ffn] or null
     * @param down [hidden, ffn]
     * @param downBias F32 [hidden] or null
     */
    public record Expert(Tensor gate, Tensor gateBias, Tensor up, Tensor upBias, Tensor down, Tensor downBias) {}

    /**
     * One MoE block's weights.
     *
     * @param router [experts, hidden]
     * @param routerBias F32 [experts] or null
     * @param experts one entry per expert, in the router's order
     */
    public record Weights(Tensor router, Tensor routerBias, List<Expert> experts) {
        public Weights {
            experts = List.copyOf(experts);
            if (router.rows() != experts.size()) {
                throw new IllegalArgumentException("router scores " + router.rows() + " experts, " + experts.size()
                        + " given");
            }
        }
    }

    /**
     * Adds the MoE output of the normalised rows {@code h} [n, hidden] to {@code residual} [n, hidden]
     * (the block's residual connection: {@code residual += MoE(h)}).
     */
    public static void addTo(Ops ops, Workspace ws, Weights w, Spec spec, Tensor h, Tensor residual) {
        int n = h.rows();
        int k = spec.expertsPerToken();
        int experts = w.experts().size();
        if (k > experts) {
            throw new IllegalArgumentException(k + " experts per token of " + experts);
        }
        Tensor logits = ws.get("moe.logits", n, experts); // [n, experts]
        Blocks.linear(ops, w.router(), w.routerBias(), h, logits);
        int[] chosen = new int[n * k];    // token t's experts at [t·k, t·k + k)
        float[] weight = new float[n * k]; // and their routing weights
        ops.topK(logits, k, chosen, weight);
        switch (spec.gating()) {
            case SOFTMAX_OF_TOP_K -> softmaxEach(weight, k);
        }

        // Group the (token, weight) pairs by expert: a counting sort, tokens in order within an expert.
        int[] start = new int[experts + 1];
        for (int e : chosen) {
            start[e + 1]++;
        }
        for (int e = 0; e < experts; e++) {
            start[e + 1] += start[e];
        }
        int[] tokens = new int[n * k];
        float[] tokenWeights = new float[n * k];
        int[] fill = Arrays.copyOf(start, experts);
        for (int s = 0; s < n * k; s++) {
            int at = fill[chosen[s]]++;
            tokens[at] = s / k;
            tokenWeights[at] = weight[s];
        }

        int hidden = h.cols();
        for (int e = 0; e < experts; e++) {
            int m = start[e + 1] - start[e];
            if (m == 0) {
                continue;
            }
            Expert ex = w.experts().get(e);
            int ffn = ex.gate().rows();
            int[] rows = Arrays.copyOfRange(tokens, start[e], start[e + 1]);
            float[] rowWeights = Arrays.copyOfRange(tokenWeights, start[e], start[e + 1]);
            Tensor x = ws.get("moe.x", m, hidden);  // [m, hidden] the tokens routed to e
            Tensor g = ws.get("moe.gate", m, ffn);  // [m, ffn]
            Tensor u = ws.get("moe.up", m, ffn);    // [m, ffn]
            Tensor y = ws.get("moe.y", m, hidden);  // [m, hidden] expert e's output
            ops.gatherRows(h, rows, x);
            Blocks.linear(ops, ex.gate(), ex.gateBias(), x, g);
            Blocks.linear(ops, ex.up(), ex.upBias(), x, u);
            switch (spec.activation()) {
                case Activation.Swiglu s -> ops.swiglu(g, u, g);
                case Activation.SwigluOai s -> ops.swigluOai(g, u, s.alpha(), s.limit(), g);
            }
            Blocks.linear(ops, ex.down(), ex.downBias(), g, y);
            ops.scatterAdd(y, rows, rowWeights, residual);
        }
    }

    /** Softmax, in place, of each group of {@code k} values (max subtracted first, sums in double). */
    static void softmaxEach(float[] v, int k) {
        for (int o = 0; o < v.length; o += k) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, v[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(v[o + j] - max);
            }
            for (int j = 0; j < k; j++) {
                v[o + j] = (float) (Math.exp(v[o + j] - max) / sum);
            }
        }
    }
}
