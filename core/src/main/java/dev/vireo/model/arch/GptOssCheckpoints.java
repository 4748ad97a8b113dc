/*
 * Loads gpt-oss from OpenAI's safetensors checkpoints: the Hugging Face one at the repository root
 * (config.json with model_type gpt_oss, model-0000k-of-0000n.safetensors + index; model-spec.md §2.3,
 * §2.4) and the original/ one the reference code reads (fused qkv, mlp1/mlp2; §2.2). Both store each
 * expert matrix as MXFP4 split in two tensors along the input dimension — `*_blocks` [E, rows, K/32,
 * 16] with nibble order 2j / 2j+1 and `*_scales` [E, rows, K/32] — with gate and up interleaved (even
 * rows gate, odd rows up) in one matrix; all else is BF16.
 *
 * Experts are repacked at load into ggml's 17-byte MXFP4 blocks (Mxfp4Repack: a byte shuffle, no
 * value is decoded), with gate and up separated, in memory the model owns. Why a copy: the matmul
 * kernels read one tensor = one segment of whole blocks, and the split layout would need a second
 * scale stream and a row stride of 2 in every backend's MXFP4 kernel. The cost is the experts' size
 * in anonymous memory (17/16 of the blocks: about 10.2 GB for gpt-oss-20b, 61 GB for 120b) while
 * the mapped checkpoint's pages stay reclaimable page cache; the everything-else BF16 tensors (~3 GB
 * for 20b) are used in place. For a machine where that copy does not fit, `vireo convert` writes the
 * GGUF once, which then loads without any copy.
 * Tested by GptOssLayoutsTest (same logits as the GGUF for the same weights).
 */
package dev.vireo.model.arch;

import dev.vireo.io.HfConfig;
import dev.vireo.io.ModelFormatException;
import dev.vireo.io.TensorSource;
import dev.vireo.model.AttentionWeights;
import dev.vireo.model.ModelOptions;
import dev.vireo.model.Moe;
import dev.vireo.model.RopeTables;
import dev.vireo.model.WeightLoader;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.Codecs;
import dev.vireo.tensor.quant.Mxfp4Repack;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Hugging Face and original/ loading for {@link GptOss}. */
public final class GptOssCheckpoints {
    private GptOssCheckpoints() {}

    /** The Hugging Face model_type. */
    public static final String HF_MODEL_TYPE = "gpt_oss";

    /** True for the reference's original/config.json (ModelConfig's keys, no model_type). */
    public static boolean isOriginalConfig(HfConfig c) {
        return !c.contains("model_type") && c.contains("num_experts") && c.contains("experts_per_token")
                && c.contains("rope_ntk_alpha");
    }

