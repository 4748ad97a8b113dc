/*
 * The reference backend: scalar, literal and never optimised, so that it can be believed. Every
 * other backend is tested against it (core/src/test/java/dev/vireo/ops: the conformance suite), and
 * it is itself checked against hand-computed cases (RefOpsTest).
 *
 * How it stays obviously correct: weights are decoded row by row with the reference codecs
 * (Codecs.decoder) or, for matmul with quantized weights, read code by code (BlockDots); sums are
 * taken in double (integer dot products in long); each op follows its definition as written
 * (Ops.matmul's ggml-style activation conversion; model-spec.md §1.2 RMSNorm, §1.3 attention with
 * sinks and masks, §1.4 RoPE); results are rounded to float once at the end. It overrides none of
 * Ops' fused default methods.
 */
package dev.vireo.ops.ref;

import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.KvPages;
import dev.vireo.ops.OpChecks;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.ActivationQuantizer;
import dev.vireo.tensor.quant.ActivationQuantizers;
import dev.vireo.tensor.quant.Codecs;
import dev.vireo.tensor.quant.VecDotType;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/** The scalar oracle implementation of {@link Ops}. Stateless; safe to share between threads. */
public final class RefOps implements Ops {

    private static final Set<DType> MATMUL_TYPES = EnumSet.of(DType.F32, DType.F16, DType.BF16, DType.Q8_0,
            DType.Q4_0, DType.Q4_1, DType.Q5_0, DType.Q5_1, DType.Q4_K, DType.Q5_K, DType.Q6_K, DType.MXFP4);

    @Override
    public String name() {
        return "ref";
    }

    @Override
    public Set<DType> matmulTypes() {
        return EnumSet.copyOf(MATMUL_TYPES);
    }

    /** Row {@code r} of a weight or table, decoded to F32 by the reference codec. */
    static float[] decodeRow(Tensor t, long r) {
        return Codecs.decoder(t.type()).decode(t.data(), r * t.rowBytes(), t.cols());
    }

    private static void requireWeightType(String op, Tensor w) {
        if (!MATMUL_TYPES.contains(w.type())) {
            throw new IllegalArgumentException(op + ": weight type " + w.type() + " of " + w + " is not supported");
        }
    }

    @Override
    public void embedding(Tensor table, int[] ids, Tensor out) {
        requireWeightType("embedding", table);
        OpChecks.embedding(table, ids, out);
        int dim = table.cols();
        for (int t = 0; t < ids.length; t++) {
            float[] row = decodeRow(table, ids[t]);
            for (int i = 0; i < dim; i++) {
                out.setFloat((long) t * dim + i, row[i]);
            }
        }
    }

