/*
 * Tiny random-weight models of each supported family, written as llama.cpp's converter writes them
 * (tensor names, metadata keys, permuted Q/K rows for `llama`, rope_freqs for llama3 scaling), with the
 * real tokenizer metadata copied from llama.cpp's vocab-only GGUFs. Weights come from a seeded SplitMix64
 * stream per tensor, so the same spec always gives byte-identical files: CI regenerates them (they are
 * too big to commit with real vocabularies) and the goldens record each file's SHA-256 to prove it
 * runs on exactly the model llama.cpp saw.
 */
package dev.vireo.reference;

import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufMetadata;
import dev.vireo.io.GgufWriter;
import dev.vireo.model.RopeTables;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Generator of the tiny test models. */
public final class TinyModels {
    private TinyModels() {}

    /**
     * One tiny model.
     *
     * @param name file stem
     * @param arch GGUF architecture
     * @param vocabFile llama.cpp vocab GGUF (under models/) whose tokenizer metadata the model carries
     * @param tied no output.weight: logits use the token embedding
     * @param qkvBias Qwen2's Q/K/V biases
     * @param qkNorm Qwen3's per-head Q/K norms
     * @param llama3 llama3 RoPE scaling baked into rope_freqs
     */
    public record Spec(String name, String arch, String vocabFile, int hidden, int layers, int heads, int kvHeads,
            int headDim, int ffn, boolean tied, boolean qkvBias, boolean qkNorm, boolean llama3, double ropeBase,
            float eps) {}

    /** Llama 3.1 style: llama-bpe vocab, untied output, llama3 scaling, GQA 4:2. */
    public static final Spec LLAMA3 = new Spec("tiny-llama3", "llama", "ggml-vocab-llama-bpe.gguf", 256, 2, 4, 2, 64,
            512, false, false, false, true, 500000, 1e-5f);
    /** Llama 2 / Mistral style: SentencePiece vocab, plain RoPE, tied output. */
    public static final Spec LLAMA_SPM = new Spec("tiny-llama-spm", "llama", "ggml-vocab-llama-spm.gguf", 256, 2, 4, 4,
            64, 512, true, false, false, false, 10000, 1e-5f);
    /** Qwen 2.5 style: qwen2 vocab, Q/K/V biases, tied output. */
    public static final Spec QWEN2 = new Spec("tiny-qwen2", "qwen2", "ggml-vocab-qwen2.gguf", 256, 2, 4, 2, 64, 512,
            true, true, false, false, 1000000, 1e-6f);
    /** Qwen3 style: Q/K norms, head dim decoupled from hidden / heads. */
    public static final Spec QWEN3 = new Spec("tiny-qwen3", "qwen3", "ggml-vocab-qwen2.gguf", 256, 2, 4, 2, 128, 512,
            false, false, true, false, 1000000, 1e-6f);

