/*
 * The table from a model file's declared architecture to the loader of its family (STYLE.md: an
 * explicit table, no reflection). GGUF files name it in general.architecture; Hugging Face
 * directories in config.json's model_type. Loaders receive the ModelOptions; families ignore the
 * options that do not concern them.
 */
package dev.vireo.model;

import dev.vireo.io.GgufFile;
import dev.vireo.io.HfConfig;
import dev.vireo.io.ModelFormatException;
import dev.vireo.io.TensorSource;
import dev.vireo.model.arch.GptOssCheckpoints;
import dev.vireo.model.arch.GptOssLoader;
import dev.vireo.model.arch.LlamaLoader;
import dev.vireo.ops.Ops;
import java.lang.foreign.Arena;
import java.util.Map;
import java.util.TreeMap;

/** Family loaders by architecture name. */
public final class Architectures {
    private Architectures() {}

    /** Builds a decoder from a GGUF file; the decoder takes ownership of the file and the arena. */
    @FunctionalInterface
    public interface GgufLoader {
        Decoder load(GgufFile file, Ops ops, Arena arena, ModelOptions options);

        /** With the default options. */
        default Decoder load(GgufFile file, Ops ops, Arena arena) {
            return load(file, ops, arena, ModelOptions.defaults());
        }
    }

    /** Builds a decoder from a Hugging Face config and its tensors; the decoder takes ownership of both. */
    @FunctionalInterface
    public interface HfLoader {
        Decoder load(HfConfig config, TensorSource tensors, Ops ops, Arena arena, ModelOptions options);

        /** With the default options. */
        default Decoder load(HfConfig config, TensorSource tensors, Ops ops, Arena arena) {
            return load(config, tensors, ops, arena, ModelOptions.defaults());
        }
    }

    private static final Map<String, GgufLoader> GGUF = new TreeMap<>(Map.of(
            "llama", (f, o, a, opts) -> LlamaLoader.fromGguf(f, o, a),
            "qwen2", (f, o, a, opts) -> LlamaLoader.fromGguf(f, o, a),
            "qwen3", (f, o, a, opts) -> LlamaLoader.fromGguf(f, o, a),
            "gpt-oss", GptOssLoader::fromGguf));

    private static final Map<String, HfLoader> HF = new TreeMap<>(Map.of(
            "llama", (c, t, o, a, opts) -> LlamaLoader.fromHf(c, t, o, a),
            "mistral", (c, t, o, a, opts) -> LlamaLoader.fromHf(c, t, o, a),
            "qwen2", (c, t, o, a, opts) -> LlamaLoader.fromHf(c, t, o, a),
            "qwen3", (c, t, o, a, opts) -> LlamaLoader.fromHf(c, t, o, a),
            "gpt_oss", GptOssCheckpoints::fromHf));

    /** The loader for a GGUF architecture, or a clear error listing the supported ones. */
    public static GgufLoader gguf(String architecture, String source) {
        GgufLoader l = GGUF.get(architecture);
        if (l == null) {
            throw new ModelFormatException(source + ": architecture '" + architecture + "' is not supported (supported: "
                    + String.join(", ", GGUF.keySet()) + ")");
        }
        return l;
    }

    /** The loader for a Hugging Face model_type, or a clear error listing the supported ones. */
    public static HfLoader hf(String modelType, String source) {
        HfLoader l = HF.get(modelType);
        if (l == null) {
            throw new ModelFormatException(source + ": model_type '" + modelType + "' is not supported (supported: "
                    + String.join(", ", HF.keySet()) + ")");
        }
        return l;
    }
}
