/*
 * Hugging Face gpt-oss checkpoint → GGUF in the layout llama.cpp reads (architecture `gpt-oss`,
 * model-spec.md §3.4), as llama.cpp's own converter (convert_hf_to_gguf.py, GptOssModel) writes it:
 *   metadata: the generic keys (block_count, context_length, embedding_length, feed_forward_length,
 *     head counts, key/value length, rope.freq_base, YaRN type/factor/original context/β, RMS eps,
 *     expert counts) plus sliding_window and expert_feed_forward_length; the tokenizer as "gpt2" BPE
 *     with pre-tokenizer "gpt-4o", tokens padded to the embedding's rows with "[PAD{id}]" UNUSED entries;
 *   tensors: experts repacked from split MXFP4 to ggml MXFP4 blocks, gate and up separated (a byte
 *     shuffle: Mxfp4Repack); norms, biases, sinks and the router in F32 (llama.cpp keeps 1-D tensors,
 *     biases and ffn_gate_inp in F32); the other matrices in the checkpoint's own type, or F32, BF16
 *     or Q8_0 on request (Q8_0 rounded exactly as llama.cpp's quantizer rounds).
 * The repacked experts (10 GB for 20b) go to a scratch file mapped beside the output rather than to
 * anonymous memory, so converting needs little RAM; the scratch file is deleted afterwards.
 * Tested by GptOssConvertTest (tensors byte-identical to the GGUF the checkpoint was made from, same
 * logits) and, through the CLI, by ConvertCommandTest.
 */
package dev.vireo.model.arch;

import dev.vireo.io.GgufWriter;
import dev.vireo.io.HfConfig;
import dev.vireo.io.ModelFormatException;
import dev.vireo.io.TensorSource;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.BlockQuantizer;
import dev.vireo.tensor.quant.Codecs;
import dev.vireo.tokenizer.HfTokenizerJson;
import dev.vireo.tokenizer.TokenType;
import dev.vireo.tokenizer.Vocabulary;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Writes a llama.cpp GGUF from a Hugging Face gpt-oss directory. */
public final class GptOssConverter {
    private GptOssConverter() {}

    /** The type of the big non-expert matrices (embedding, unembedding, attention projections). */
    public enum MatrixType {
        /** As stored in the checkpoint (BF16 in OpenAI's release). */
        SOURCE,
        F32,
        BF16,
        /** 8-bit, as in llama.cpp's published gpt-oss GGUFs. */
        Q8_0
    }

    /** llama_ftype values written to general.file_type (llama.h). */
    private static final int FTYPE_ALL_F32 = 0;
    private static final int FTYPE_MOSTLY_Q8_0 = 7;
    private static final int FTYPE_MOSTLY_BF16 = 32;
    private static final int FTYPE_MOSTLY_MXFP4_MOE = 38;