    /** Writes {@code spec} as an F32 GGUF into {@code dir} (if not already there) and returns its path. */
    public static Path write(Spec spec, Path dir) {
        Path out = dir.resolve(spec.name() + ".gguf");
        if (Files.isRegularFile(out)) {
            return out;
        }
        try (Arena arena = Arena.ofConfined();
                GgufFile vocab = GgufFile.open(LlamaCpp.source("models/" + spec.vocabFile()))) {
            Files.createDirectories(dir);
            GgufWriter w = new GgufWriter();
            String a = spec.arch() + ".";
            int vocabSize = vocab.metadata().getStringArray("tokenizer.ggml.tokens").size();
            w.putString("general.architecture", spec.arch());
            w.putString("general.name", spec.name());
            w.putUInt32("general.file_type", 0);
            w.putUInt32(a + "context_length", 2048);
            w.putUInt32(a + "embedding_length", spec.hidden());
            w.putUInt32(a + "block_count", spec.layers());
            w.putUInt32(a + "feed_forward_length", spec.ffn());
            w.putUInt32(a + "attention.head_count", spec.heads());
            w.putUInt32(a + "attention.head_count_kv", spec.kvHeads());
            w.putFloat32(a + "rope.freq_base", (float) spec.ropeBase());
            w.putFloat32(a + "attention.layer_norm_rms_epsilon", spec.eps());
            w.putUInt32(a + "rope.dimension_count", spec.headDim());
            if (spec.headDim() * spec.heads() != spec.hidden()) {
                w.putUInt32(a + "attention.key_length", spec.headDim());
                w.putUInt32(a + "attention.value_length", spec.headDim());
            }
            w.putUInt32(a + "vocab_size", vocabSize);
            GgufMetadata vm = vocab.metadata();
            for (String key : vm.keys()) {
                if (key.startsWith("tokenizer.")) {
                    w.put(key, vm.value(key));
                }
            }
            int h = spec.hidden();
            int q = spec.heads() * spec.headDim();
            int kv = spec.kvHeads() * spec.headDim();
            w.addTensor(random(arena, "token_embd.weight", 1.0, vocabSize, h));
            if (spec.llama3()) {
                float[] inv = RopeTables.llama3(spec.headDim(), spec.ropeBase(), 8, 1, 4, 8192,
                        dev.vireo.ops.RopeLayout.NORM).invFreq();
                double[] base = baseFrequencies(spec.headDim(), spec.ropeBase());
                float[] divisors = new float[inv.length];
                for (int i = 0; i < inv.length; i++) {
                    divisors[i] = (float) (base[i] / inv[i]);
                }
                w.addTensor(Tensor.allocateF32(arena, "rope_freqs.weight", divisors.length).copyFrom(divisors));
            }
            for (int l = 0; l < spec.layers(); l++) {
                String b = "blk." + l + ".";
                w.addTensor(norm(arena, b + "attn_norm.weight", h));
                w.addTensor(random(arena, b + "attn_q.weight", 1 / Math.sqrt(h), q, h));
                w.addTensor(random(arena, b + "attn_k.weight", 1 / Math.sqrt(h), kv, h));
                w.addTensor(random(arena, b + "attn_v.weight", 1 / Math.sqrt(h), kv, h));
                w.addTensor(random(arena, b + "attn_output.weight", 1 / Math.sqrt(q), h, q));
                if (spec.qkvBias()) {
                    w.addTensor(random(arena, b + "attn_q.bias", 0.1, q));
                    w.addTensor(random(arena, b + "attn_k.bias", 0.1, kv));
                    w.addTensor(random(arena, b + "attn_v.bias", 0.1, kv));
                }
                if (spec.qkNorm()) {
                    w.addTensor(norm(arena, b + "attn_q_norm.weight", spec.headDim()));
                    w.addTensor(norm(arena, b + "attn_k_norm.weight", spec.headDim()));
                }
                w.addTensor(norm(arena, b + "ffn_norm.weight", h));
                w.addTensor(random(arena, b + "ffn_gate.weight", 1 / Math.sqrt(h), spec.ffn(), h));
                w.addTensor(random(arena, b + "ffn_up.weight", 1 / Math.sqrt(h), spec.ffn(), h));
                w.addTensor(random(arena, b + "ffn_down.weight", 1 / Math.sqrt(spec.ffn()), h, spec.ffn()));
            }
            w.addTensor(norm(arena, "output_norm.weight", h));
            if (!spec.tied()) {
                // Logits with a spread of about 2 keep greedy choices well separated.
                w.addTensor(random(arena, "output.weight", 2 / Math.sqrt(h), vocabSize, h));
            }
            Path tmp = dir.resolve(spec.name() + ".gguf.tmp");
            w.write(tmp);
            Files.move(tmp, out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same model quantized by llama.cpp's quantizer, as {@code <name>-<type>.gguf}. */
    public static Path quantized(Spec spec, Path dir, LlamaCpp.FileType type) {
        Path out = dir.resolve(spec.name() + "-" + type.name().toLowerCase().replace("mostly_", "") + ".gguf");
        if (!Files.isRegularFile(out)) {
            Path tmp = dir.resolve(out.getFileName() + ".tmp");
            LlamaCpp.quantize(write(spec, dir), tmp, type, false);
            try {
                Files.move(tmp, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static double[] baseFrequencies(int dim, double base) {
        double[] f = new double[dim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.pow(base, -2.0 * i / dim);
        }
        return f;
    }

    /** Uniform values with standard deviation {@code std}, from a stream seeded by the tensor name. */
    static Tensor random(Arena arena, String name, double std, long... dims) {
        Tensor t = Tensor.allocate(arena, name, DType.F32, new Shape(dims));
        SplittableRandom r = new SplittableRandom(name.hashCode() * 0x9E3779B97F4A7C15L);
        double a = std * Math.sqrt(3);
        long n = t.shape().elementCount();
        MemorySegment seg = t.data();
        for (long i = 0; i < n; i++) {
            double u = (r.nextLong() >>> 11) * 0x1.0p-53; // [0, 1), exact from the 53 high bits
            seg.setAtIndex(Tensor.F32_LE, i, (float) ((2 * u - 1) * a));
        }
        return t;
    }

    /** A norm weight near 1. */
    static Tensor norm(Arena arena, String name, int n) {
        Tensor t = random(arena, name, 0.1, n);
        for (int i = 0; i < n; i++) {
            t.setFloat(i, 1 + t.getFloat(i));
        }
        return t;
    }

    /** Hex SHA-256 of a file. */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
