/*
 * Test tooling: an Ops decorator that rounds matmul activations the way llama.cpp's CPU backend does
 * before a quantized dot product. ggml multiplies a quantized weight by activations converted to the
 * weight type's vec_dot_type: for Q4_0, Q5_0, Q8_0 and MXFP4 that is Q8_0 (32 int8 values and an F16
 * scale per block, ggml-cpu.c type_traits_cpu), an error of ~0.4% per activation that moves a tiny
 * model's logits by ~1e-2 of their scale. Vireo's CPU matmul multiplies F32 activations (the
 * reference's maths); this decorator feeds it activations already rounded through Q8_0 (Vireo's
 * bit-exact Q8_0 quantizer), so that a golden test can hold everything else about a model to
 * llama.cpp's logits at 1e-6 — and shows that the remaining difference is exactly that rounding.
 * Every other op is passed through unchanged.
 */
package dev.vireo.reference;

import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.KvPages;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.BlockCodec;
import dev.vireo.tensor.quant.BlockQuantizer;
import dev.vireo.tensor.quant.Codecs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/** {@code ops} with llama.cpp's Q8_0 rounding of the activations of quantized matmuls. */
public final class LlamaCppActivations implements Ops {
    /** Weight types whose llama.cpp CPU dot product takes Q8_0 activations. */
    static final Set<DType> Q8_0_ACTIVATIONS = EnumSet.of(DType.Q4_0, DType.Q5_0, DType.Q8_0, DType.MXFP4);

    private final Ops ops;
    private final BlockQuantizer q8 = Codecs.quantizer(DType.Q8_0).orElseThrow();
    private final BlockCodec q8Decoder = Codecs.decoder(DType.Q8_0);

    public LlamaCppActivations(Ops ops) {
        this.ops = ops;
    }

    @Override
    public String name() {
        return ops.name() + "+q8act";
    }

    @Override
    public Set<DType> matmulTypes() {
        return ops.matmulTypes();
    }

    @Override
    public Tensor allocate(Arena a, String name, long... dims) {
        return ops.allocate(a, name, dims);
    }

    @Override
    public void matmul(Tensor w, Tensor x, Tensor out) {
        if (!Q8_0_ACTIVATIONS.contains(w.type()) || x.cols() % 32 != 0) {
            ops.matmul(w, x, out);
            return;
        }
        Tensor rounded = ops.allocate(Arena.ofAuto(), x.name(), x.rows(), x.cols());
        float[] row = new float[x.cols()];
        MemorySegment blocks = MemorySegment.ofArray(new byte[(int) DType.Q8_0.rowBytes(row.length)]);
        for (long r = 0; r < x.rows(); r++) {
            MemorySegment.copy(x.data(), Tensor.F32_LE, r * 4 * row.length, row, 0, row.length);
            q8.quantize(row, 0, row.length, blocks, 0);
            q8Decoder.decode(blocks, 0, row, 0, row.length);
            MemorySegment.copy(row, 0, rounded.data(), Tensor.F32_LE, r * 4 * row.length, row.length);
        }
        ops.matmul(w, rounded, out);
    }

    @Override
    public void embedding(Tensor table, int[] ids, Tensor out) {
        ops.embedding(table, ids, out);
    }

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        ops.rmsNorm(x, weight, eps, out);
    }

    @Override
    public void rope(Tensor x, int headDim, int[] positions, RopeTable table) {
        ops.rope(x, headDim, positions, table);
    }

    @Override
    public void kvStore(Tensor k, Tensor v, KvPages kv, int[] pageTable, int[] positions) {
        ops.kvStore(k, v, kv, pageTable, positions);
    }

    @Override
    public void attention(Tensor q, KvPages kv, int[] pageTable, int[] positions, AttentionSpec spec, Tensor sinks,
            Tensor out) {
        ops.attention(q, kv, pageTable, positions, spec, sinks, out);
    }

    @Override
    public void swiglu(Tensor gate, Tensor up, Tensor out) {
        ops.swiglu(gate, up, out);
    }

    @Override
    public void swigluOai(Tensor gate, Tensor up, float alpha, float limit, Tensor out) {
        ops.swigluOai(gate, up, alpha, limit, out);
    }

    @Override
    public void gatherRows(Tensor x, int[] rows, Tensor out) {
        ops.gatherRows(x, rows, out);
    }

    @Override
    public void scatterAdd(Tensor x, int[] rows, float[] weights, Tensor out) {
        ops.scatterAdd(x, rows, weights, out);
    }

    @Override
    public void softmax(Tensor x) {
        ops.softmax(x);
    }

    @Override
    public void topK(Tensor x, int k, int[] indices, float[] values) {
        ops.topK(x, k, indices, values);
    }

    @Override
    public void add(Tensor a, Tensor b, Tensor out) {
        ops.add(a, b, out);
    }

    @Override
    public void scale(Tensor x, float s) {
        ops.scale(x, s);
    }

    @Override
    public int argmax(Tensor x, int row) {
        return ops.argmax(x, row);
    }

    /** Closes the wrapped backend too. */
    @Override
    public void close() {
        ops.close();
    }
}
