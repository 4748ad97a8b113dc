/*
 * Tiny random-weight models of each supported family, written as llama.cpp's converter writes them
 * (tensor names, metadata keys, permuted Q/K rows for `llama`, rope_freqs for llama3 scaling), with the
 * real tokenizer metadata copied from llama.cpp's vocab-only GGUFs. Weights come from a seeded SplitMix64
 * stream per tensor, so the same spec always gives byte-identical files: CI regenerates them (they are
 * too big to commit with real vocabularies) and the goldens record each file's SHA-256 to prove it
 * runs on exactly the model llama.cpp saw. The same writer, fed a different Build (real context length
 * and RoPE scaling, F16 normal weights), makes the full-size benchmark models of BenchModels.
 */
package dev.vireo.reference;

import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufMetadata;
import dev.vireo.io.GgufWriter;
import dev.vireo.model.RopeTables;
import dev.vireo.ops.RopeLayout;
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
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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

    /** llama3 RoPE scaling, as config.json's {@code rope_scaling} gives it. */
    public record Llama3Scaling(double factor, double lowFreqFactor, double highFreqFactor, int originalContext) {}

    /** Makes a weight matrix of the given shape whose values have standard deviation {@code std}. */
    @FunctionalInterface
    public interface WeightSource {
        Tensor make(Arena arena, String name, double std, long... dims);
    }

    /**
     * What a written model takes beyond its {@link Spec}: the tiny test models use {@link #TINY}; the
     * full-size benchmark models (BenchModels) use real context lengths and scalings, F16 weights.
     *
     * @param contextLength the GGUF's context_length
     * @param llama3Scaling the scaling baked into rope_freqs when {@code spec.llama3()}
     * @param embeddingStd standard deviation of token_embd's values
     * @param fileType general.file_type (0: F32, 1: F16)
     * @param matrices maker of the 2-D weights; 1-D tensors (norms, biases) are always F32
     */
    public record Build(int contextLength, Llama3Scaling llama3Scaling, double embeddingStd, int fileType,
            WeightSource matrices) {}

    /** The tiny test models' build: uniform F32 weights (the goldens' files depend on it bit for bit). */
    public static final Build TINY = new Build(2048, new Llama3Scaling(8, 1, 4, 8192), 1.0, 0, TinyModels::random);

    /** One tensor of a model, before its values are made. */
    public sealed interface Planned {
        String name();

        long[] dims();
    }

    /** A random tensor with values of standard deviation {@code std}. */
    public record RandomTensor(String name, double std, long[] dims) implements Planned {}

    /** A norm weight near 1. */
    public record NormTensor(String name, long[] dims) implements Planned {}

    /** Fixed F32 values (rope_freqs). */
    public record FixedTensor(String name, float[] values) implements Planned {
        @Override
        public long[] dims() {
            return new long[] {values.length};
        }
    }

    /**
     * The tensors of {@code spec} in file order, as llama.cpp's converter names and orders them.
     *
     * @param vocabSize rows of the embedding (and of the output projection when untied)
     */
    public static List<Planned> plan(Spec spec, Build build, int vocabSize) {
        List<Planned> p = new ArrayList<>();
        int h = spec.hidden();
        int q = spec.heads() * spec.headDim();
        int kv = spec.kvHeads() * spec.headDim();
        p.add(new RandomTensor("token_embd.weight", build.embeddingStd(), new long[] {vocabSize, h}));
        if (spec.llama3()) {
            Llama3Scaling s = build.llama3Scaling();
            float[] inv = RopeTables.llama3(spec.headDim(), spec.ropeBase(), s.factor(), s.lowFreqFactor(),
                    s.highFreqFactor(), s.originalContext(), RopeLayout.NORM).invFreq();
            double[] base = baseFrequencies(spec.headDim(), spec.ropeBase());
            float[] divisors = new float[inv.length];
            for (int i = 0; i < inv.length; i++) {
                divisors[i] = (float) (base[i] / inv[i]);
            }
            p.add(new FixedTensor("rope_freqs.weight", divisors));
        }
        for (int l = 0; l < spec.layers(); l++) {
            String b = "blk." + l + ".";
            p.add(new NormTensor(b + "attn_norm.weight", new long[] {h}));
            p.add(new RandomTensor(b + "attn_q.weight", 1 / Math.sqrt(h), new long[] {q, h}));
            p.add(new RandomTensor(b + "attn_k.weight", 1 / Math.sqrt(h), new long[] {kv, h}));
            p.add(new RandomTensor(b + "attn_v.weight", 1 / Math.sqrt(h), new long[] {kv, h}));
            p.add(new RandomTensor(b + "attn_output.weight", 1 / Math.sqrt(q), new long[] {h, q}));
            if (spec.qkvBias()) {
                p.add(new RandomTensor(b + "attn_q.bias", 0.1, new long[] {q}));
                p.add(new RandomTensor(b + "attn_k.bias", 0.1, new long[] {kv}));
                p.add(new RandomTensor(b + "attn_v.bias", 0.1, new long[] {kv}));
            }
            if (spec.qkNorm()) {
                p.add(new NormTensor(b + "attn_q_norm.weight", new long[] {spec.headDim()}));
                p.add(new NormTensor(b + "attn_k_norm.weight", new long[] {spec.headDim()}));
            }
            p.add(new NormTensor(b + "ffn_norm.weight", new long[] {h}));
            p.add(new RandomTensor(b + "ffn_gate.weight", 1 / Math.sqrt(h), new long[] {spec.ffn(), h}));
            p.add(new RandomTensor(b + "ffn_up.weight", 1 / Math.sqrt(h), new long[] {spec.ffn(), h}));
            p.add(new RandomTensor(b + "ffn_down.weight", 1 / Math.sqrt(spec.ffn()), new long[] {h, spec.ffn()}));
        }
        p.add(new NormTensor("output_norm.weight", new long[] {h}));
        if (!spec.tied()) {
            // Logits with a spread of about 2 keep greedy choices well separated.
            p.add(new RandomTensor("output.weight", 2 / Math.sqrt(h), new long[] {vocabSize, h}));
        }
        return p;
    }

    /** Writes {@code spec} as an F32 GGUF into {@code dir} (if not already there) and returns its path. */
    public static Path write(Spec spec, Path dir) {
        Path out = dir.resolve(spec.name() + ".gguf");
        if (!Files.isRegularFile(out)) {
            write(spec, TINY, out);
        }
        return out;
    }

    /**
     * Writes {@code spec} made as {@code build} says to {@code out} (through a temporary file beside it,
     * so an interrupted run leaves no half-written model), replacing any file there.
     */
    public static void write(Spec spec, Build build, Path out) {
        try (Arena arena = Arena.ofConfined();
                GgufFile vocab = GgufFile.open(LlamaCpp.source("models/" + spec.vocabFile()))) {
            Files.createDirectories(out.toAbsolutePath().getParent());
            GgufWriter w = new GgufWriter();
            String a = spec.arch() + ".";
            int vocabSize = vocab.metadata().getStringArray("tokenizer.ggml.tokens").size();
            w.putString("general.architecture", spec.arch());
            w.putString("general.name", spec.name());
            w.putUInt32("general.file_type", build.fileType());
            w.putUInt32(a + "context_length", build.contextLength());
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
            for (Planned t : plan(spec, build, vocabSize)) {
                w.addTensor(switch (t) {
                    case RandomTensor r when r.dims().length == 1 -> random(arena, r.name(), r.std(), r.dims());
                    case RandomTensor r -> build.matrices().make(arena, r.name(), r.std(), r.dims());
                    case NormTensor n -> norm(arena, n.name(), Math.toIntExact(n.dims()[0]));
                    case FixedTensor f -> Tensor.allocateF32(arena, f.name(), f.values().length).copyFrom(f.values());
                });
            }
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            w.write(tmp);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
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