    /** Loads a Hugging Face checkpoint; the model closes {@code source} and {@code arena}. */
    public static GptOss fromHf(HfConfig cfg, TensorSource source, Ops ops, Arena arena, ModelOptions options) {
        if (!HF_MODEL_TYPE.equals(cfg.modelType())) {
            throw new ModelFormatException(cfg.source() + ": model_type '" + cfg.modelType() + "' is not gpt_oss");
        }
        int layers = cfg.getInt("num_hidden_layers");
        int window = cfg.getInt("sliding_window");
        int[] windows = new int[layers];
        List<String> types = cfg.findStringList("layer_types").orElse(null);
        if (types != null && types.size() != layers) {
            throw new ModelFormatException(cfg.source() + ": layer_types has " + types.size() + " entries for "
                    + layers + " layers");
        }
        for (int l = 0; l < layers; l++) {
            String type = types != null ? types.get(l)
                    : l % GptOssLoader.DEFAULT_SWA_PERIOD == 0 ? "sliding_attention" : "full_attention";
            windows[l] = switch (type) {
                case "sliding_attention" -> window;
                case "full_attention" -> 0;
                default -> throw new ModelFormatException(cfg.source() + ": layer_types[" + l + "] is '" + type
                        + "' (expected sliding_attention or full_attention, one per layer)");
            };
        }
        int hidden = cfg.getInt("hidden_size");
        int heads = cfg.getInt("num_attention_heads");
        int headDim = cfg.findInt("head_dim").orElse(hidden / heads);
        Shapes s = new Shapes(hidden, heads, cfg.getInt("num_key_value_heads", heads), headDim,
                cfg.getInt("num_local_experts"), cfg.findInt("num_experts_per_tok").orElseGet(
                        () -> cfg.getInt("experts_per_token")), cfg.getInt("intermediate_size"));
        RopeTable rope = hfRope(cfg, headDim, options);
        float eps = (float) cfg.getDouble("rms_norm_eps", 1e-5);
        float alpha = (float) cfg.getDouble("swiglu_alpha", GptOssLoader.SWIGLU_ALPHA);
        float limit = (float) cfg.getDouble("swiglu_limit", GptOssLoader.SWIGLU_LIMIT);

        WeightLoader w = new WeightLoader(GptOss.ARCHITECTURE, source, ops, arena);
        int vocab = source.require("model.embed_tokens.weight").rows();
        GptOss.Config config = GptOssLoader.checked(cfg.source(), () -> new GptOss.Config(hidden, heads, s.kvHeads,
                headDim, s.experts, s.used, s.ffn, vocab, cfg.getInt("max_position_embeddings"), eps, windows, rope,
                alpha, limit));
        List<GptOss.Layer> blocks = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            String b = "model.layers." + l + ".";
            String a = b + "self_attn.";
            AttentionWeights attn = new AttentionWeights(
                    w.matrix(a + "q_proj.weight", s.q(), hidden), w.matrix(a + "k_proj.weight", s.kv(), hidden),
                    w.matrix(a + "v_proj.weight", s.kv(), hidden), w.matrix(a + "o_proj.weight", hidden, s.q()),
                    w.vector(a + "q_proj.bias", s.q()), w.vector(a + "k_proj.bias", s.kv()),
                    w.vector(a + "v_proj.bias", s.kv()), w.vector(a + "o_proj.bias", hidden), null, null,
                    w.vector(a + "sinks", heads));
            String e = b + "mlp.experts.";
            Moe.Weights moe = moe(w, s, arena, w.matrix(b + "mlp.router.weight", s.experts, hidden),
                    w.vector(b + "mlp.router.bias", s.experts), e + "gate_up_proj_blocks", e + "gate_up_proj_scales",
                    e + "gate_up_proj_bias", e + "down_proj_blocks", e + "down_proj_scales", e + "down_proj_bias");
            blocks.add(new GptOss.Layer(w.vector(b + "input_layernorm.weight", hidden), attn,
                    w.vector(b + "post_attention_layernorm.weight", hidden), moe));
        }
        Tensor embedding = w.matrix("model.embed_tokens.weight", vocab, hidden);
        Tensor unembedding = cfg.getBool("tie_word_embeddings", false) ? embedding
                : w.matrix("lm_head.weight", vocab, hidden);
        GptOss.Weights weights = new GptOss.Weights(embedding, blocks, w.vector("model.norm.weight", hidden),
                unembedding);
        return new GptOss(config, weights, ops, GptOssLoader.closing(source, arena));
    }

    /** Loads the reference's original/ checkpoint; the model closes {@code source} and {@code arena}. */
    public static GptOss fromOriginal(HfConfig cfg, TensorSource source, Ops ops, Arena arena,
            ModelOptions options) {
        int layers = cfg.getInt("num_hidden_layers");
        int hidden = cfg.getInt("hidden_size");
        int heads = cfg.getInt("num_attention_heads");
        int headDim = cfg.getInt("head_dim");
        Shapes s = new Shapes(hidden, heads, cfg.getInt("num_key_value_heads"), headDim, cfg.getInt("num_experts"),
                cfg.getInt("experts_per_token"), cfg.getInt("intermediate_size"));
        int window = cfg.getInt("sliding_window");
        int[] windows = new int[layers];
        for (int l = 0; l < layers; l++) {
            windows[l] = l % GptOssLoader.DEFAULT_SWA_PERIOD == 0 ? window : 0; // the reference: layer_idx % 2 == 0
        }
        // The reference's names: ntk_beta is YaRN's β_fast, ntk_alpha its β_slow; the range is never rounded.
        int originalContext = cfg.getInt("initial_context_length");
        double factor = cfg.getDouble("rope_scaling_factor");
        RopeTable rope = RopeTables.yarn(headDim, cfg.getDouble("rope_theta"), factor, originalContext,
                cfg.getDouble("rope_ntk_beta"), cfg.getDouble("rope_ntk_alpha"), options.roundYarnRange(), 1.0,
                RopeLayout.NEOX);

        WeightLoader w = new WeightLoader(GptOss.ARCHITECTURE, source, ops, arena);
        int vocab = source.require("embedding.weight").rows();
        GptOss.Config config = GptOssLoader.checked(cfg.source(), () -> new GptOss.Config(hidden, heads, s.kvHeads,
                headDim, s.experts, s.used, s.ffn, vocab, (int) Math.round(originalContext * factor), 1e-5f, windows,
                rope, GptOssLoader.SWIGLU_ALPHA, (float) cfg.getDouble("swiglu_limit", GptOssLoader.SWIGLU_LIMIT)));
        List<GptOss.Layer> blocks = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            String b = "block." + l + ".";
            // qkv fuses Q, K and V rows: [0, q) Q, [q, q + kv) K, [q + kv, q + 2kv) V.
            Tensor qkv = source.require(b + "attn.qkv.weight", Shape.of(s.q() + 2L * s.kv(), hidden));
            Tensor qkvBias = w.vector(b + "attn.qkv.bias", s.q() + 2L * s.kv());
            AttentionWeights attn = new AttentionWeights(
                    w.multipliable(qkv.rows(0, s.q())), w.multipliable(qkv.rows(s.q(), s.kv())),
                    w.multipliable(qkv.rows(s.q() + s.kv(), s.kv())), w.matrix(b + "attn.out.weight", hidden, s.q()),
                    slice(qkvBias, 0, s.q()), slice(qkvBias, s.q(), s.kv()), slice(qkvBias, s.q() + s.kv(), s.kv()),
                    w.vector(b + "attn.out.bias", hidden), null, null, w.vector(b + "attn.sinks", heads));
            String m = b + "mlp.";
            Moe.Weights moe = moe(w, s, arena, w.matrix(m + "gate.weight", s.experts, hidden),
                    w.vector(m + "gate.bias", s.experts), m + "mlp1_weight.blocks", m + "mlp1_weight.scales",
                    m + "mlp1_bias", m + "mlp2_weight.blocks", m + "mlp2_weight.scales", m + "mlp2_bias");
            blocks.add(new GptOss.Layer(w.vector(b + "attn.norm.scale", hidden), attn,
                    w.vector(m + "norm.scale", hidden), moe));
        }
        GptOss.Weights weights = new GptOss.Weights(w.matrix("embedding.weight", vocab, hidden), blocks,
                w.vector("norm.scale", hidden), w.matrix("unembedding.weight", vocab, hidden));
        return new GptOss(config, weights, ops, GptOssLoader.closing(source, arena));
    }

    /** The dimensions the tensors are checked against. */
    private record Shapes(int hidden, int heads, int kvHeads, int headDim, int experts, int used, int ffn) {
        int q() {
            return heads * headDim;
        }

        int kv() {
            return kvHeads * headDim;
        }
    }

    /** YaRN from rope_parameters (transformers 5) or rope_scaling + rope_theta (4.x). */
    private static RopeTable hfRope(HfConfig cfg, int headDim, ModelOptions options) {
        Optional<HfConfig> params = cfg.findObject("rope_parameters").or(() -> cfg.findObject("rope_scaling"));
        double base = params.flatMap(r -> r.findDouble("rope_theta")).orElseGet(() -> cfg.getDouble("rope_theta"));
        if (params.isEmpty()) {
            return RopeTables.plain(headDim, base, RopeLayout.NEOX);
        }
        HfConfig r = params.get();
        String type = r.findString("rope_type").or(() -> r.findString("type")).orElse("default");
        if (type.equals("default")) {
            return RopeTables.plain(headDim, base, RopeLayout.NEOX);
        }
        if (!type.equals("yarn")) {
            throw new ModelFormatException(cfg.source() + ": rope type '" + type + "' is not supported for gpt_oss");
        }
        double factor = r.getDouble("factor");
        // Hugging Face rounds the range unless truncate is false (gpt-oss's config says false).
        boolean truncate = r.getBool("truncate", true) || options.roundYarnRange();
        // An explicit attention_factor replaces the concentration 0.1·ln(factor) + 1 in Hugging Face.
        double concentration = factor > 1 ? 0.1 * Math.log(factor) + 1 : 1;
        double extra = r.findDouble("attention_factor").map(f -> f / concentration).orElse(1.0);
        return RopeTables.yarn(headDim, base, factor, r.getInt("original_max_position_embeddings"),
                r.getDouble("beta_fast", 32), r.getDouble("beta_slow", 1), truncate, extra, RopeLayout.NEOX);
    }

    /** The router and the experts, repacked from the interleaved split-MXFP4 tensors. */
    private static Moe.Weights moe(WeightLoader w, Shapes s, Arena arena, Tensor router, Tensor routerBias,
            String gateUpBlocks, String gateUpScales, String gateUpBias, String downBlocks, String downScales,
            String downBias) {
        TensorSource src = w.source();
        Tensor gate = repack(src, arena, gateUpBlocks, gateUpScales, s.experts, 2 * s.ffn, s.hidden, 0);
        Tensor up = repack(src, arena, gateUpBlocks, gateUpScales, s.experts, 2 * s.ffn, s.hidden, 1);
        Tensor down = repack(src, arena, downBlocks, downScales, s.experts, s.hidden, s.ffn, -1);
        Tensor gub = src.require(gateUpBias, Shape.of(s.experts, 2L * s.ffn));
        Tensor db = src.require(downBias, Shape.of(s.experts, s.hidden));
        return new Moe.Weights(router, routerBias, GptOssLoader.experts(w.multipliable(gate),
                deinterleave(arena, gub, 0), w.multipliable(up), deinterleave(arena, gub, 1), w.multipliable(down),
                w.toF32(db)));
    }

    /**
     * Experts [E, rows, cols] in ggml MXFP4, in {@code arena}, from {@code *_blocks} [E, srcRows,
     * cols/32, 16] and {@code *_scales} [E, srcRows, cols/32]: every source row when {@code parity} is
     * −1, else the even (0: gate) or odd (1: up) rows of an interleaved gate/up matrix.
     */
    private static Tensor repack(TensorSource src, Arena arena, String blocksName, String scalesName, int experts,
            int srcRows, int cols, int parity) {
        Shape shape = repackedShape(src, blocksName, experts, srcRows, cols, parity);
        Tensor out = Tensor.allocate(arena, repackedName(blocksName, parity), DType.MXFP4, shape);
        repackInto(src, blocksName, scalesName, experts, srcRows, cols, parity, out.data());
        return out;
    }

    /** The shape {@link #repackInto} fills: [E, rows, cols], checking that rows are whole blocks. */
    static Shape repackedShape(TensorSource src, String blocksName, int experts, int srcRows, int cols, int parity) {
        if (cols % Mxfp4Repack.BLOCK != 0) {
            throw new ModelFormatException(src.source() + ": tensor '" + blocksName + "': rows of " + cols
                    + " elements are not whole MXFP4 blocks of 32");
        }
        if (!src.contains(blocksName)) {
            throw new ModelFormatException(src.source() + ": missing tensor '" + blocksName + "' (Vireo reads gpt-oss"
                    + " experts as MXFP4 blocks and scales, as OpenAI publishes them; dequantized BF16 experts"
                    + " are not supported)");
        }
        return Shape.of(experts, parity < 0 ? srcRows : srcRows / 2, cols);
    }

    /** A name for the repacked tensor: "…gate_up_proj[gate]", "…mlp2_weight". */
    static String repackedName(String blocksName, int parity) {
        return blocksName.replace("_blocks", "").replace(".blocks", "")
                + (parity == 0 ? "[gate]" : parity == 1 ? "[up]" : "");
    }

    /** Repacks as {@link #repack} says into {@code dst} (exactly the bytes of the repacked shape). */
    static void repackInto(TensorSource src, String blocksName, String scalesName, int experts, int srcRows, int cols,
            int parity, MemorySegment dst) {
        Shape shape = repackedShape(src, blocksName, experts, srcRows, cols, parity);
        int perRow = cols / Mxfp4Repack.BLOCK;
        Tensor blocks = src.require(blocksName, Shape.of(experts, srcRows, perRow, Mxfp4Repack.CODE_BYTES), DType.U8);
        Tensor scales = src.require(scalesName, Shape.of(experts, srcRows, perRow), DType.U8);
        int rows = Math.toIntExact(shape.dim(1));
        long rowBytes = DType.MXFP4.rowBytes(cols);
        if (dst.byteSize() != Tensor.byteSize(DType.MXFP4, shape)) {
            throw new IllegalArgumentException("repack destination of " + dst.byteSize() + " bytes for " + shape);
        }
        for (long r = 0; r < (long) experts * rows; r++) {
            long e = r / rows;
            long srcRow = e * srcRows + (parity < 0 ? r % rows : 2 * (r % rows) + parity);
            Mxfp4Repack.toGgml(blocks.data(), srcRow * perRow * Mxfp4Repack.CODE_BYTES, scales.data(),
                    srcRow * perRow, perRow, dst, r * rowBytes);
        }
    }

    /** The even (0: gate) or odd (1: up) columns of an interleaved [E, 2F] bias, as F32 [E, F]. */
    static Tensor deinterleave(Arena arena, Tensor bias, int parity) {
        int experts = bias.rows();
        int half = bias.cols() / 2;
        Tensor out = Tensor.allocateF32(arena, bias.name() + (parity == 0 ? "[gate]" : "[up]"), experts, half);
        for (int e = 0; e < experts; e++) {
            float[] row = Codecs.decoder(bias.type()).decode(bias.data(), e * bias.rowBytes(), bias.cols());
            for (int j = 0; j < half; j++) {
                out.setFloat((long) e * half + j, row[2 * j + parity]);
            }
        }
        return out;
    }

    /** Elements [start, start + length) of an F32 vector, as a view. */
    private static Tensor slice(Tensor v, long start, long length) {
        MemorySegment data = v.data().asSlice(4 * start, 4 * length);
        return new Tensor(v.name() + "[" + start + ":" + (start + length) + "]", DType.F32, Shape.of(length), data);
    }
}
