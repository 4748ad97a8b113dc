/*
 * Loads the Llama-style families into a Llama decoder, from a llama.cpp GGUF (architectures `llama`,
 * `qwen2`, `qwen3`) or a Hugging Face directory (LlamaForCausalLM, MistralForCausalLM,
 * Qwen2ForCausalLM, Qwen3ForCausalLM). The families differ only in what this file reads:
 *   llama  — GGUF Q/K rows are permuted by llama.cpp's converter into adjacent-pair RoPE order (NORM);
 *            HF keeps half-split order (NEOX). llama3 scaling from `rope_freqs` or `rope_scaling`.
 *            Mistral's sliding window comes from config.json (the GGUF converter drops it).
 *   qwen2  — biases on Q, K and V.            qwen3 — per-head RMSNorm on Q and K; explicit head_dim.
 * Sources: model-spec.md §3.5 and §6; llama.cpp's llama-model.cpp hparams; HF configuration_*.py.
 */
package dev.vireo.model.arch;

import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufMetadata;
import dev.vireo.io.HfConfig;
import dev.vireo.io.ModelFormatException;
import dev.vireo.io.TensorSource;
import dev.vireo.model.AttentionWeights;
import dev.vireo.model.RopeTables;
import dev.vireo.model.WeightLoader;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** GGUF and Hugging Face loading for {@link Llama}. */
public final class LlamaLoader {
    private LlamaLoader() {}

    /** GGUF architecture names this loader reads. */
    public static final Set<String> GGUF_ARCHITECTURES = Set.of("llama", "qwen2", "qwen3");

    /** Hugging Face model_type values this loader reads. */
    public static final Set<String> HF_MODEL_TYPES = Set.of("llama", "mistral", "qwen2", "qwen3");

