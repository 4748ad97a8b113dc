/*
 * Loads gpt-oss from llama.cpp's GGUF (architecture `gpt-oss`, model-spec.md §3.4): metadata keys as
 * llama.cpp's converter writes them and llama.cpp's openai-moe model reads them, tensors by their GGUF
 * names. Experts stay in the file's type (MXFP4 in every published GGUF) and are used in place: each
 * expert is a view of the mapped [experts, rows, cols] tensor, decoded block by block by the matmul,
 * so gpt-oss-20b runs from its 12 GiB file without a dequantized copy.
 * The Hugging Face and original/ checkpoints are read by GptOssCheckpoints into the same records.
 * Tested by GptOssGoldenTest (against llama.cpp) and GptOssLayoutsTest.
 */
package dev.vireo.model.arch;

import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufMetadata;
import dev.vireo.io.GgufValue;
import dev.vireo.io.GgufValueType;
import dev.vireo.io.ModelFormatException;
import dev.vireo.model.AttentionWeights;
import dev.vireo.model.ModelOptions;
import dev.vireo.model.Moe;
import dev.vireo.model.RopeTables;
import dev.vireo.model.WeightLoader;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/** GGUF loading for {@link GptOss}, and what the three layouts share. */
public final class GptOssLoader {
    private GptOssLoader() {}

    /** The activation constants of the reference (hard-coded there and in llama.cpp). */
    static final float SWIGLU_ALPHA = 1.702f;
    static final float SWIGLU_LIMIT = 7f;
    /** gpt-oss's sliding layers: even ones (llama.cpp's default pattern period of 2). */
    static final int DEFAULT_SWA_PERIOD = 2;

    /** Loads with the reference numerics (see {@link ModelOptions}). */
    public static GptOss fromGguf(GgufFile file, Ops ops, Arena arena) {
        return fromGguf(file, ops, arena, ModelOptions.defaults());
    }