    /**
     * Converts the checkpoint in {@code hfDir} (config.json, tokenizer.json, safetensors) to
     * {@code out}; {@code progress} hears one line per layer.
     *
     * @throws ModelFormatException if the directory is not a gpt-oss checkpoint Vireo can read
     */
    public static void convert(Path hfDir, Path out, MatrixType matrices, Consumer<String> progress)
            throws IOException {
        HfConfig cfg = HfConfig.read(hfDir.resolve("config.json"));
        if (!GptOssCheckpoints.HF_MODEL_TYPE.equals(cfg.modelType())) {
            throw new ModelFormatException(cfg.source() + ": model_type '" + cfg.modelType()
                    + "' — vireo convert handles gpt-oss (gpt_oss) checkpoints only");
        }
        Path tokenizerJson = hfDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelFormatException(hfDir + ": no tokenizer.json to take the vocabulary from");
        }
        Vocabulary tokenizer = HfTokenizerJson.load(tokenizerJson);
        // tokenizer.json leaves the padding token to config.json (gpt-oss: <|endoftext|>).
        Vocabulary vocab = cfg.findInt("pad_token_id").filter(id -> id >= 0 && id < tokenizer.size())
                .map(id -> tokenizer.toBuilder().pad(id).build()).orElse(tokenizer);
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Path scratch = out.resolveSibling(out.getFileName() + ".experts.tmp");
        try (TensorSource src = TensorSource.open(hfDir); Arena arena = Arena.ofShared()) {
            Dims d = Dims.of(cfg);
            GgufWriter w = new GgufWriter();
            metadata(w, cfg, d, hfDir, matrices);
            int vocabRows = src.require("model.embed_tokens.weight").rows();
            writeVocabulary(w, vocab, vocabRows, "gpt-4o");
            chatTemplate(hfDir).ifPresent(t -> w.putString("tokenizer.chat_template", t));
            // Scratch space for the repacked experts: a file mapping, paged to disk, not resident memory.
            long perLayer = Tensor.byteSize(DType.MXFP4, Shape.of(d.experts, d.ffn, d.hidden)) * 2
                    + Tensor.byteSize(DType.MXFP4, Shape.of(d.experts, d.hidden, d.ffn));
            MemorySegment experts;
            try (FileChannel ch = FileChannel.open(scratch, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                experts = ch.map(FileChannel.MapMode.READ_WRITE, 0, Math.max(1, perLayer * d.layers), arena);
            }
            Tensors t = new Tensors(src, w, arena, matrices);
            t.matrix("token_embd.weight", "model.embed_tokens.weight", vocabRows, d.hidden);
            for (int l = 0; l < d.layers; l++) {
                String b = "blk." + l + ".";
                String h = "model.layers." + l + ".";
                String a = h + "self_attn.";
                t.f32(b + "attn_norm.weight", h + "input_layernorm.weight", d.hidden);
                for (String[] p : new String[][] {{"q", "q"}, {"k", "k"}, {"v", "v"}, {"output", "o"}}) {
                    int rows = p[0].equals("q") ? d.q() : p[0].equals("output") ? d.hidden : d.kv();
                    int cols = p[0].equals("output") ? d.q() : d.hidden;
                    t.matrix(b + "attn_" + p[0] + ".weight", a + p[1] + "_proj.weight", rows, cols);
                    t.f32(b + "attn_" + p[0] + ".bias", a + p[1] + "_proj.bias", rows);
                }
                t.f32(b + "attn_sinks.weight", a + "sinks", d.heads);
                t.f32(b + "post_attention_norm.weight", h + "post_attention_layernorm.weight", d.hidden);
                String m = h + "mlp.";
                t.f32Matrix(b + "ffn_gate_inp.weight", m + "router.weight", d.experts, d.hidden);
                t.f32(b + "ffn_gate_inp.bias", m + "router.bias", d.experts);
                String e = m + "experts.";
                long at = perLayer * l;
                for (int parity : new int[] {0, 1, -1}) {
                    boolean down = parity < 0;
                    String name = b + (parity == 0 ? "ffn_gate_exps" : parity == 1 ? "ffn_up_exps" : "ffn_down_exps");
                    String blocks = e + (down ? "down_proj_blocks" : "gate_up_proj_blocks");
                    String scales = e + (down ? "down_proj_scales" : "gate_up_proj_scales");
                    Shape shape = GptOssCheckpoints.repackedShape(src, blocks, d.experts, down ? d.hidden : 2 * d.ffn,
                            down ? d.ffn : d.hidden, parity);
                    MemorySegment dst = experts.asSlice(at, Tensor.byteSize(DType.MXFP4, shape));
                    GptOssCheckpoints.repackInto(src, blocks, scales, d.experts, down ? d.hidden : 2 * d.ffn,
                            down ? d.ffn : d.hidden, parity, dst);
                    w.addTensor(name + ".weight", DType.MXFP4, shape, dst);
                    at += dst.byteSize();
                }
                Tensor gateUpBias = src.require(e + "gate_up_proj_bias", Shape.of(d.experts, 2L * d.ffn));
                w.addTensor(renamed(GptOssCheckpoints.deinterleave(arena, gateUpBias, 0), b + "ffn_gate_exps.bias"));
                w.addTensor(renamed(GptOssCheckpoints.deinterleave(arena, gateUpBias, 1), b + "ffn_up_exps.bias"));
                t.f32Matrix(b + "ffn_down_exps.bias", e + "down_proj_bias", d.experts, d.hidden);
                progress.accept("layer " + (l + 1) + "/" + d.layers);
            }
            t.f32("output_norm.weight", "model.norm.weight", d.hidden);
            t.matrix("output.weight", cfg.getBool("tie_word_embeddings", false) ? "model.embed_tokens.weight"
                    : "lm_head.weight", vocabRows, d.hidden);
            progress.accept("writing " + out.getFileName());
            w.write(tmp);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(scratch);
        }
    }

