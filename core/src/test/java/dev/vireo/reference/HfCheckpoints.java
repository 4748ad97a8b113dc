/*
 * Writes a tiny GGUF model (TinyModels) back as a Hugging Face checkpoint: config.json and one
 * safetensors file with HF tensor names, undoing llama.cpp's converter permutation of `llama` Q/K rows
 * (model-spec.md §3.5), so that loading either form must give the same logits.
 */
package dev.vireo.reference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.io.GgufFile;
import dev.vireo.io.SafeTensorsDType;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/** GGUF → Hugging Face directory, for the tiny F32 models. */
public final class HfCheckpoints {
    private HfCheckpoints() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes {@code dir/config.json} and {@code dir/model.safetensors} from the tiny model {@code spec}. */
    public static Path write(TinyModels.Spec spec, Path gguf, Path dir) {
        if (Files.isRegularFile(dir.resolve("model.safetensors"))) {
            return dir;
        }
        try (GgufFile f = GgufFile.open(gguf); Arena arena = Arena.ofConfined()) {
            Files.createDirectories(dir);
            boolean permuted = spec.arch().equals("llama");
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("model.embed_tokens.weight", f.require("token_embd.weight"));
            for (int l = 0; l < spec.layers(); l++) {
                String b = "blk." + l + ".";
                String h = "model.layers." + l + ".";
                Tensor q = f.require(b + "attn_q.weight");
                Tensor k = f.require(b + "attn_k.weight");
                out.put(h + "self_attn.q_proj.weight", permuted ? unpermute(arena, q, spec.heads(), spec.headDim()) : q);
                out.put(h + "self_attn.k_proj.weight", permuted ? unpermute(arena, k, spec.kvHeads(), spec.headDim()) : k);
                out.put(h + "self_attn.v_proj.weight", f.require(b + "attn_v.weight"));
                out.put(h + "self_attn.o_proj.weight", f.require(b + "attn_output.weight"));
                for (String p : new String[] {"q", "k", "v"}) {
                    f.find(b + "attn_" + p + ".bias").ifPresent(t -> out.put(h + "self_attn." + p + "_proj.bias", t));
                }
                f.find(b + "attn_q_norm.weight").ifPresent(t -> out.put(h + "self_attn.q_norm.weight", t));
                f.find(b + "attn_k_norm.weight").ifPresent(t -> out.put(h + "self_attn.k_norm.weight", t));
                out.put(h + "input_layernorm.weight", f.require(b + "attn_norm.weight"));
                out.put(h + "post_attention_layernorm.weight", f.require(b + "ffn_norm.weight"));
                out.put(h + "mlp.gate_proj.weight", f.require(b + "ffn_gate.weight"));
                out.put(h + "mlp.up_proj.weight", f.require(b + "ffn_up.weight"));
                out.put(h + "mlp.down_proj.weight", f.require(b + "ffn_down.weight"));
            }
            out.put("model.norm.weight", f.require("output_norm.weight"));
            f.find("output.weight").ifPresent(t -> out.put("lm_head.weight", t));
            writeSafetensors(out, dir.resolve("model.safetensors"));
            Files.writeString(dir.resolve("config.json"), config(spec, f).toPrettyString());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GGUF row h·d + 2i + j holds HF row h·d + j·d/2 + i (the converter's reshape(n,2,d/2)·swap). */
    static Tensor unpermute(Arena arena, Tensor t, int heads, int headDim) {
        Tensor o = Tensor.allocate(arena, t.name(), DType.F32, t.shape());
        long rowBytes = t.rowBytes();
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < headDim / 2; i++) {
                for (int j = 0; j < 2; j++) {
                    long src = (long) h * headDim + 2L * i + j;
                    long dst = (long) h * headDim + (long) j * (headDim / 2) + i;
                    MemorySegment.copy(t.data(), src * rowBytes, o.data(), dst * rowBytes, rowBytes);
                }
            }
        }
        return o;
    }

    private static ObjectNode config(TinyModels.Spec spec, GgufFile f) {
        ObjectNode c = JSON.createObjectNode();
        String type = spec.arch();
        c.putArray("architectures").add(switch (type) {
            case "llama" -> "LlamaForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> "Qwen3ForCausalLM";
        });
        c.put("model_type", type);
        c.put("hidden_size", spec.hidden());
        c.put("num_hidden_layers", spec.layers());
        c.put("num_attention_heads", spec.heads());
        c.put("num_key_value_heads", spec.kvHeads());
        c.put("head_dim", spec.headDim());
        c.put("intermediate_size", spec.ffn());
        c.put("max_position_embeddings", 2048);
        c.put("rms_norm_eps", spec.eps());
        c.put("rope_theta", spec.ropeBase());
        c.put("tie_word_embeddings", spec.tied());
        c.put("vocab_size", f.require("token_embd.weight").rows());
        if (spec.llama3()) {
            ObjectNode r = c.putObject("rope_scaling");
            r.put("rope_type", "llama3");
            r.put("factor", 8.0);
            r.put("low_freq_factor", 1.0);
            r.put("high_freq_factor", 4.0);
            r.put("original_max_position_embeddings", 8192);
        }
        c.put("torch_dtype", "float32");
        return c;
    }

    /**
     * Writes one safetensors file holding {@code tensors} in order, each in its own type (F32, BF16,
     * U8, ... — any type safetensors has a dtype for).
     */
    static void writeSafetensors(Map<String, Tensor> tensors, Path file) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        long at = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            SafeTensorsDType dtype = SafeTensorsDType.of(t.type()).orElseThrow(() -> new IllegalArgumentException(
                    e.getKey() + " is " + t.type() + ", which safetensors cannot hold"));
            ObjectNode o = header.putObject(e.getKey());
            o.put("dtype", dtype.name());
            var shape = o.putArray("shape");
            for (long d : t.shape().dims()) {
                shape.add(d);
            }
            o.putArray("data_offsets").add(at).add(at + t.data().byteSize());
            at += t.data().byteSize();
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(head);
            for (Tensor t : tensors.values()) {
                ByteBuffer data = t.data().asByteBuffer();
                while (data.hasRemaining()) {
                    ch.write(data);
                }
            }
        }
    }
}
