/*
 * Tool: writes a random-weight GGUF with exactly gpt-oss-20b's shape (model-spec.md §1.1: 24 layers,
 * hidden 2880, 64/8 heads of 64, 32 experts of width 2880 with 4 per token, vocabulary 201088) and
 * the types of llama.cpp's published gpt-oss-20b GGUF: MXFP4 experts, Q8_0 embedding, unembedding and
 * attention projections, F32 router, norms, biases and sinks; the metadata and o200k_harmony
 * tokenizer as TinyGptOss writes them. For speed measurements only (tools/gpt-oss-bench/bench.sh), so
 * the 12 GB are produced fast: block bytes are seeded random with a realistic scale per block, and the
 * expert stacks repeat two random variants across layers (the file still holds every layer's bytes,
 * so a forward pass reads as much memory as the real model's). Not a test; not run by the build.
 *
 * Usage: java -cp <core test classpath> dev.vireo.reference.GptOss20bShape OUT.gguf
 */
package dev.vireo.reference;

import dev.vireo.io.GgufWriter;
import dev.vireo.model.arch.GptOssConverter;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Generator of the gpt-oss-20b-shaped benchmark model. */
public final class GptOss20bShape {
    private GptOss20bShape() {}

    static final int LAYERS = 24;
    static final int HIDDEN = 2880;
    static final int HEADS = 64;
    static final int KV_HEADS = 8;
    static final int HEAD_DIM = 64;
    static final int EXPERTS = 32;
    static final int USED = 4;
    static final int FFN = 2880;
    static final int VOCAB = TinyGptOss.VOCAB;

    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: GptOss20bShape OUT.gguf");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        try (Arena arena = Arena.ofConfined()) {
            GgufWriter w = new GgufWriter();
            String a = "gpt-oss.";
            w.putString("general.architecture", "gpt-oss");
            w.putString("general.type", "model");
            w.putString("general.name", "gpt-oss-20b-shape (random weights)");
            w.putUInt32(a + "block_count", LAYERS);
            w.putUInt32(a + "context_length", 131072);
            w.putUInt32(a + "embedding_length", HIDDEN);
            w.putUInt32(a + "feed_forward_length", FFN);
            w.putUInt32(a + "attention.head_count", HEADS);
            w.putUInt32(a + "attention.head_count_kv", KV_HEADS);
            w.putString(a + "rope.scaling.type", "yarn");
            w.putFloat32(a + "rope.scaling.factor", 32f);
            w.putUInt32(a + "rope.scaling.original_context_length", 4096);
            w.putFloat32(a + "rope.freq_base", 150000f);
            w.putFloat32(a + "attention.layer_norm_rms_epsilon", 1e-5f);
            w.putUInt32(a + "expert_count", EXPERTS);
            w.putUInt32(a + "expert_used_count", USED);
            w.putUInt32(a + "attention.key_length", HEAD_DIM);
            w.putUInt32(a + "attention.value_length", HEAD_DIM);
            w.putUInt32("general.file_type", 38); // MOSTLY_MXFP4_MOE
            w.putUInt32(a + "attention.sliding_window", 128);
            w.putUInt32(a + "expert_feed_forward_length", FFN);
            w.putUInt32("general.quantization_version", 2);
            GptOssConverter.writeVocabulary(w, TinyGptOss.harmonyVocabulary(), VOCAB, "gpt-4o");

