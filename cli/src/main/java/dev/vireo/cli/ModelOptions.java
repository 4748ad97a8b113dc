/*
 * The options every command that loads a model shares.
 */
package dev.vireo.cli;

import dev.vireo.Backend;
import dev.vireo.DemoModel;
import dev.vireo.LanguageModel;
import dev.vireo.LoadOptions;
import dev.vireo.Vireo;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** -m, --backend, -t, -c, --yarn-rounded. */
final class ModelOptions {
    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "a .gguf file or a Hugging Face model directory (default: the embedded demo model)")
    Path model;

    @Option(names = "--backend", paramLabel = "B", defaultValue = "auto",
            description = "cpu, reference, cuda or auto (default: ${DEFAULT-VALUE})",
            converter = BackendConverter.class)
    Backend backend;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "0",
            description = "CPU threads (default: all processors)")
    int threads;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "4096",
            description = "context size in tokens, at most the model's (default: ${DEFAULT-VALUE})")
    int contextSize;

    @Option(names = "--yarn-rounded", description = "round YaRN's correction range to whole dimensions as"
            + " llama.cpp does (gpt-oss), to reproduce llama.cpp's logits; default: the reference's unrounded range")
    boolean yarnRounded;

    /** Loads the model, telling a terminal user what is happening. */
    LanguageModel load() throws IOException {
        return load(true);
    }

    /** Loads the model; {@code batchInvariant} as in LoadOptions. */
    LanguageModel load(boolean batchInvariant) throws IOException {
        Path file = path();
        long t0 = System.nanoTime();
        Progress.status("loading " + file.getFileName() + " ...");
        LanguageModel m = Vireo.load(file, new LoadOptions(backend, threads, batchInvariant,
                dev.vireo.model.ModelOptions.defaults().withRoundYarnRange(yarnRounded)));
        Progress.done(String.format("loaded %s (%s) on %s in %.2f s", file.getFileName(), m.shape().architecture(),
                m.ops().name(), (System.nanoTime() - t0) / 1e9));
        return m;
    }

    /** The file -m names or, without -m, the embedded demo model (saying so on stderr). */
    Path path() {
        if (model != null) {
            return model;
        }
        if (!DemoModel.available()) {
            throw new IllegalArgumentException("no model given: pass -m MODEL.gguf (this build has no embedded demo model)");
        }
        System.err.println("no -m given: using the embedded " + DemoModel.DESCRIPTION);
        model = DemoModel.path();
        return model;
    }

    static final class BackendConverter implements picocli.CommandLine.ITypeConverter<Backend> {
        @Override
        public Backend convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "cpu" -> Backend.CPU;
                case "ref", "reference" -> Backend.REFERENCE;
                case "cuda", "gpu" -> Backend.CUDA;
                case "auto" -> Backend.AUTO;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "unknown backend '" + value + "' (cpu, reference, cuda, auto)");
            };
        }
    }
}
