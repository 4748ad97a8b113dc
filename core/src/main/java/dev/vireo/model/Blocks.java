/*
 * The building blocks the families share, written once against Ops: grouped-query self-attention over
 * the paged KV cache (with the optional biases, Q/K norms and sinks of AttentionWeights) and the SwiGLU
 * feed-forward. Each family's forward calls these in the order its paper or reference code does.
 */
package dev.vireo.model;

import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.KvPages;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.Tensor;

/** Shared transformer blocks. */
public final class Blocks {
    private Blocks() {}

    /**
     * Self-attention of the normalised rows {@code h} [n, hidden] at {@code positions}, through one
     * layer's KV pages; writes the projected result to {@code out} [n, hidden].
     */
    public static void attention(Ops ops, Workspace ws, AttentionWeights w, AttentionSpec spec, RopeTable rope,
            float normEps, Tensor h, KvPages kv, int[] pageTable, int[] positions, Tensor out) {
        int n = h.rows();
        int qDim = spec.heads() * spec.headDim();
        Tensor q = ws.get("attn.q", n, qDim);      // [n, heads·headDim]
        Tensor k = ws.get("attn.k", n, spec.kvDim()); // [n, kvHeads·headDim]
        Tensor v = ws.get("attn.v", n, spec.kvDim()); // [n, kvHeads·headDim]
        linear(ops, w.wq(), w.bq(), h, q);
        linear(ops, w.wk(), w.bk(), h, k);
        linear(ops, w.wv(), w.bv(), h, v);
        if (w.qNorm() != null) {
            Tensor perHead = q.reshape((long) n * spec.heads(), spec.headDim());
            ops.rmsNorm(perHead, w.qNorm(), normEps, perHead);
        }
        if (w.kNorm() != null) {
            Tensor perHead = k.reshape((long) n * spec.kvHeads(), spec.headDim());
            ops.rmsNorm(perHead, w.kNorm(), normEps, perHead);
        }
        ops.rope(q, spec.headDim(), positions, rope);
        ops.rope(k, spec.headDim(), positions, rope);
        ops.kvStore(k, v, kv, pageTable, positions);
        Tensor mixed = ws.get("attn.mixed", n, qDim); // [n, heads·headDim]
        ops.attention(q, kv, pageTable, positions, spec, w.sinks(), mixed);
        linear(ops, w.wo(), w.bo(), mixed, out);
    }

    /**
     * Self-attention of a batched step: the projections, norms and RoPE over all rows of {@code h}
     * [rows, hidden] at once, the KV store and attention per segment over its own sequence's pages
     * of layer {@code layer}; the projected result goes to {@code out} [rows, hidden].
     */
    public static void attention(Ops ops, Workspace ws, AttentionWeights w, AttentionSpec spec, RopeTable rope,
            float normEps, Tensor h, StepRows step, int layer, Tensor out) {
        int n = h.rows();
        int qDim = spec.heads() * spec.headDim();
        Tensor q = ws.get("attn.q", n, qDim);      // [n, heads·headDim]
        Tensor k = ws.get("attn.k", n, spec.kvDim()); // [n, kvHeads·headDim]
        Tensor v = ws.get("attn.v", n, spec.kvDim()); // [n, kvHeads·headDim]
        linear(ops, w.wq(), w.bq(), h, q);
        linear(ops, w.wk(), w.bk(), h, k);
        linear(ops, w.wv(), w.bv(), h, v);
        if (w.qNorm() != null) {
            Tensor perHead = q.reshape((long) n * spec.heads(), spec.headDim());
            ops.rmsNorm(perHead, w.qNorm(), normEps, perHead);
        }
        if (w.kNorm() != null) {
            Tensor perHead = k.reshape((long) n * spec.kvHeads(), spec.headDim());
            ops.rmsNorm(perHead, w.kNorm(), normEps, perHead);
        }
        ops.rope(q, spec.headDim(), step.positions(), rope);
        ops.rope(k, spec.headDim(), step.positions(), rope);
        Tensor mixed = ws.get("attn.mixed", n, qDim); // [n, heads·headDim]
        for (int i = 0; i < step.segments().size(); i++) {
            KvCache.Sequence seq = step.segments().get(i).sequence();
            int r = step.start(i);
            int count = step.segments().get(i).count();
            KvPages kv = seq.cache().layer(layer);
            int[] table = seq.pageTable(layer);
            int[] positions = step.positions(i);
            ops.kvStore(k.rows(r, count), v.rows(r, count), kv, table, positions);
            ops.attention(q.rows(r, count), kv, table, positions, spec, w.sinks(), mixed.rows(r, count));
        }
        linear(ops, w.wo(), w.bo(), mixed, out);
    }

    /**
     * The final norm of the rows whose logits a step returns: all rows of an allLogits segment, the
     * last row of the others, gathered into consecutive rows of {@code normed} [step.logitRows(),
     * hidden]. RMSNorm is row-wise, so norming row ranges one call each also gathers them.
     */
    public static void normLogitRows(Ops ops, Tensor x, Tensor weight, float eps, StepRows step, Tensor normed) {
        if (step.logitRows() == step.rows()) {
            ops.rmsNorm(x, weight, eps, normed);
            return;
        }
        int o = 0;
        for (int i = 0; i < step.segments().size(); i++) {
            Decoder.Segment s = step.segments().get(i);
            int first = s.allLogits() ? step.start(i) : step.start(i) + s.count() - 1;
            ops.rmsNorm(x.rows(first, s.logitRows()), weight, eps, normed.rows(o, s.logitRows()));
            o += s.logitRows();
        }
    }

    /** SwiGLU feed-forward: {@code out = down(silu(gate·h) ⊙ up·h)}; h, out [n, hidden]. */
    public static void swigluFeedForward(Ops ops, Workspace ws, Tensor gate, Tensor up, Tensor down, Tensor h,
            Tensor out) {
        int n = h.rows();
        int ffn = Math.toIntExact(gate.shape().dim(0));
        Tensor g = ws.get("ffn.gate", n, ffn);
        Tensor u = ws.get("ffn.up", n, ffn);
        ops.matmul(gate, h, g);
        ops.matmul(up, h, u);
        ops.swiglu(g, u, g);
        ops.matmul(down, g, out);
    }

    /** {@code out = w·x (+ bias)}. */
    public static void linear(Ops ops, Tensor w, Tensor bias, Tensor x, Tensor out) {
        ops.matmul(w, x, out);
        if (bias != null) {
            ops.add(out, bias, out);
        }
    }

    /** Positions {@code start .. start+n−1}. */
    public static int[] positions(int start, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = start + i;
        }
        return p;
    }
}