            int q = HEADS * HEAD_DIM;
            int kv = KV_HEADS * HEAD_DIM;
            SplittableRandom seeds = new SplittableRandom(20);
            w.addTensor(q8(arena, "token_embd.weight", seeds.nextLong(), 1.0, VOCAB, HIDDEN));
            Tensor[][] experts = new Tensor[2][3];
            for (int v = 0; v < 2; v++) {
                experts[v][0] = mxfp4(arena, "gate." + v, seeds.nextLong(), EXPERTS, FFN, HIDDEN);
                experts[v][1] = mxfp4(arena, "up." + v, seeds.nextLong(), EXPERTS, FFN, HIDDEN);
                experts[v][2] = mxfp4(arena, "down." + v, seeds.nextLong(), EXPERTS, HIDDEN, FFN);
            }
            for (int l = 0; l < LAYERS; l++) {
                String b = "blk." + l + ".";
                w.addTensor(TinyModels.norm(arena, b + "attn_norm.weight", HIDDEN));
                w.addTensor(q8(arena, b + "attn_q.weight", seeds.nextLong(), 1 / Math.sqrt(HIDDEN), q, HIDDEN));
                w.addTensor(TinyModels.random(arena, b + "attn_q.bias", 0.1, q));
                w.addTensor(q8(arena, b + "attn_k.weight", seeds.nextLong(), 1 / Math.sqrt(HIDDEN), kv, HIDDEN));
                w.addTensor(TinyModels.random(arena, b + "attn_k.bias", 0.1, kv));
                w.addTensor(q8(arena, b + "attn_v.weight", seeds.nextLong(), 1 / Math.sqrt(HIDDEN), kv, HIDDEN));
                w.addTensor(TinyModels.random(arena, b + "attn_v.bias", 0.1, kv));
                w.addTensor(q8(arena, b + "attn_output.weight", seeds.nextLong(), 1 / Math.sqrt(q), HIDDEN, q));
                w.addTensor(TinyModels.random(arena, b + "attn_output.bias", 0.1, HIDDEN));
                w.addTensor(TinyModels.random(arena, b + "attn_sinks.weight", 1.5, HEADS));
                w.addTensor(TinyModels.norm(arena, b + "post_attention_norm.weight", HIDDEN));
                w.addTensor(TinyModels.random(arena, b + "ffn_gate_inp.weight", 1 / Math.sqrt(HIDDEN), EXPERTS, HIDDEN));
                w.addTensor(TinyModels.random(arena, b + "ffn_gate_inp.bias", 0.1, EXPERTS));
                Tensor[] e = experts[l % 2];
                w.addTensor(b + "ffn_gate_exps.weight", DType.MXFP4, e[0].shape(), e[0].data());
                w.addTensor(TinyModels.random(arena, b + "ffn_gate_exps.bias", 0.1, EXPERTS, FFN));
                w.addTensor(b + "ffn_up_exps.weight", DType.MXFP4, e[1].shape(), e[1].data());
                w.addTensor(TinyModels.random(arena, b + "ffn_up_exps.bias", 0.1, EXPERTS, FFN));
                w.addTensor(b + "ffn_down_exps.weight", DType.MXFP4, e[2].shape(), e[2].data());
                w.addTensor(TinyModels.random(arena, b + "ffn_down_exps.bias", 0.1, EXPERTS, HIDDEN));
            }
            w.addTensor(TinyModels.norm(arena, "output_norm.weight", HIDDEN));
            w.addTensor(q8(arena, "output.weight", seeds.nextLong(), 2 / Math.sqrt(HIDDEN), VOCAB, HIDDEN));
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            w.write(tmp);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.err.printf("wrote %s (%.2f GB)%n", out, Files.size(out) / 1e9);
        }
    }

    /** Random Q8_0 blocks whose values have about the given standard deviation (int8 codes: σ ≈ 73·d). */
    static Tensor q8(Arena arena, String name, long seed, double std, long... dims) {
        Tensor t = Tensor.allocate(arena, name, DType.Q8_0, new Shape(dims));
        fill(t.data(), seed);
        short d = Float.floatToFloat16((float) (std / 73.3));
        long blocks = t.data().byteSize() / 34;
        for (long b = 0; b < blocks; b++) {
            t.data().set(SHORT_LE, b * 34, d);
        }
        return t;
    }

    /**
     * Random MXFP4 blocks with values of standard deviation about 1/√2880: uniform codes of the doubled
     * E2M1 table have σ ≈ 5.9, times 2^(e−128), so the scale byte e is about 120.
     */
    static Tensor mxfp4(Arena arena, String name, long seed, long... dims) {
        Tensor t = Tensor.allocate(arena, name, DType.MXFP4, new Shape(dims));
        fill(t.data(), seed);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        long blocks = t.data().byteSize() / 17;
        for (long b = 0; b < blocks; b++) {
            t.data().set(ValueLayout.JAVA_BYTE, b * 17, (byte) (119 + r.nextInt(3)));
        }
        return t;
    }

    private static void fill(MemorySegment s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long n = s.byteSize();
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            s.set(LONG_LE, i, r.nextLong());
        }
        for (; i < n; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt());
        }
    }
}