    /** The dimensions of config.json that the tensors are checked against. */
    private record Dims(int layers, int hidden, int heads, int kvHeads, int headDim, int experts, int ffn) {
        static Dims of(HfConfig c) {
            int hidden = c.getInt("hidden_size");
            int heads = c.getInt("num_attention_heads");
            return new Dims(c.getInt("num_hidden_layers"), hidden, heads, c.getInt("num_key_value_heads", heads),
                    c.findInt("head_dim").orElse(hidden / heads), c.getInt("num_local_experts"),
                    c.getInt("intermediate_size"));
        }

        int q() {
            return heads * headDim;
        }

        int kv() {
            return kvHeads * headDim;
        }
    }

    private static void metadata(GgufWriter w, HfConfig c, Dims d, Path dir, MatrixType matrices) {
        String p = GptOss.ARCHITECTURE + ".";
        w.putString("general.architecture", GptOss.ARCHITECTURE);
        w.putString("general.name", String.valueOf(dir.toAbsolutePath().normalize().getFileName()));
        w.putUInt32("general.file_type", switch (matrices) {
            case SOURCE -> FTYPE_MOSTLY_MXFP4_MOE;
            case F32 -> FTYPE_ALL_F32;
            case BF16 -> FTYPE_MOSTLY_BF16;
            case Q8_0 -> FTYPE_MOSTLY_Q8_0;
        });
        w.putUInt32("general.quantization_version", 2);
        w.putUInt32(p + "block_count", d.layers);
        w.putUInt32(p + "context_length", c.getInt("max_position_embeddings"));
        w.putUInt32(p + "embedding_length", d.hidden);
        w.putUInt32(p + "feed_forward_length", d.ffn);
        w.putUInt32(p + "attention.head_count", d.heads);
        w.putUInt32(p + "attention.head_count_kv", d.kvHeads);
        HfConfig rope = c.findObject("rope_parameters").or(() -> c.findObject("rope_scaling")).orElse(null);
        if (rope != null && "yarn".equals(rope.findString("rope_type").or(() -> rope.findString("type")).orElse(""))) {
            w.putString(p + "rope.scaling.type", "yarn");
            w.putFloat32(p + "rope.scaling.factor", (float) rope.getDouble("factor"));
            w.putUInt32(p + "rope.scaling.original_context_length", rope.getInt("original_max_position_embeddings"));
            rope.findDouble("beta_fast").ifPresent(v -> w.putFloat32(p + "rope.scaling.yarn_beta_fast",
                    v.floatValue()));
            rope.findDouble("beta_slow").ifPresent(v -> w.putFloat32(p + "rope.scaling.yarn_beta_slow",
                    v.floatValue()));
        }
        double theta = Optional.ofNullable(rope).flatMap(r -> r.findDouble("rope_theta"))
                .orElseGet(() -> c.getDouble("rope_theta"));
        w.putFloat32(p + "rope.freq_base", (float) theta);
        w.putFloat32(p + "attention.layer_norm_rms_epsilon", (float) c.getDouble("rms_norm_eps", 1e-5));
        w.putUInt32(p + "expert_count", d.experts);
        w.putUInt32(p + "expert_used_count", c.findInt("num_experts_per_tok")
                .orElseGet(() -> c.getInt("experts_per_token")));
        w.putUInt32(p + "attention.key_length", d.headDim);
        w.putUInt32(p + "attention.value_length", d.headDim);
        w.putUInt32(p + "attention.sliding_window", c.getInt("sliding_window"));
        w.putUInt32(p + "expert_feed_forward_length", d.ffn);
        // llama.cpp assumes even layers slide; any other layer_types pattern is spelled out per layer.
        c.findStringList("layer_types").ifPresent(types -> {
            boolean[] slides = new boolean[types.size()];
            boolean standard = types.size() == d.layers;
            for (int l = 0; l < types.size(); l++) {
                slides[l] = types.get(l).equals("sliding_attention");
                standard &= slides[l] == (l % 2 == 0);
            }
            if (!standard) {
                List<dev.vireo.io.GgufValue> flags = new ArrayList<>();
                for (boolean s : slides) {
                    flags.add(new dev.vireo.io.GgufValue.Bool(s));
                }
                w.put(p + "attention.sliding_window_pattern",
                        new dev.vireo.io.GgufValue.Array(dev.vireo.io.GgufValueType.BOOL, flags));
            }
        });
    }