    /** Loads from a GGUF file; the returned model closes {@code file} and {@code arena}. */
    public static GptOss fromGguf(GgufFile file, Ops ops, Arena arena, ModelOptions options) {
        String arch = file.architecture();
        if (!arch.equals(GptOss.ARCHITECTURE)) {
            throw new ModelFormatException(file.source() + ": architecture '" + arch + "' is not gpt-oss");
        }
        GgufMetadata m = file.metadata();
        String p = arch + ".";
        String src = file.source();
        int hidden = positive(src, m.getInt(p + "embedding_length"), p + "embedding_length");
        int layers = positive(src, m.getInt(p + "block_count"), p + "block_count");
        int heads = positive(src, m.getInt(p + "attention.head_count"), p + "attention.head_count");
        int kvHeads = positive(src, m.findInt(p + "attention.head_count_kv").orElse(heads),
                p + "attention.head_count_kv");
        int headDim = positive(src, m.findInt(p + "attention.key_length").orElse(hidden / heads),
                p + "attention.key_length");
        int valueDim = m.findInt(p + "attention.value_length").orElse(headDim);
        int rotaryDim = m.findInt(p + "rope.dimension_count").orElse(headDim);
        if (valueDim != headDim || rotaryDim != headDim) {
            throw new ModelFormatException(src + ": gpt-oss needs key, value and rotary dimensions equal, found "
                    + headDim + ", " + valueDim + ", " + rotaryDim);
        }
        int experts = positive(src, m.getInt(p + "expert_count"), p + "expert_count");
        int used = positive(src, m.getInt(p + "expert_used_count"), p + "expert_used_count");
        if (m.type(p + "expert_feed_forward_length").orElse(null) == GgufValueType.ARRAY) {
            throw new ModelFormatException(src + ": per-layer " + p + "expert_feed_forward_length is not supported");
        }
        int expertFfn = positive(src, m.getInt(p + "expert_feed_forward_length"), p + "expert_feed_forward_length");
        int context = positive(src, m.getInt(p + "context_length"), p + "context_length");
        float eps = m.getFloat(p + "attention.layer_norm_rms_epsilon");
        int window = positive(src, m.getInt(p + "attention.sliding_window"), p + "attention.sliding_window");
        int[] windows = ggufWindows(src, m, p + "attention.sliding_window_pattern", layers, window);
        RopeTable rope = ggufRope(src, m, p, headDim, options);

        WeightLoader w = new WeightLoader(arch, file, ops, arena);
        Tensor embedding = w.source().require("token_embd.weight");
        int vocab = embedding.rows();
        GptOss.Config config = checked(src, () -> new GptOss.Config(hidden, heads, kvHeads, headDim, experts, used,
                expertFfn, vocab, context, eps, windows, rope, SWIGLU_ALPHA, SWIGLU_LIMIT));

        int q = heads * headDim;
        int kv = kvHeads * headDim;
        List<GptOss.Layer> blocks = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            AttentionWeights attn = new AttentionWeights(
                    w.matrix(b + "attn_q.weight", q, hidden), w.matrix(b + "attn_k.weight", kv, hidden),
                    w.matrix(b + "attn_v.weight", kv, hidden), w.matrix(b + "attn_output.weight", hidden, q),
                    w.vector(b + "attn_q.bias", q), w.vector(b + "attn_k.bias", kv), w.vector(b + "attn_v.bias", kv),
                    w.vector(b + "attn_output.bias", hidden), null, null, w.vector(b + "attn_sinks.weight", heads));
            Tensor gate = w.stacked(b + "ffn_gate_exps.weight", experts, expertFfn, hidden);
            Tensor up = w.stacked(b + "ffn_up_exps.weight", experts, expertFfn, hidden);
            Tensor down = w.stacked(b + "ffn_down_exps.weight", experts, hidden, expertFfn);
            Tensor gateBias = biasTable(w, b + "ffn_gate_exps.bias", experts, expertFfn);
            Tensor upBias = biasTable(w, b + "ffn_up_exps.bias", experts, expertFfn);
            Tensor downBias = biasTable(w, b + "ffn_down_exps.bias", experts, hidden);
            Moe.Weights moe = new Moe.Weights(w.matrix(b + "ffn_gate_inp.weight", experts, hidden),
                    w.vector(b + "ffn_gate_inp.bias", experts), experts(gate, gateBias, up, upBias, down, downBias));
            blocks.add(new GptOss.Layer(w.vector(b + "attn_norm.weight", hidden), attn,
                    w.vector(b + "post_attention_norm.weight", hidden), moe));
        }
        GptOss.Weights weights = new GptOss.Weights(w.matrix("token_embd.weight", vocab, hidden), blocks,
                w.vector("output_norm.weight", hidden), w.matrix("output.weight", vocab, hidden));
        return new GptOss(config, weights, ops, closing(file, arena));
    }

    /**
     * The per-layer windows: {@code sliding_window_pattern} is either one flag per layer or a period n
     * (layer l slides iff l mod n &lt; n − 1; n = 0: every layer), as llama.cpp reads it; default period 2.
     */
    private static int[] ggufWindows(String src, GgufMetadata m, String key, int layers, int window) {
        int[] windows = new int[layers];
        if (m.type(key).orElse(null) == GgufValueType.ARRAY) {
            if (!(m.value(key) instanceof GgufValue.Array a) || a.length() != layers) {
                throw new ModelFormatException(src + ": " + key + " has " + m.arrayLength(key) + " entries for "
                        + layers + " layers");
            }
            for (int l = 0; l < layers; l++) {
                if (!(a.elements().get(l) instanceof GgufValue.Bool slides)) {
                    throw new ModelFormatException(src + ": " + key + " must be an array of booleans, found "
                            + a.elementType());
                }
                windows[l] = slides.value() ? window : 0;
            }
            return windows;
        }
        int period = m.findInt(key).orElse(DEFAULT_SWA_PERIOD);
        if (period < 0) {
            throw new ModelFormatException(src + ": " + key + " is " + period + ", expected a period ≥ 0");
        }
        for (int l = 0; l < layers; l++) {
            windows[l] = period == 0 || l % period < period - 1 ? window : 0;
        }
        return windows;
    }

    /**
     * YaRN as llama.cpp reads it for gpt-oss: factor, original context and base from the file, β
     * fast/slow at llama.cpp's defaults 32/1 unless given (its gpt-oss loader ignores these keys; the
     * converter writes 32/1), an optional extra attention factor.
     */
    private static RopeTable ggufRope(String src, GgufMetadata m, String p, int headDim, ModelOptions options) {
        double base = m.findDouble(p + "rope.freq_base").orElse(10000.0);
        String type = m.findString(p + "rope.scaling.type").orElse("none");
        return switch (type) {
            case "none" -> RopeTables.plain(headDim, base, RopeLayout.NEOX);
            case "yarn" -> RopeTables.yarn(headDim, base, m.getDouble(p + "rope.scaling.factor"),
                    positive(src, m.getInt(p + "rope.scaling.original_context_length"),
                            p + "rope.scaling.original_context_length"),
                    m.findDouble(p + "rope.scaling.yarn_beta_fast").orElse(32.0),
                    m.findDouble(p + "rope.scaling.yarn_beta_slow").orElse(1.0), options.roundYarnRange(),
                    m.findDouble(p + "rope.scaling.attn_factor").orElse(1.0), RopeLayout.NEOX);
            default -> throw new ModelFormatException(src + ": " + p + "rope.scaling.type '" + type
                    + "' is not supported for gpt-oss (expected yarn)");
        };
    }

    /** A per-expert bias table [experts, width], decoded to F32 (GGUF ne {width, experts}). */
    static Tensor biasTable(WeightLoader w, String name, int experts, int width) {
        Tensor t = w.source().require(name, dev.vireo.tensor.Shape.of(experts, width));
        return w.toF32(t);
    }

    /** Per-expert views of stacked weights and bias tables. */
    static List<Moe.Expert> experts(Tensor gate, Tensor gateBias, Tensor up, Tensor upBias, Tensor down,
            Tensor downBias) {
        int n = Math.toIntExact(gate.shape().dim(0));
        List<Moe.Expert> out = new ArrayList<>(n);
        for (int e = 0; e < n; e++) {
            out.add(new Moe.Expert(gate.select(e), gateBias.select(e), up.select(e), upBias.select(e), down.select(e),
                    downBias.select(e)));
        }
        return out;
    }

    /** A config built from a file's numbers; numbers that do not fit together are the file's fault. */
    static GptOss.Config checked(String source, java.util.function.Supplier<GptOss.Config> config) {
        try {
            return config.get();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
    }

    static int positive(String source, int v, String key) {
        if (v <= 0) {
            throw new ModelFormatException(source + ": " + key + " must be positive, is " + v);
        }
        return v;
    }

    static AutoCloseable closing(AutoCloseable source, Arena arena) {
        return () -> {
            try (arena; source) {
                // both closed, the source's mapping last-in-first-out after the model's own copies
            }
        };
    }
}
