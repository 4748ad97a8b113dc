/*
 * OpenAI's gpt-oss (20b, 120b): pre-norm residual blocks of grouped-query attention — biases on Q, K,
 * V and O, one learned sink logit per head, a 128-token sliding window on even layers and full
 * attention on odd ones, YaRN RoPE in half-split layout — and a mixture-of-experts feed-forward (top-4
 * of 32 or 128 experts, clamped SwiGLU), then a final RMSNorm and an untied unembedding.
 * Follows the reference gpt_oss/torch/model.py and HF modeling_gpt_oss.py; model-spec.md §1, §7.
 * Loaded by GptOssLoader from llama.cpp's GGUF, a Hugging Face checkpoint or the original/ one.
 * Tested against llama.cpp's logits (GptOssGoldenTest), across the three layouts (GptOssLayoutsTest)
 * and against transformers when its golden is present (GptOssTransformersTest).
 */
package dev.vireo.model.arch;

import dev.vireo.model.AttentionWeights;
import dev.vireo.model.Blocks;
import dev.vireo.model.Decoder;
import dev.vireo.model.DecoderShape;
import dev.vireo.model.Moe;
import dev.vireo.model.StepRows;
import dev.vireo.model.Workspace;
import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/** A gpt-oss decoder bound to one backend. */
public final class GptOss implements Decoder {

    /** The GGUF architecture name (Hugging Face calls the family "gpt_oss"). */
    public static final String ARCHITECTURE = "gpt-oss";

    /**
     * Hyper-parameters (model-spec.md §1.1; gpt-oss-20b values in brackets).
     *
     * @param hidden residual width [2880]
     * @param heads query heads [64]
     * @param kvHeads key/value heads [8]
     * @param headDim per-head width [64]; heads·headDim [4096] need not equal hidden
     * @param experts experts per layer [32]
     * @param expertsPerToken experts each token runs through [4]
     * @param expertFfn an expert's intermediate width [2880]
     * @param vocab rows of the embedding and unembedding [201088]
     * @param contextLength trained context [131072]
     * @param normEps RMSNorm epsilon [1e-5]
     * @param window per layer: the sliding window [128] or 0 for full attention (even layers slide)
     * @param rope the YaRN table [factor 32 over 4096 positions, base 150000]
     * @param swigluAlpha the sigmoid's gain in the experts' activation [1.702]
     * @param swigluLimit the clamp of the experts' gate and up [7]
     */
    public record Config(int hidden, int heads, int kvHeads, int headDim, int experts, int expertsPerToken,
            int expertFfn, int vocab, int contextLength, float normEps, int[] window, RopeTable rope,
            float swigluAlpha, float swigluLimit) {

        public Config {
            window = window.clone();
            if (hidden <= 0 || heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0 || headDim <= 0
                    || expertsPerToken <= 0 || expertsPerToken > experts || expertFfn <= 0 || vocab <= 0
                    || window.length == 0 || Arrays.stream(window).anyMatch(w -> w < 0)) {
                throw new IllegalArgumentException("inconsistent gpt-oss config: hidden " + hidden + ", heads " + heads
                        + ", kv heads " + kvHeads + ", head dim " + headDim + ", experts " + expertsPerToken + " of "
                        + experts + " of width " + expertFfn + ", vocabulary " + vocab + ", windows "
                        + Arrays.toString(window));
            }
        }

        @Override
        public int[] window() {
            return window.clone();
        }

        public int layers() {
            return window.length;
        }

        /** Layer {@code l}'s attention: scale 1/√headDim, its window. */
        public AttentionSpec attentionSpec(int l) {
            return new AttentionSpec(heads, kvHeads, headDim, (float) (1 / Math.sqrt(headDim)), window[l]);
        }

        /** Top-k then softmax over the k, clamped SwiGLU. */
        public Moe.Spec moeSpec() {
            return new Moe.Spec(expertsPerToken, Moe.Gating.SOFTMAX_OF_TOP_K,
                    new Moe.Activation.SwigluOai(swigluAlpha, swigluLimit));
        }
    }

    /**
     * One block's weights.
     *
     * @param attnNorm F32 [hidden]
     * @param attention Q [heads·headDim, hidden], K and V [kvHeads·headDim, hidden], O [hidden,
     *     heads·headDim], all with F32 biases; sinks F32 [heads]
     * @param mlpNorm F32 [hidden] (the norm before the MoE; "post_attention" in HF and GGUF names)
     * @param moe router [experts, hidden] with F32 bias [experts]; per expert gate and up [expertFfn,
     *     hidden], down [hidden, expertFfn] (MXFP4 in the released models), all with F32 biases
     */
    public record Layer(Tensor attnNorm, AttentionWeights attention, Tensor mlpNorm, Moe.Weights moe) {}

    /**
     * @param embedding [vocab, hidden]
     * @param layers the blocks
     * @param outputNorm F32 [hidden]
     * @param unembedding [vocab, hidden], separate from the embedding, no bias
     */
    public record Weights(Tensor embedding, List<Layer> layers, Tensor outputNorm, Tensor unembedding) {
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
     * @param owner closed with the model (the tensor source that maps the file, the arena of repacked
     *     or decoded weights); may be null
     */
    public GptOss(Config config, Weights weights, Ops ops, AutoCloseable owner) {
        if (weights.layers().size() != config.layers()) {
            throw new IllegalArgumentException(weights.layers().size() + " layers of weights for a config of "
                    + config.layers());
        }
        this.config = config;
        this.weights = weights;
        this.ops = ops;
        this.owner = owner;
        int[] kvDim = new int[config.layers()];
        Arrays.fill(kvDim, config.kvHeads() * config.headDim());
        this.shape = new DecoderShape(ARCHITECTURE, config.hidden(), kvDim, config.window(), config.vocab(),
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
        float eps = config.normEps();
        Moe.Spec moe = config.moeSpec();

        Tensor x = ws.get("x", n, config.hidden()); // [n, hidden] residual stream
        Tensor h = ws.get("h", n, config.hidden()); // [n, hidden] normalised input of a block
        Tensor y = ws.get("y", n, config.hidden()); // [n, hidden] attention output
        ops.embedding(weights.embedding(), step.ids(), x);
        for (int l = 0; l < config.layers(); l++) {
            Layer layer = weights.layers().get(l);
            // x += attn(norm(x)): sinks, and a 128-token window on the even layers
            ops.rmsNorm(x, layer.attnNorm(), eps, h);
            Blocks.attention(ops, ws, layer.attention(), config.attentionSpec(l), config.rope(), eps, h, step, l, y);
            ops.add(x, y, x);
            // x += moe(norm(x)): the experts' weighted outputs are added straight into the stream
            ops.rmsNorm(x, layer.mlpNorm(), eps, h);
            Moe.addTo(ops, ws, layer.moe(), moe, h, x);
        }
        step.advance();

        // logits = unembed(norm(x)) for the rows that need them
        Tensor normed = ws.get("out.norm", step.logitRows(), config.hidden());
        Blocks.normLogitRows(ops, x, weights.outputNorm(), eps, step, normed);
        Tensor logits = ws.get("logits", step.logitRows(), config.vocab()); // [logit rows, vocab]
        ops.matmul(weights.unembedding(), normed, logits);
        return logits;
    }

    @Override
    public void close() {
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing gpt-oss model", e);
            }
        }
    }
}
