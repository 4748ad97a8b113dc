/*
 * `vireo info MODEL`: what a model file is — architecture, parameter count, tensor types, context
 * length, chat template — for a GGUF file or a Hugging Face directory / safetensors file.
 */
package dev.vireo.cli;

import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufMetadata;
import dev.vireo.io.GgufTensorInfo;
import dev.vireo.io.GgufValue;
import dev.vireo.io.HfConfig;
import dev.vireo.io.TensorSource;
import dev.vireo.tensor.Tensor;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Describes a model file. */
@Command(name = "info", description = "Describe a model: architecture, parameters, tensor types, context, template.",
        mixinStandardHelpOptions = true)
final class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "a .gguf file, a .safetensors file or a Hugging Face"
            + " model directory (default: the embedded demo model)")
    Path model;

    @Option(names = "--tensors", description = "list every tensor")
    boolean tensors;

    @Option(names = "--metadata", description = "print every metadata value (long arrays abbreviated)")
    boolean metadata;

    @Override
    public Integer call() throws Exception {
        if (model == null) {
            model = dev.vireo.DemoModel.path();
        }
        PrintStream out = System.out;
        if (Files.isRegularFile(model) && !model.toString().endsWith(".safetensors")
                && !model.toString().endsWith(".json")) {
            try (GgufFile f = GgufFile.open(model)) {
                describeGguf(f, out);
            }
        } else {
            describeHf(out);
        }
        return 0;
    }

    private void describeGguf(GgufFile f, PrintStream out) {
        GgufMetadata m = f.metadata();
        String arch = f.architecture();
        out.printf("file:          %s (GGUF v%d, %s)%n", model, f.version(), bytes(f.byteSize()));
        out.printf("architecture:  %s%n", arch);
        m.findString("general.name").ifPresent(n -> out.printf("name:          %s%n", n));
        m.findInt(arch + ".context_length").ifPresent(n -> out.printf("context:       %d%n", n));
        m.findInt(arch + ".block_count").ifPresent(n -> out.printf("layers:        %d%n", n));
        m.findInt(arch + ".embedding_length").ifPresent(n -> out.printf("hidden size:   %d%n", n));
        m.findInt(arch + ".expert_count").ifPresent(n -> out.printf("experts:       %d (%d used per token)%n", n,
                m.findInt(arch + ".expert_used_count").orElse(0)));
        m.findString("tokenizer.ggml.model").ifPresent(t -> out.printf("tokenizer:     %s%s, %d tokens%n", t,
                m.findString("tokenizer.ggml.pre").map(p -> " (" + p + ")").orElse(""),
                m.arrayLength("tokenizer.ggml.tokens")));
        long params = 0;
        Map<String, long[]> byType = new TreeMap<>();
        for (GgufTensorInfo t : f.tensorInfos()) {
            long n = t.shape().elementCount();
            params += n;
            long[] acc = byType.computeIfAbsent(t.typeName(), k -> new long[2]);
            acc[0]++;
            acc[1] += n;
        }
        out.printf("parameters:    %s in %d tensors%n", count(params), f.tensorInfos().size());
        for (Map.Entry<String, long[]> e : byType.entrySet()) {
            out.printf("  %-8s %5d tensors, %s parameters%n", e.getKey(), e.getValue()[0], count(e.getValue()[1]));
        }
        m.findString("tokenizer.chat_template").ifPresentOrElse(
                t -> out.printf("chat template: %d characters (first line: %s)%n", t.length(), firstLine(t)),
                () -> out.println("chat template: none"));
        if (metadata) {
            out.println("metadata:");
            for (String key : m.keys()) {
                GgufValue v = m.value(key, 8);
                out.printf("  %s = %s%n", key, abbreviate(String.valueOf(v)));
            }
        }
        if (tensors) {
            out.println("tensors:");
            for (GgufTensorInfo t : f.tensorInfos()) {
                out.printf("  %-40s %-7s %s%n", t.name(), t.typeName(), t.shape());
            }
        }
    }

    private void describeHf(PrintStream out) throws Exception {
        Path dir = Files.isDirectory(model) ? model : model.toAbsolutePath().getParent();
        Path configFile = dir.resolve("config.json");
        if (Files.isRegularFile(configFile)) {
            HfConfig cfg = HfConfig.read(configFile);
            out.printf("directory:     %s%n", dir);
            out.printf("architecture:  %s (%s)%n", cfg.modelType(), String.join(", ", cfg.architectures()));
            cfg.findInt("max_position_embeddings").ifPresent(n -> out.printf("context:       %d%n", n));
            cfg.findInt("num_hidden_layers").ifPresent(n -> out.printf("layers:        %d%n", n));
            cfg.findInt("hidden_size").ifPresent(n -> out.printf("hidden size:   %d%n", n));
        }
        try (TensorSource src = TensorSource.open(model)) {
            long params = 0;
            Map<String, long[]> byType = new TreeMap<>();
            for (String name : src.names()) {
                Tensor t = src.require(name);
                long n = t.shape().elementCount();
                params += n;
                long[] acc = byType.computeIfAbsent(t.type().name(), k -> new long[2]);
                acc[0]++;
                acc[1] += n;
                if (tensors) {
                    out.printf("  %-50s %-5s %s%n", name, t.type(), t.shape());
                }
            }
            out.printf("parameters:    %s in %d tensors%n", count(params), src.names().size());
            for (Map.Entry<String, long[]> e : byType.entrySet()) {
                out.printf("  %-8s %5d tensors, %s elements%n", e.getKey(), e.getValue()[0], count(e.getValue()[1]));
            }
        }
        Path tokCfg = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(tokCfg)) {
            HfConfig tc = HfConfig.read(tokCfg);
            out.println("chat template: " + tc.findString("chat_template").map(t -> t.length() + " characters").orElse("none"));
        }
    }

    private static String firstLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return abbreviate(line);
    }

    private static String abbreviate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 97) + "...";
    }

    static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format("%.2f B", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format("%.2f M", n / 1e6);
        }
        return n >= 1000 ? String.format("%.1f K", n / 1e3) : Long.toString(n);
    }

    static String bytes(long n) {
        return n >= 1L << 30 ? String.format("%.2f GiB", n / (double) (1L << 30)) : String.format("%.1f MiB", n / (double) (1L << 20));
    }
}
