/*
 * Tool: random-weight models with the exact shapes of published models, for speed measurements
 * (tools/bench-models/make.sh; issue 7): Llama-3.2-1B in Q8_0, Q4_0 and Q4_K_M, Qwen3-1.7B in Q8_0.
 * Hyperparameters are those of the models' published config.json; the vocabularies are the real ones,
 * from llama.cpp's vocab GGUFs, as TinyModels uses them. Each shape is written once as F16 by
 * TinyModels' writer, with normal weights of standard deviation 1/√fan-in (activations stay of order
 * one through every layer, so nothing overflows in F16 or in llama.cpp's F16 KV cache), then
 * quantized by llama.cpp's own quantizer, as a user makes a GGUF from a checkpoint. Files are
 * reproducible (seeded by tensor name) but nothing checks their bytes: they exist to be timed.
 * Not a test; not run by the build.
 *
 * Usage: java -cp <core test classpath> -Dvireo.llamacpp.dir=DIR dev.vireo.reference.BenchModels
 *            [--dry-run] [--keep-f16] [--llama-quantize BIN] OUT_DIR [TARGET...]
 * Targets: llama-3.2-1b-q8_0 llama-3.2-1b-q4_0 llama-3.2-1b-q4_k_m qwen3-1.7b-q8_0 (default: all).
 * Without --llama-quantize the quantizer is libllama's, called in process (LlamaCpp.quantize).
 */
package dev.vireo.reference;

import dev.vireo.io.GgufFile;
import dev.vireo.reference.TinyModels.Build;
import dev.vireo.reference.TinyModels.FixedTensor;
import dev.vireo.reference.TinyModels.Llama3Scaling;
import dev.vireo.reference.TinyModels.NormTensor;
import dev.vireo.reference.TinyModels.Planned;
import dev.vireo.reference.TinyModels.RandomTensor;
import dev.vireo.reference.TinyModels.Spec;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** Generator of the real-shape benchmark models. */
public final class BenchModels {
    private BenchModels() {}

    private static final ValueLayout.OfShort SHORT_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * One published model's shape.
     *
     * @param id prefix of the target names
     * @param source where the hyperparameters come from
     * @param vocabSize the config's vocab_size, checked against the vocab GGUF's token count
     */
    public record Model(String id, String source, Spec spec, Build build, int vocabSize) {}

    /** meta-llama/Llama-3.2-1B config.json: tied embeddings, llama3 RoPE scaling ×32. */
    public static final Model LLAMA_32_1B = new Model("llama-3.2-1b", "meta-llama/Llama-3.2-1B config.json",
            new Spec("llama-3.2-1b-shape", "llama", "ggml-vocab-llama-bpe.gguf", 2048, 16, 32, 8, 64, 8192, true,
                    false, false, true, 500000, 1e-5f),
            build(131072, new Llama3Scaling(32, 1, 4, 8192), 2048), 128256);

    /** Qwen/Qwen3-1.7B config.json: per-head Q/K norms, head dim 128, tied embeddings, no scaling. */
    public static final Model QWEN3_17B = new Model("qwen3-1.7b", "Qwen/Qwen3-1.7B config.json",
            new Spec("qwen3-1.7b-shape", "qwen3", "ggml-vocab-qwen2.gguf", 2048, 28, 16, 8, 128, 6144, true, false,
                    true, false, 1000000, 1e-6f),
            build(40960, null, 2048), 151936);

    /** One file to make: a model's shape quantized to one type. */
    public record Target(Model model, LlamaCpp.FileType type, String quantizeName) {
        public String name() {
            return model.id() + "-" + suffix();
        }

        String suffix() {
            return quantizeName.toLowerCase(Locale.ROOT);
        }

        public Path file(Path dir) {
            return dir.resolve(model.spec().name() + "-" + suffix() + ".gguf");
        }
    }

    public static final List<Target> TARGETS = List.of(
            new Target(LLAMA_32_1B, LlamaCpp.FileType.MOSTLY_Q8_0, "Q8_0"),
            new Target(LLAMA_32_1B, LlamaCpp.FileType.MOSTLY_Q4_0, "Q4_0"),
            new Target(LLAMA_32_1B, LlamaCpp.FileType.MOSTLY_Q4_K_M, "Q4_K_M"),
            new Target(QWEN3_17B, LlamaCpp.FileType.MOSTLY_Q8_0, "Q8_0"));