    /**
     * The tokenizer keys llama.cpp's converter writes for a byte-level BPE vocabulary (its
     * get_vocab_base): model "gpt2", the pre-tokenizer name, one token per embedding row — ids the
     * vocabulary does not name become "[PAD{id}]" of type UNUSED — token types, merges, and the
     * BOS/EOS/padding ids.
     */
    public static void writeVocabulary(GgufWriter w, Vocabulary v, int rows, String pre) {
        if (v.size() > rows) {
            throw new ModelFormatException("the tokenizer has " + v.size() + " tokens, more than the " + rows
                    + " embedding rows");
        }
        List<String> tokens = new ArrayList<>(rows);
        int[] types = new int[rows];
        for (int id = 0; id < rows; id++) {
            boolean named = id < v.size() && v.types().get(id) != TokenType.UNUSED;
            tokens.add(named ? v.tokens().get(id) : "[PAD" + id + "]");
            types[id] = named ? v.types().get(id).ggufCode() : TokenType.UNUSED.ggufCode();
        }
        w.putString("tokenizer.ggml.model", Vocabulary.MODEL_BYTE_LEVEL_BPE);
        w.putString("tokenizer.ggml.pre", pre);
        w.putStringArray("tokenizer.ggml.tokens", tokens);
        w.putInt32Array("tokenizer.ggml.token_type", types);
        w.putStringArray("tokenizer.ggml.merges", v.merges());
        if (v.bos() != Vocabulary.NONE) {
            w.putUInt32("tokenizer.ggml.bos_token_id", v.bos());
        }
        if (v.eos() != Vocabulary.NONE) {
            w.putUInt32("tokenizer.ggml.eos_token_id", v.eos());
        }
        if (v.pad() != Vocabulary.NONE) {
            w.putUInt32("tokenizer.ggml.padding_token_id", v.pad());
        }
    }

    private static Optional<String> chatTemplate(Path dir) throws IOException {
        Path jinja = dir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            return Optional.of(Files.readString(jinja));
        }
        Path cfg = dir.resolve("tokenizer_config.json");
        return Files.isRegularFile(cfg) ? HfConfig.read(cfg).findString("chat_template") : Optional.empty();
    }

    private static Tensor renamed(Tensor t, String name) {
        return new Tensor(name, t.type(), t.shape(), t.data());
    }

    /** Adds checkpoint tensors to the writer under their GGUF names, converting types as asked. */
    private record Tensors(TensorSource src, GgufWriter w, Arena arena, MatrixType matrices) {

        /** A big matrix: kept as is, or converted to the requested type. */
        void matrix(String name, String from, int rows, int cols) {
            Tensor t = src.require(from, Shape.of(rows, cols));
            DType target = switch (matrices) {
                case SOURCE -> t.type();
                case F32 -> DType.F32;
                case BF16 -> DType.BF16;
                case Q8_0 -> DType.Q8_0;
            };
            w.addTensor(renamed(target == t.type() ? t : convert(t, target), name));
        }

        /** A vector (norm, bias, sinks) in F32. */
        void f32(String name, String from, int length) {
            Tensor t = src.require(from, Shape.of(length));
            w.addTensor(renamed(t.type() == DType.F32 ? t : convert(t, DType.F32), name));
        }

        /** A matrix llama.cpp keeps in F32 (the router, per-expert bias tables). */
        void f32Matrix(String name, String from, int rows, int cols) {
            Tensor t = src.require(from, Shape.of(rows, cols));
            w.addTensor(renamed(t.type() == DType.F32 ? t : convert(t, DType.F32), name));
        }

        /** Row by row through F32, quantized by the reference quantizer (llama.cpp's rounding). */
        private Tensor convert(Tensor t, DType target) {
            if (!t.type().isFloat()) {
                throw new ModelFormatException(src.source() + ": tensor '" + t.name() + "' is " + t.type()
                        + "; expected a float type");
            }
            BlockQuantizer q = Codecs.quantizer(target).orElseThrow();
            Tensor out = Tensor.allocate(arena, t.name(), target, t.shape());
            float[] row = new float[t.cols()];
            for (long r = 0; r < t.rows(); r++) {
                Codecs.decoder(t.type()).decode(t.data(), r * t.rowBytes(), row, 0, row.length);
                q.quantize(row, 0, row.length, out.data(), r * out.rowBytes());
            }
            return out;
        }
    }
}
