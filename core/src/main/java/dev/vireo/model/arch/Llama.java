/*
 * The Llama decoder (Llama 2/3.x, Mistral, DeepSeek-R1-Distill-Llama) and its close relatives that only
 * add optional attention parts (Qwen2's Q/K/V biases, Qwen3's Q/K norms): pre-norm residual blocks of
 * grouped-query attention with RoPE and a SwiGLU feed-forward, then a final RMSNorm and the output
 * projection. Follows HF modeling_llama.py / llama.cpp's llm_build_llama; model-spec.md §6.
 * The forward is batched (Decoder's contract): several sequences' tokens in one step.
 * Tested against llama.cpp's logits on tiny random-weight models (LlamaFamilyGoldenTest); batched
 * steps against single-sequence ones by BatchedForwardTest.
 */
package dev.vireo.model.arch;

import dev.vireo.model.AttentionWeights;
import dev.vireo.model.Blocks;
import dev.vireo.model.Decoder;
import dev.vireo.model.DecoderShape;
import dev.vireo.model.StepRows;
import dev.vireo.model.Workspace;
import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/** A Llama-style decoder bound to one backend. */
public final class Llama implements Decoder {

    /**
     * Hyper-parameters.
     *
     * @param architecture the family as named in GGUF ("llama", "qwen2", "qwen3")
     * @param hidden residual width
     * @param heads query heads
     * @param kvHeads key/value heads
     * @param headDim per-head width (Qwen3 sets it explicitly; otherwise hidden / heads)
     * @param ffn feed-forward width
     * @param vocab vocabulary size
     * @param contextLength trained context
     * @param normEps RMSNorm epsilon
     * @param rope the RoPE table (plain, llama3 or linear scaling, NEOX or adjacent-pair layout)
     * @param window sliding window of every layer (Mistral v0.1); 0 for full attention
     */
    public record Config(String architecture, int hidden, int heads, int kvHeads, int headDim, int ffn, int vocab,
            int contextLength, float normEps, RopeTable rope, int window) {

        public AttentionSpec attentionSpec() {
            return new AttentionSpec(heads, kvHeads, headDim, (float) (1 / Math.sqrt(headDim)), window);
        }
    }

    /**
     * One block's weights.
     *
     * @param attnNorm F32 [hidden]
     * @param attention the attention projections (and optional biases / Q-K norms)
     * @param ffnNorm F32 [hidden]
     * @param gate [ffn, hidden]
     * @param up [ffn, hidden]
     * @param down [hidden, ffn]
     */
    public record Layer(Tensor attnNorm, AttentionWeights attention, Tensor ffnNorm, Tensor gate, Tensor up,
            Tensor down) {}

    /**
     * @param tokenEmbedding [vocab, hidden]
     * @param layers the blocks
     * @param outputNorm F32 [hidden]
     * @param output [vocab, hidden]; the embedding itself when the model ties them
     */
    public record Weights(Tensor tokenEmbedding, List<Layer> layers, Tensor outputNorm, Tensor output) {
        public Weights {
            layers = List.copyOf(layers);
        }
    }

    private final Config config;
    private final Weights weights;
    private final Ops ops;
    private final AutoCloseable owner;
    private final DecoderShape shape;

    /**
     * @param owner closed with the model (the tensor source that maps the file); may be null
     */
    public Llama(Config config, Weights weights, Ops ops, AutoCloseable owner) {
        this.config = config;
        this.weights = weights;
        this.ops = ops;
        this.owner = owner;
        int[] kvDim = new int[weights.layers().size()];
        Arrays.fill(kvDim, config.kvHeads() * config.headDim());
        int[] window = new int[kvDim.length];
        Arrays.fill(window, config.window());
        this.shape = new DecoderShape(config.architecture(), config.hidden(), kvDim, window, config.vocab(),
                config.contextLength());
    }

    public Config config() {
        return config;
    }

    public Weights weights() {
        return weights;
    }

    @Override
    public DecoderShape shape() {
        return shape;
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public Tensor forward(Workspace ws, List<Segment> segments) {
        StepRows step = new StepRows(segments, ws.maxBatch());
        step.reserve();
        int n = step.rows();
        AttentionSpec spec = config.attentionSpec();

        Tensor x = ws.get("x", n, config.hidden());    // [n, hidden] residual stream
        Tensor h = ws.get("h", n, config.hidden());    // [n, hidden] normalised input of a block
        Tensor y = ws.get("y", n, config.hidden());    // [n, hidden] output of a block
        ops.embedding(weights.tokenEmbedding(), step.ids(), x);
        for (int l = 0; l < weights.layers().size(); l++) {
            Layer layer = weights.layers().get(l);
            ops.rmsNorm(x, layer.attnNorm(), config.normEps(), h);
            Blocks.attention(ops, ws, layer.attention(), spec, config.rope(), config.normEps(), h, step, l, y);
            ops.add(x, y, x);
            ops.rmsNorm(x, layer.ffnNorm(), config.normEps(), h);
            Blocks.swigluFeedForward(ops, ws, layer.gate(), layer.up(), layer.down(), h, y);
            ops.add(x, y, x);
        }
        step.advance();

        Tensor normed = ws.get("out.norm", step.logitRows(), config.hidden()); // [logit rows, hidden]
        Blocks.normLogitRows(ops, x, weights.outputNorm(), config.normEps(), step, normed);
        Tensor logits = ws.get("logits", step.logitRows(), config.vocab()); // [logit rows, vocab]
        ops.matmul(weights.output(), normed, logits);
        return logits;
    }

    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + config.architecture() + " model", e);
            }
        }
    }
}