    /**
     * F16 matrices; the tied embedding doubles as the unembedding, so its spread is the one that gives
     * logits of spread about 2 (as TinyModels' untied output has).
     */
    private static Build build(int context, Llama3Scaling scaling, int hidden) {
        return new Build(context, scaling, 2 / Math.sqrt(hidden), 1, BenchModels::normalF16);
    }

    /** Normal values of standard deviation {@code std} as F16, from a stream seeded by the tensor name. */
    static Tensor normalF16(Arena arena, String name, double std, long... dims) {
        Tensor t = Tensor.allocate(arena, name, DType.F16, new Shape(dims));
        SplittableRandom r = new SplittableRandom(name.hashCode() * 0x9E3779B97F4A7C15L);
        MemorySegment seg = t.data();
        long n = t.shape().elementCount();
        for (long i = 0; i < n; i++) {
            seg.set(SHORT_LE, 2 * i, Float.floatToFloat16((float) (r.nextGaussian() * std)));
        }
        return t;
    }

    public static void main(String[] args) throws IOException {
        boolean dryRun = false;
        boolean keepF16 = false;
        Path quantizer = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dry-run" -> dryRun = true;
                case "--keep-f16" -> keepF16 = true;
                case "--llama-quantize" -> {
                    if (i + 1 == args.length) {
                        usage("--llama-quantize needs the path of llama.cpp's llama-quantize");
                    }
                    quantizer = Path.of(args[++i]);
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        usage("unknown option " + args[i]);
                    }
                    rest.add(args[i]);
                }
            }
        }
        if (rest.isEmpty()) {
            usage("no output directory");
        }
        Path dir = Path.of(rest.getFirst());
        List<Target> targets = new ArrayList<>();
        for (String name : rest.subList(1, rest.size())) {
            targets.add(TARGETS.stream().filter(t -> t.name().equals(name)).findFirst()
                    .orElseThrow(() -> usageError("unknown target " + name)));
        }
        if (targets.isEmpty()) {
            targets.addAll(TARGETS);
        }
        Map<Model, List<Target>> byModel = new LinkedHashMap<>();
        for (Target t : targets) {
            byModel.computeIfAbsent(t.model(), m -> new ArrayList<>()).add(t);
        }
        if (!dryRun && LlamaCpp.home().isEmpty()) {
            System.err.println("llama.cpp not found (vocabularies and quantizer): run tools/llama-cpp/fetch.sh and pass"
                    + " -Dvireo.llamacpp.dir=DIR (now " + System.getProperty("vireo.llamacpp.dir") + ")");
            System.exit(2);
        }
        for (Map.Entry<Model, List<Target>> e : byModel.entrySet()) {
            Model m = e.getKey();
            if (dryRun) {
                describe(m, e.getValue(), dir);
            } else {
                make(m, e.getValue(), dir, keepF16, quantizer);
            }
        }
    }

    /** Writes the model's F16 file if some target is missing, quantizes it to each, removes it unless kept. */
    private static void make(Model m, List<Target> targets, Path dir, boolean keepF16, Path quantizer)
            throws IOException {
        List<Target> missing = targets.stream().filter(t -> !Files.isRegularFile(t.file(dir))).toList();
        for (Target t : targets) {
            if (!missing.contains(t)) {
                System.err.println("have  " + t.file(dir));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Path f16 = dir.resolve(m.spec().name() + "-f16.gguf");
        if (!Files.isRegularFile(f16)) {
            try (GgufFile vocab = GgufFile.open(LlamaCpp.source("models/" + m.spec().vocabFile()))) {
                int tokens = vocab.metadata().getStringArray("tokenizer.ggml.tokens").size();
                if (tokens != m.vocabSize()) {
                    throw new IllegalStateException(m.spec().vocabFile() + " has " + tokens + " tokens, "
                            + m.source() + " says vocab_size " + m.vocabSize());
                }
            }
            System.err.printf("write %s (F16, %.2f GB)%n", f16, f16Bytes(m) / 1e9);
            long t0 = System.nanoTime();
            TinyModels.write(m.spec(), m.build(), f16);
            System.err.printf("      %.0f s%n", (System.nanoTime() - t0) / 1e9);
        }
        for (Target t : missing) {
            Path out = t.file(dir);
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            System.err.println("quantize " + t.quantizeName() + " → " + out);
            long t0 = System.nanoTime();
            if (quantizer != null) {
                runQuantizer(quantizer, f16, tmp, t.quantizeName());
            } else {
                LlamaCpp.quantize(f16, tmp, t.type(), false);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            System.err.printf("      %.0f s, %.2f GB%n", (System.nanoTime() - t0) / 1e9, Files.size(out) / 1e9);
        }
        if (!keepF16) {
            Files.delete(f16);
        }
    }

    private static void runQuantizer(Path bin, Path in, Path out, String type) throws IOException {
        Process p = new ProcessBuilder(bin.toString(), in.toString(), out.toString(), type).inheritIO().start();
        try {
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(bin + " " + in + " " + out + " " + type + " exited with " + rc);
            }
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while quantizing", e);
        }
    }

    /** Prints the shape, the tensors of the first layer and the outputs, without writing anything. */
    private static void describe(Model m, List<Target> targets, Path dir) {
        Spec s = m.spec();
        Build b = m.build();
        System.out.printf("%s (%s, from %s)%n", s.name(), s.arch(), m.source());
        System.out.printf("  hidden %d, layers %d, heads %d / kv %d × %d, ffn %d, vocab %d (%s), rms eps %s%n",
                s.hidden(), s.layers(), s.heads(), s.kvHeads(), s.headDim(), s.ffn(), m.vocabSize(), s.vocabFile(),
                s.eps());
        System.out.printf("  rope θ %s%s, context %d, %s embeddings%s%s%n", s.ropeBase(),
                s.llama3() ? String.format(Locale.ROOT, ", llama3 scaling ×%s (low %s, high %s, original context %d)",
                        b.llama3Scaling().factor(), b.llama3Scaling().lowFreqFactor(),
                        b.llama3Scaling().highFreqFactor(), b.llama3Scaling().originalContext()) : "",
                b.contextLength(),
                s.tied() ? "tied" : "untied", s.qkNorm() ? ", Q/K norms" : "", s.qkvBias() ? ", QKV biases" : "");
        List<Planned> plan = TinyModels.plan(s, b, m.vocabSize());
        long params = plan.stream().mapToLong(p -> Arrays.stream(p.dims()).reduce(1, (x, y) -> x * y)).sum();
        System.out.printf("  %d tensors, %.3f G parameters, F16 file ≈ %.2f GB%n", plan.size(), params / 1e9,
                f16Bytes(m) / 1e9);
        for (Planned p : plan) {
            if (p.name().startsWith("blk.") && !p.name().startsWith("blk.0.")) {
                continue;
            }
            String what = switch (p) {
                case RandomTensor r -> String.format(Locale.ROOT, "%s σ=%.4f", p.dims().length == 1 ? "F32" : "F16",
                        r.std());
                case NormTensor n -> "F32 ≈1";
                case FixedTensor f -> "F32 fixed";
            };
            System.out.printf("    %-28s %-16s %s%n", p.name(), Arrays.toString(p.dims()), what);
        }
        System.out.printf("    (blk.1 .. blk.%d alike)%n", s.layers() - 1);
        for (Target t : targets) {
            System.out.printf("  → %s (%s)%s%n", t.file(dir), t.quantizeName(),
                    Files.isRegularFile(t.file(dir)) ? " present" : "");
        }
    }

    private static long f16Bytes(Model m) {
        long bytes = 0;
        for (Planned p : TinyModels.plan(m.spec(), m.build(), m.vocabSize())) {
            long n = Arrays.stream(p.dims()).reduce(1, (x, y) -> x * y);
            bytes += p.dims().length == 1 ? 4 * n : 2 * n;
        }
        return bytes;
    }

    private static void usage(String problem) {
        throw usageError(problem);
    }

    private static IllegalArgumentException usageError(String problem) {
        StringBuilder names = new StringBuilder();
        TARGETS.forEach(t -> names.append(' ').append(t.name()));
        return new IllegalArgumentException(problem + "\nusage: BenchModels [--dry-run] [--keep-f16]"
                + " [--llama-quantize BIN] OUT_DIR [TARGET...]\ntargets:" + names);
    }
}
