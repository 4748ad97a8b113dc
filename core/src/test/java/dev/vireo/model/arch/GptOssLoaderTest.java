/*
 * GptOssLoader on small synthetic GGUFs built in memory (no vocabulary needed): the sliding-window
 * pattern as llama.cpp reads it (default period 2, a period, per-layer flags), the whole forward pass
 * on the CPU backend against the scalar reference (MoE grouping, sinks, windows, YaRN: only float
 * summation order differs), and bad files rejected with a ModelFormatException that names the file
 * and the key or tensor.
 */
package dev.vireo.model.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.generate.Session;
import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufValue;
import dev.vireo.io.GgufValueType;
import dev.vireo.io.GgufWriter;
import dev.vireo.io.ModelFormatException;
import dev.vireo.model.ModelOptions;
import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.ops.ref.RefOps;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.Nmse;
import dev.vireo.testing.TestTensors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GptOssLoaderTest {
    static final int HIDDEN = 64;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int HEAD_DIM = 16;
    static final int EXPERTS = 4;
    static final int FFN = 32;
    static final int VOCAB = 50;
    static final int WINDOW = 6;

    private final Arena arena = Arena.ofShared();

    @AfterEach
    void close() {
        arena.close();
    }

    private static GgufValue u32(long v) {
        return new GgufValue.Int(GgufValueType.UINT32, v);
    }

    private static GgufValue f32(float v) {
        return new GgufValue.Real(GgufValueType.FLOAT32, v);
    }

    /** A synthetic gpt-oss GGUF; {@code edit} overrides or adds metadata, {@code skipTensor} is left out. */
    private GgufFile file(int layers, Consumer<Map<String, GgufValue>> edit, String skipTensor) {
        Random r = new Random(layers * 31L + (skipTensor == null ? 0 : skipTensor.hashCode()));
        String a = "gpt-oss.";
        Map<String, GgufValue> keys = new LinkedHashMap<>();
        keys.put("general.architecture", new GgufValue.Str("gpt-oss"));
        keys.put(a + "block_count", u32(layers));
        keys.put(a + "context_length", u32(4096));
        keys.put(a + "embedding_length", u32(HIDDEN));
        keys.put(a + "attention.head_count", u32(HEADS));
        keys.put(a + "attention.head_count_kv", u32(KV_HEADS));
        keys.put(a + "attention.key_length", u32(HEAD_DIM));
        keys.put(a + "attention.value_length", u32(HEAD_DIM));
        keys.put(a + "rope.scaling.type", new GgufValue.Str("yarn"));
        keys.put(a + "rope.scaling.factor", f32(32f));
        keys.put(a + "rope.scaling.original_context_length", u32(4096));
        keys.put(a + "rope.freq_base", f32(150000f));
        keys.put(a + "attention.layer_norm_rms_epsilon", f32(1e-5f));
        keys.put(a + "expert_count", u32(EXPERTS));
        keys.put(a + "expert_used_count", u32(2));
        keys.put(a + "expert_feed_forward_length", u32(FFN));
        keys.put(a + "attention.sliding_window", u32(WINDOW));
        edit.accept(keys);
        GgufWriter w = new GgufWriter();
        keys.forEach(w::put);
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(f32(r, "token_embd.weight", 1, VOCAB, HIDDEN));
        int q = HEADS * HEAD_DIM;
        int kv = KV_HEADS * HEAD_DIM;
        for (int l = 0; l < layers; l++) {
            String b = "blk." + l + ".";
            tensors.add(norm(r, b + "attn_norm.weight"));
            tensors.add(f32(r, b + "attn_q.weight", 0.2, q, HIDDEN));
            tensors.add(f32(r, b + "attn_q.bias", 0.1, q));
            tensors.add(f32(r, b + "attn_k.weight", 0.2, kv, HIDDEN));
            tensors.add(f32(r, b + "attn_k.bias", 0.1, kv));
            tensors.add(f32(r, b + "attn_v.weight", 0.2, kv, HIDDEN));
            tensors.add(f32(r, b + "attn_v.bias", 0.1, kv));
            tensors.add(f32(r, b + "attn_output.weight", 0.15, HIDDEN, q));
            tensors.add(f32(r, b + "attn_output.bias", 0.1, HIDDEN));
            tensors.add(f32(r, b + "attn_sinks.weight", 1.5, HEADS));
            tensors.add(norm(r, b + "post_attention_norm.weight"));
            tensors.add(f32(r, b + "ffn_gate_inp.weight", 0.2, EXPERTS, HIDDEN));
            tensors.add(f32(r, b + "ffn_gate_inp.bias", 0.1, EXPERTS));
            tensors.add(mxfp4(r, b + "ffn_gate_exps.weight", EXPERTS, FFN, HIDDEN));
            tensors.add(f32(r, b + "ffn_gate_exps.bias", 0.1, EXPERTS, FFN));
            tensors.add(mxfp4(r, b + "ffn_up_exps.weight", EXPERTS, FFN, HIDDEN));
            tensors.add(f32(r, b + "ffn_up_exps.bias", 0.1, EXPERTS, FFN));
            tensors.add(mxfp4(r, b + "ffn_down_exps.weight", EXPERTS, HIDDEN, FFN));
            tensors.add(f32(r, b + "ffn_down_exps.bias", 0.1, EXPERTS, HIDDEN));
        }
        tensors.add(norm(r, "output_norm.weight"));
        tensors.add(f32(r, "output.weight", 0.25, VOCAB, HIDDEN));
        for (Tensor t : tensors) {
            if (!t.name().equals(skipTensor)) {
                w.addTensor(t);
            }
        }
        byte[] bytes = w.toByteArray();
        MemorySegment seg = arena.allocate(bytes.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
        return GgufFile.parse(seg, "synthetic.gguf");
    }

    private Tensor f32(Random r, String name, double sigma, long... dims) {
        Tensor t = TestTensors.gaussian(arena, name, r, sigma, dims);
        return new Tensor(name, DType.F32, t.shape(), t.data());
    }

    private Tensor norm(Random r, String name) {
        Tensor t = f32(r, name, 0.1, HIDDEN);
        for (int i = 0; i < HIDDEN; i++) {
            t.setFloat(i, 1 + t.getFloat(i));
        }
        return t;
    }

    private Tensor mxfp4(Random r, String name, int experts, int rows, int cols) {
        Tensor t = TestTensors.weight(arena, name, DType.MXFP4, experts * rows, cols, r);
        return new Tensor(name, DType.MXFP4, dev.vireo.tensor.Shape.of(experts, rows, cols), t.data());
    }

    @Test
    void slidingWindowPatternAsLlamaCppReadsIt() {
        assertArrayEquals(new int[] {WINDOW, 0, WINDOW, 0, WINDOW},
                load(file(5, kv -> { }, null)).config().window(), "default: even layers");
        assertArrayEquals(new int[] {WINDOW, WINDOW, 0, WINDOW, WINDOW},
                load(file(5, kv -> kv.put("gpt-oss.attention.sliding_window_pattern", u32(3)), null)).config().window(),
                "period 3: layer l slides iff l mod 3 < 2");
        List<GgufValue> flags = new ArrayList<>();
        for (boolean b : new boolean[] {false, true, true}) {
            flags.add(new GgufValue.Bool(b));
        }
        assertArrayEquals(new int[] {0, WINDOW, WINDOW}, load(file(3, kv -> kv.put(
                "gpt-oss.attention.sliding_window_pattern", new GgufValue.Array(GgufValueType.BOOL, flags)), null))
                .config().window(), "per-layer flags");
    }

    private GptOss load(GgufFile f) {
        return GptOssLoader.fromGguf(f, new RefOps(), Arena.ofShared(), ModelOptions.defaults());
    }

    @Test
    void cpuForwardMatchesTheReference() {
        // 14 positions with a window of 6: the sliding layers drop keys; several tokens share experts.
        int[] prompt = {3, 17, 5, 5, 42, 0, 9, 11, 23, 31, 8, 2, 47, 19};
        float[][] want = logits(new RefOps(), prompt);
        try (Ops cpu = new CpuOps(2)) {
            float[][] got = logits(cpu, prompt);
            for (int p = 0; p < prompt.length; p++) {
                // Float sums in another order through two layers: ~1e-12 NMSE; 1e-9 leaves room, not bugs.
                Nmse.assertBelow("position " + p, got[p], want[p], 1e-9);
            }
        }
    }

    private float[][] logits(Ops ops, int[] prompt) {
        try (GptOss m = GptOssLoader.fromGguf(file(2, kv -> { }, null), ops, Arena.ofShared(), ModelOptions.defaults());
                Session s = new Session(m, new Session.Options(64, 5, 4))) {
            float[][] out = new float[prompt.length][];
            s.append(prompt, (pos, row) -> out[pos] = row.clone());
            return out;
        }
    }

    @Test
    void badFilesAreModelFormatExceptions() {
        bad(file(2, kv -> kv.put("gpt-oss.expert_used_count", u32(5)), null), "experts");
        bad(file(2, kv -> { }, "blk.1.ffn_down_exps.bias"), "blk.1.ffn_down_exps.bias");
        bad(file(2, kv -> kv.put("gpt-oss.attention.head_count_kv", u32(3)), null), "heads");
        bad(file(2, kv -> kv.put("gpt-oss.rope.scaling.type", new GgufValue.Str("linear")), null), "rope.scaling.type");
        bad(file(2, kv -> kv.put("gpt-oss.attention.sliding_window_pattern", new GgufValue.Array(GgufValueType.BOOL,
                List.of(new GgufValue.Bool(true)))), null), "sliding_window_pattern");
        bad(file(2, kv -> kv.put("gpt-oss.expert_feed_forward_length", u32(64)), null), "ffn_gate_exps");
    }

    private void bad(GgufFile f, String mention) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> load(f));
        assertTrue(e.getMessage().contains("synthetic.gguf") && e.getMessage().contains(mention), e.getMessage());
    }
}
