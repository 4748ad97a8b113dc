/*
 * The backend SPI: one method per primitive a decoder-only transformer needs. A model's forward pass
 * is written once against this interface; RefOps (scalar oracle), CpuOps (Vector API) and later CudaOps
 * implement it. Fused composites are default methods built from primitives, overridden only to fuse.
 *
 * Conventions: activations are F32 tensors viewed as matrices [rows, cols] (one row per token);
 * weights may be any DType the backend lists in matmulTypes(); outputs are written, never accumulated,
 * unless a method says otherwise; an output may not alias an input unless a method allows it.
 */
package dev.vireo.ops;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.ActivationQuantizers;
import dev.vireo.tensor.quant.VecDotType;
import java.lang.foreign.Arena;
import java.util.Set;

/** The primitive operations of transformer inference, implemented per backend. */
public interface Ops extends AutoCloseable {

    /** A short name for messages and benchmarks ("ref", "cpu", "cuda"). */
    String name();

    /** Weight types {@link #matmul} and {@link #embedding} accept; checked at model load. */
    Set<DType> matmulTypes();

    /** An F32 activation tensor [dims] for this backend, owned by {@code arena}. */
    default Tensor allocate(Arena arena, String name, long... dims) {
        return Tensor.allocateF32(arena, name, dims);
    }

    /** {@code out[t] = table[ids[t]]}, decoded to F32. table [vocab, dim], out [ids.length, dim]. */
    void embedding(Tensor table, int[] ids, Tensor out);

    /**
     * {@code out[t, o] = Σ_i w[o, i] · x[t, i]}: every token row of x times the weight, batched,
     * computed as ggml's CPU backend computes it, so that models agree with llama.cpp. w [outDim,
     * inDim] of any type in {@link #matmulTypes()}, read block by block (never copied to F32 whole);
     * x [n, inDim]; out [n, outDim]. Every backend computes this definition:
     *
     * <ol>
     * <li>Each activation row {@code x[t]} is first converted to the weight type's vec_dot type
     *     ({@link VecDotType#forWeight}) by {@link ActivationQuantizers} — bit for bit ggml's
     *     from_float: kept as is for F32 weights, rounded to F16 / BF16 for F16 / BF16 weights,
     *     quantized to 8-bit blocks of codes q with scale d_x for the rest (Q8_0 for Q8_0, Q4_0,
     *     Q5_0 and MXFP4; Q8_1, which also carries s_x ≈ d_x·Σq, for Q4_1 and Q5_1; Q8_K with 256
     *     values per block for Q4_K, Q5_K and Q6_K).
     * <li>{@code out[t, o]} is the value of ggml's block dot product of weight row o with that
     *     converted row, where c are the weight's integer codes and d_w, m_w, dmin_w, sc, m its
     *     stored scales (model-spec.md §3.3), b runs over 32-value blocks, B over 256-value ones:
     *     <ul>
     *     <li>F32, F16, BF16: Σ_i w_i·x̃_i, x̃ the converted (rounded) activation;
     *     <li>Q8_0, Q4_0, Q5_0: Σ_b d_w·d_x·Σ_j c_j·q_j (c = q8, nibble − 8, five bits − 16);
     *     <li>MXFP4: Σ_b 2^(e−128)·d_x·Σ_j K(c_j)·q_j, K the E2M1 values doubled;
     *     <li>Q4_1, Q5_1: Σ_b (d_w·d_x·Σ_j c_j·q_j + m_w·s_x);
     *     <li>Q4_K, Q5_K: Σ_B d_x·(d_w·Σ_s sc_s·Σ_{j∈s} c_j·q_j − dmin_w·Σ_s m_s·Σ_{j∈s} q_j), s the
     *         32-value sub-blocks with their 6-bit scale and min (Σ q is ggml's bsums);
     *     <li>Q6_K: Σ_B d_w·d_x·Σ_g sc_g·Σ_{j∈g} (c_j − 32)·q_j, g the 16-value groups.
     *     </ul>
     *     rounded to float. The order and precision of the summation are free — ggml's own kernels
     *     (vec_dot, repacked gemv/gemm, tinyBLAS) each sum in their own order — so a backend's result
     *     must lie within float rounding of this value, while the activation conversion, which
     *     moves results by about 1% of their scale, must be exact.
     * </ol>
     */
    void matmul(Tensor w, Tensor x, Tensor out);

    /**
     * RMSNorm of each row: {@code out = x / sqrt(mean(x²) + eps) · weight}, in F32.
     * x, out [n, dim]; weight [dim] (F32, F16 or BF16). out may alias x.
     */
    void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out);

    /**
     * Rotates, in place, every head of every row: x [n, heads·headDim], row t at {@code positions[t]}.
     * The first {@code table.rotaryDim()} dimensions of a head rotate by {@code positions[t]·θ_i}
     * paired as {@code table.layout()} says; cos and sin are scaled by {@code table.attentionFactor()}.
     */
    void rope(Tensor x, int headDim, int[] positions, RopeTable table);

    /**
     * Writes K and V rows into the pages: row t goes to position {@code positions[t]}.
     * k, v [n, kvDim]; every position's page must be mapped in {@code pageTable}.
     */
    void kvStore(Tensor k, Tensor v, KvPages kv, int[] pageTable, int[] positions);

    /**
     * Causal grouped-query attention of query rows over the stored keys and values of one sequence.
     * Query t at position {@code positions[t]} attends to positions {@code spec.firstVisible(p) .. p},
     * which must already be stored. With {@code sinks} (F32 [heads], may be null) head h adds the logit
     * sinks[h] to its softmax denominator only (model-spec.md §1.3).
     * q, out [n, heads·headDim].
     */
    void attention(Tensor q, KvPages kv, int[] pageTable, int[] positions, AttentionSpec spec, Tensor sinks,
            Tensor out);

    /** {@code out = silu(gate) · up} elementwise, silu(g) = g·σ(g). All [n, dim]; out may alias gate or up. */
    void swiglu(Tensor gate, Tensor up, Tensor out);

    /** Softmax of each row, in place, computed stably (max subtracted first). */
    void softmax(Tensor x);

    /**
     * The {@code k} largest values of each row of x [n, cols], sorted descending, lower index first on
     * ties: {@code indices[t·k + j]} and {@code values[t·k + j]}.
     */
    void topK(Tensor x, int k, int[] indices, float[] values);

    /**
     * {@code out = a + b} elementwise. b has a's shape, or is a single row [cols] / [1, cols] added to
     * every row of a (a bias). out may alias a.
     */
    void add(Tensor a, Tensor b, Tensor out);

    /** {@code x *= s}, in place. */
    void scale(Tensor x, float s);

    /** Index of the largest value in row {@code row} of x; the lowest index on ties. */
    int argmax(Tensor x, int row);

    /** Releases backend resources (thread pools, device memory). */
    @Override
    default void close() {}
}