    /** Loads from a GGUF file; the returned model closes {@code file} and {@code arena}. */
    public static Llama fromGguf(GgufFile file, Ops ops, Arena arena) {
        String arch = file.architecture();
        if (!GGUF_ARCHITECTURES.contains(arch)) {
            throw new ModelFormatException(file.source() + ": architecture '" + arch + "' is not a Llama-style family");
        }
        GgufMetadata m = file.metadata();
        String p = arch + ".";
        WeightLoader w = new WeightLoader(arch, file, ops, arena);
        int hidden = positive(file, m.getInt(p + "embedding_length"), "embedding_length");
        int layers = positive(file, m.getInt(p + "block_count"), "block_count");
        int heads = positive(file, m.getInt(p + "attention.head_count"), "attention.head_count");
        int kvHeads = positive(file, m.findInt(p + "attention.head_count_kv").orElse(heads), "attention.head_count_kv");
        int headDim = positive(file, m.findInt(p + "attention.key_length").orElse(hidden / heads), "attention.key_length");
        int ffn = positive(file, m.getInt(p + "feed_forward_length"), "feed_forward_length");
        int context = positive(file, m.getInt(p + "context_length"), "context_length");
        float eps = m.getFloat(p + "attention.layer_norm_rms_epsilon");
        double base = m.findDouble(p + "rope.freq_base").orElse(10000.0);
        int rotaryDim = m.findInt(p + "rope.dimension_count").orElse(headDim);
        checkHeads(file.source(), heads, kvHeads, headDim, rotaryDim);
        Tensor embedding = file.require("token_embd.weight");
        int vocab = embedding.rows();
        RopeLayout layout = arch.equals("llama") ? RopeLayout.NORM : RopeLayout.NEOX;
        RopeTable rope = ggufRope(file, m, p, rotaryDim, base, layout, w);
        int window = m.findInt(p + "attention.sliding_window").orElse(0);
        Llama.Config config = new Llama.Config(arch, hidden, heads, kvHeads, headDim, ffn, vocab, context, eps, rope,
                arch.equals("llama") ? window : 0);

        List<Llama.Layer> blocks = new ArrayList<>(layers);
        int q = heads * headDim;
        int kv = kvHeads * headDim;
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            AttentionWeights attn = new AttentionWeights(
                    w.matrix(b + "attn_q.weight", q, hidden), w.matrix(b + "attn_k.weight", kv, hidden),
                    w.matrix(b + "attn_v.weight", kv, hidden), w.matrix(b + "attn_output.weight", hidden, q),
                    w.optionalVector(b + "attn_q.bias", q).orElse(null), w.optionalVector(b + "attn_k.bias", kv).orElse(null),
                    w.optionalVector(b + "attn_v.bias", kv).orElse(null), w.optionalVector(b + "attn_output.bias", hidden).orElse(null),
                    w.optionalVector(b + "attn_q_norm.weight", headDim).orElse(null),
                    w.optionalVector(b + "attn_k_norm.weight", headDim).orElse(null), null);
            requireFamilyParts(file.source(), arch, l, attn);
            blocks.add(new Llama.Layer(w.vector(b + "attn_norm.weight", hidden), attn,
                    w.vector(b + "ffn_norm.weight", hidden), w.matrix(b + "ffn_gate.weight", ffn, hidden),
                    w.matrix(b + "ffn_up.weight", ffn, hidden), w.matrix(b + "ffn_down.weight", hidden, ffn)));
        }
        Tensor tokenEmbedding = w.matrix("token_embd.weight", vocab, hidden);
        // Tied embeddings: llama.cpp simply leaves output.weight out.
        Tensor output = w.optionalMatrix("output.weight", vocab, hidden).orElse(tokenEmbedding);
        Llama.Weights weights = new Llama.Weights(tokenEmbedding, blocks, w.vector("output_norm.weight", hidden), output);
        return new Llama(config, weights, ops, closing(file, arena));
    }

    private static RopeTable ggufRope(GgufFile file, GgufMetadata m, String p, int rotaryDim, double base,
            RopeLayout layout, WeightLoader w) {
        Optional<Tensor> freqs = file.contains("rope_freqs.weight")
                ? Optional.of(w.vector("rope_freqs.weight", rotaryDim / 2)) : Optional.empty();
        if (freqs.isPresent()) {
            return RopeTables.withDivisors(rotaryDim, base, freqs.get().toFloatArray(), layout);
        }
        String scaling = m.findString(p + "rope.scaling.type").orElse("none");
        double factor = m.findDouble(p + "rope.scaling.factor").orElse(1.0);
        return switch (scaling) {
            case "none" -> RopeTables.plain(rotaryDim, base, layout);
            case "linear" -> RopeTables.linear(rotaryDim, base, factor, layout);
            default -> throw new ModelFormatException(file.source() + ": " + p + "rope.scaling.type '" + scaling
                    + "' is not supported for this architecture");
        };
    }

    /** Loads from a Hugging Face directory's config.json and safetensors. */
    public static Llama fromHf(HfConfig cfg, TensorSource source, Ops ops, Arena arena) {
        String type = cfg.modelType();
        if (!HF_MODEL_TYPES.contains(type)) {
            throw new ModelFormatException(cfg.source() + ": model_type '" + type + "' is not a Llama-style family");
        }
        String arch = switch (type) {
            case "llama", "mistral" -> "llama";
            default -> type;
        };
        WeightLoader w = new WeightLoader(arch, source, ops, arena);
        int hidden = cfg.getInt("hidden_size");
        int layers = cfg.getInt("num_hidden_layers");
        int heads = cfg.getInt("num_attention_heads");
        int kvHeads = cfg.getInt("num_key_value_heads", heads);
        int headDim = cfg.findInt("head_dim").orElse(hidden / heads);
        int ffn = cfg.getInt("intermediate_size");
        int context = cfg.getInt("max_position_embeddings");
        float eps = (float) cfg.getDouble("rms_norm_eps", 1e-6);
        checkHeads(cfg.source(), heads, kvHeads, headDim, headDim);
        RopeTable rope = hfRope(cfg, headDim);
        int window = 0;
        if (type.equals("mistral")) {
            window = cfg.findInt("sliding_window").orElse(0);
        } else if (type.startsWith("qwen") && cfg.getBool("use_sliding_window", false)) {
            throw new ModelFormatException(cfg.source() + ": use_sliding_window is not supported for " + type);
        }
        Tensor embedding = source.require("model.embed_tokens.weight");
        int vocab = embedding.rows();
        Llama.Config config = new Llama.Config(arch, hidden, heads, kvHeads, headDim, ffn, vocab, context, eps, rope, window);

        List<Llama.Layer> blocks = new ArrayList<>(layers);
        int q = heads * headDim;
        int kv = kvHeads * headDim;
        for (int l = 0; l < layers; l++) {
            String b = "model.layers." + l + ".";
            String a = b + "self_attn.";
            AttentionWeights attn = new AttentionWeights(
                    w.matrix(a + "q_proj.weight", q, hidden), w.matrix(a + "k_proj.weight", kv, hidden),
                    w.matrix(a + "v_proj.weight", kv, hidden), w.matrix(a + "o_proj.weight", hidden, q),
                    w.optionalVector(a + "q_proj.bias", q).orElse(null), w.optionalVector(a + "k_proj.bias", kv).orElse(null),
                    w.optionalVector(a + "v_proj.bias", kv).orElse(null), w.optionalVector(a + "o_proj.bias", hidden).orElse(null),
                    w.optionalVector(a + "q_norm.weight", headDim).orElse(null),
                    w.optionalVector(a + "k_norm.weight", headDim).orElse(null), null);
            requireFamilyParts(source.source(), arch, l, attn);
            String mlp = b + "mlp.";
            blocks.add(new Llama.Layer(w.vector(b + "input_layernorm.weight", hidden), attn,
                    w.vector(b + "post_attention_layernorm.weight", hidden), w.matrix(mlp + "gate_proj.weight", ffn, hidden),
                    w.matrix(mlp + "up_proj.weight", ffn, hidden), w.matrix(mlp + "down_proj.weight", hidden, ffn)));
        }
        Tensor tokenEmbedding = w.matrix("model.embed_tokens.weight", vocab, hidden);
        boolean tied = cfg.getBool("tie_word_embeddings", false) || !source.contains("lm_head.weight");
        Tensor output = tied ? tokenEmbedding : w.matrix("lm_head.weight", vocab, hidden);
        Llama.Weights weights = new Llama.Weights(tokenEmbedding, blocks, w.vector("model.norm.weight", hidden), output);
        return new Llama(config, weights, ops, closing(source, arena));
    }

    /** RoPE from `rope_theta` + `rope_scaling` (transformers 4.x) or `rope_parameters` (5.x). */
    private static RopeTable hfRope(HfConfig cfg, int headDim) {
        Optional<HfConfig> params = cfg.findObject("rope_parameters").or(() -> cfg.findObject("rope_scaling"));
        double base = params.flatMap(r -> r.findDouble("rope_theta")).orElseGet(() -> cfg.getDouble("rope_theta", 10000.0));
        int rotaryDim = (int) Math.round(headDim * cfg.getDouble("partial_rotary_factor", 1.0));
        if (params.isEmpty()) {
            return RopeTables.plain(rotaryDim, base, RopeLayout.NEOX);
        }
        HfConfig r = params.get();
        String type = r.findString("rope_type").or(() -> r.findString("type")).orElse("default");
        return switch (type) {
            case "default" -> RopeTables.plain(rotaryDim, base, RopeLayout.NEOX);
            case "linear" -> RopeTables.linear(rotaryDim, base, r.getDouble("factor"), RopeLayout.NEOX);
            case "llama3" -> RopeTables.llama3(rotaryDim, base, r.getDouble("factor"), r.getDouble("low_freq_factor"),
                    r.getDouble("high_freq_factor"), r.getInt("original_max_position_embeddings"), RopeLayout.NEOX);
            default -> throw new ModelFormatException(cfg.source() + ": rope type '" + type + "' is not supported for "
                    + cfg.modelType());
        };
    }

    /** Each family must have the parts that define it: a file claiming qwen3 without Q/K norms is corrupt. */
    private static void requireFamilyParts(String source, String arch, int layer, AttentionWeights a) {
        String missing = switch (arch) {
            case "qwen2" -> a.bq() == null || a.bk() == null || a.bv() == null ? "Q/K/V biases" : null;
            case "qwen3" -> a.qNorm() == null || a.kNorm() == null ? "Q/K norm weights" : null;
            default -> null;
        };
        if (missing != null) {
            throw new ModelFormatException(source + ": " + arch + " layer " + layer + " has no " + missing);
        }
    }

    private static void checkHeads(String source, int heads, int kvHeads, int headDim, int rotaryDim) {
        if (heads % kvHeads != 0 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new ModelFormatException(source + ": inconsistent attention shape: heads " + heads + ", kv heads "
                    + kvHeads + ", head dim " + headDim + ", rotary dim " + rotaryDim);
        }
    }

    private static int positive(GgufFile file, int v, String key) {
        if (v <= 0) {
            throw new ModelFormatException(file.source() + ": " + file.architecture() + "." + key + " must be positive, is " + v);
        }
        return v;
    }

    private static AutoCloseable closing(AutoCloseable source, Arena arena) {
        return () -> {
            try (arena; source) {
                // both closed, the source's mapping last-in-first-out after the F32 copies
            }
        };
    }
}