    /**
     * Ops.matmul's definition, literally. Each token row is converted once by the reference
     * activation quantizer (bit for bit ggml's). Float weights are decoded row by row and multiplied
     * with the rounded activations; quantized weights go block by block through BlockDots, which sums
     * integer codes exactly in long and applies the block scales in double.
     *
     * How this relates to ggml: ggml computes the same block terms, but rounds each scale product
     * (d_w·d_x) to float and accumulates in float lanes (with FMA) in an order that differs between
     * its kernels. Its result is therefore within float rounding of this one — a relative error of
     * some 1e-7 per block term — while the activation quantization itself, which moves a result by
     * ~1e-2 relative, is identical here.
     */
    @Override
    public void matmul(Tensor w, Tensor x, Tensor out) {
        requireWeightType("matmul", w);
        OpChecks.matmul(w, x, out);
        int n = x.rows();
        int in = w.cols();
        int outDim = w.rows();
        VecDotType vt = VecDotType.forWeight(w.type());
        ActivationQuantizer quantizer = ActivationQuantizers.of(vt);
        MemorySegment[] acts = new MemorySegment[n];
        for (int t = 0; t < n; t++) {
            acts[t] = quantizer.quantize(decodeRow(x, t));
        }
        BlockDots.BlockDot dot = BlockDots.of(w.type());
        if (dot == null) {
            // F32 / F16 / BF16: the converted activations have the layout of that DType.
            float[][] xs = new float[n][];
            for (int t = 0; t < n; t++) {
                xs[t] = Codecs.decoder(w.type()).decode(acts[t], 0, in);
            }
            for (int o = 0; o < outDim; o++) {
                float[] wRow = decodeRow(w, o);
                for (int t = 0; t < n; t++) {
                    double sum = 0;
                    for (int i = 0; i < in; i++) {
                        sum += (double) wRow[i] * xs[t][i];
                    }
                    out.setFloat((long) t * outDim + o, (float) sum);
                }
            }
            return;
        }
        int blocks = in / w.type().blockSize();
        long wBlock = w.type().blockBytes();
        long aBlock = vt.blockBytes();
        for (int o = 0; o < outDim; o++) {
            long row = o * w.rowBytes();
            for (int t = 0; t < n; t++) {
                double sum = 0;
                for (int b = 0; b < blocks; b++) {
                    sum += dot.dot(w.data(), row + b * wBlock, acts[t], b * aBlock);
                }
                out.setFloat((long) t * outDim + o, (float) sum);
            }
        }
    }

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        OpChecks.rmsNorm(x, weight, out);
        int dim = x.cols();
        float[] g = Codecs.decoder(weight.type()).decode(weight.data(), 0, dim);
        for (int t = 0; t < x.rows(); t++) {
            long base = (long) t * dim;
            double sumSq = 0;
            for (int i = 0; i < dim; i++) {
                double v = x.getFloat(base + i);
                sumSq += v * v;
            }
            double inv = 1 / Math.sqrt(sumSq / dim + eps);
            for (int i = 0; i < dim; i++) {
                out.setFloat(base + i, (float) (x.getFloat(base + i) * inv * g[i]));
            }
        }
    }

    /**
     * The angle is the exact product position·θ_i (taken in double), cos and sin are scaled by the
     * attention factor, and pairs are rotated as RopeLayout says (model-spec.md §1.4).
     */
    @Override
    public void rope(Tensor x, int headDim, int[] positions, RopeTable table) {
        OpChecks.rope(x, headDim, positions, table);
        int half = table.rotaryDim() / 2;
        int width = x.cols();
        for (int t = 0; t < x.rows(); t++) {
            for (int head = 0; head < width / headDim; head++) {
                long base = (long) t * width + (long) head * headDim;
                for (int i = 0; i < half; i++) {
                    double angle = (double) positions[t] * table.invFreq(i);
                    double cos = Math.cos(angle) * table.attentionFactor();
                    double sin = Math.sin(angle) * table.attentionFactor();
                    long a = table.layout() == RopeLayout.NEOX ? base + i : base + 2L * i;
                    long b = table.layout() == RopeLayout.NEOX ? base + i + half : base + 2L * i + 1;
                    double x1 = x.getFloat(a);
                    double x2 = x.getFloat(b);
                    x.setFloat(a, (float) (x1 * cos - x2 * sin));
                    x.setFloat(b, (float) (x2 * cos + x1 * sin));
                }
            }
        }
    }

    @Override
    public void kvStore(Tensor k, Tensor v, KvPages kv, int[] pageTable, int[] positions) {
        OpChecks.kvStore(k, v, kv, pageTable, positions);
        int kvDim = kv.kvDim();
        for (int t = 0; t < positions.length; t++) {
            long row = kv.row(pageTable, positions[t]);
            for (int i = 0; i < kvDim; i++) {
                kv.keys().setFloat(row * kvDim + i, k.getFloat((long) t * kvDim + i));
                kv.values().setFloat(row * kvDim + i, v.getFloat((long) t * kvDim + i));
            }
        }
    }

    /**
     * For each query row and head: the explicit score vector over the visible keys, the sink logit
     * joining the softmax denominator only, then the weighted sum of values (model-spec.md §1.3).
     */
    @Override
    public void attention(Tensor q, KvPages kv, int[] pageTable, int[] positions, AttentionSpec spec, Tensor sinks,
            Tensor out) {
        OpChecks.attention(q, kv, pageTable, positions, spec, sinks, out);
        int hd = spec.headDim();
        int kvDim = spec.kvDim();
        int width = spec.heads() * hd;
        for (int t = 0; t < positions.length; t++) {
            int pos = positions[t];
            int first = spec.firstVisible(pos);
            for (int h = 0; h < spec.heads(); h++) {
                long qBase = (long) t * width + (long) h * hd;
                long kvOffset = (long) (h / spec.groupSize()) * hd;
                double[] scores = new double[pos - first + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = first; j <= pos; j++) {
                    long kBase = kv.row(pageTable, j) * kvDim + kvOffset;
                    double dot = 0;
                    for (int i = 0; i < hd; i++) {
                        dot += (double) q.getFloat(qBase + i) * kv.keys().getFloat(kBase + i);
                    }
                    scores[j - first] = dot * spec.scale();
                    max = Math.max(max, scores[j - first]);
                }
                double sink = sinks == null ? Double.NEGATIVE_INFINITY : sinks.getFloat(h);
                max = Math.max(max, sink);
                double denominator = sinks == null ? 0 : Math.exp(sink - max);
                double[] acc = new double[hd];
                for (int j = first; j <= pos; j++) {
                    double weight = Math.exp(scores[j - first] - max);
                    denominator += weight;
                    long vBase = kv.row(pageTable, j) * kvDim + kvOffset;
                    for (int i = 0; i < hd; i++) {
                        acc[i] += weight * kv.values().getFloat(vBase + i);
                    }
                }
                for (int i = 0; i < hd; i++) {
                    out.setFloat(qBase + i, (float) (acc[i] / denominator));
                }
            }
        }
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, Tensor out) {
        OpChecks.sameShape("swiglu", gate, up);
        OpChecks.sameShape("swiglu", gate, out);
        long count = gate.shape().elementCount();
        for (long i = 0; i < count; i++) {
            double g = gate.getFloat(i);
            double silu = g / (1 + Math.exp(-g));
            out.setFloat(i, (float) (silu * up.getFloat(i)));
        }
    }

    @Override
    public void softmax(Tensor x) {
        OpChecks.f32("softmax", x);
        int cols = x.cols();
        for (int t = 0; t < x.rows(); t++) {
            long base = (long) t * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < cols; i++) {
                max = Math.max(max, x.getFloat(base + i));
            }
            double sum = 0;
            for (int i = 0; i < cols; i++) {
                sum += Math.exp(x.getFloat(base + i) - max);
            }
            for (int i = 0; i < cols; i++) {
                x.setFloat(base + i, (float) (Math.exp(x.getFloat(base + i) - max) / sum));
            }
        }
    }

    /** Selection by repeated scans: pick the largest not yet taken, the lowest index winning ties. */
    @Override
    public void topK(Tensor x, int k, int[] indices, float[] values) {
        OpChecks.topK(x, k, indices, values);
        int cols = x.cols();
        for (int t = 0; t < x.rows(); t++) {
            boolean[] taken = new boolean[cols];
            for (int j = 0; j < k; j++) {
                int best = -1;
                for (int i = 0; i < cols; i++) {
                    float v = x.getFloat((long) t * cols + i);
                    if (!taken[i] && (best < 0 || v > x.getFloat((long) t * cols + best))) {
                        best = i;
                    }
                }
                taken[best] = true;
                indices[t * k + j] = best;
                values[t * k + j] = x.getFloat((long) t * cols + best);
            }
        }
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        OpChecks.add(a, b, out);
        int cols = a.cols();
        for (int t = 0; t < a.rows(); t++) {
            int bRow = b.rows() == 1 ? 0 : t;
            for (int i = 0; i < cols; i++) {
                double sum = (double) a.getFloat((long) t * cols + i) + b.getFloat((long) bRow * cols + i);
                out.setFloat((long) t * cols + i, (float) sum);
            }
        }
    }

    @Override
    public void scale(Tensor x, float s) {
        OpChecks.f32("scale", x);
        long count = x.shape().elementCount();
        for (long i = 0; i < count; i++) {
            x.setFloat(i, (float) ((double) x.getFloat(i) * s));
        }
    }

    @Override
    public int argmax(Tensor x, int row) {
        OpChecks.argmax(x, row);
        int cols = x.cols();
        int best = 0;
        for (int i = 1; i < cols; i++) {
            if (x.getFloat((long) row * cols + i) > x.getFloat((long) row * cols + best)) {
                best = i;
            }
        }
        return best;
    }
}
