/*
 * The entry point: load a model from a GGUF file or a Hugging Face directory and get a LanguageModel.
 *
 *   try (LanguageModel model = Vireo.load(Path.of("model.gguf"));
 *        Session session = model.newSession(4096)) {
 *       model.complete(session, "Once upon a time", GenerationOptions.of(64, 42), System.out::print);
 *   }
 */
package dev.vireo;

import dev.vireo.chat.ChatTemplate;
import dev.vireo.io.GgufFile;
import dev.vireo.io.HfConfig;
import dev.vireo.io.ModelFormatException;
import dev.vireo.io.TensorSource;
import dev.vireo.model.Architectures;
import dev.vireo.model.Decoder;
import dev.vireo.model.ModelOptions;
import dev.vireo.model.arch.GptOssCheckpoints;
import dev.vireo.ops.Ops;
import dev.vireo.tokenizer.GgufVocabulary;
import dev.vireo.tokenizer.HfTokenizerJson;
import dev.vireo.tokenizer.Tokenizer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Loads models. */
public final class Vireo {
    private Vireo() {}

    /** Loads with the automatic backend and every processor. */
    public static LanguageModel load(Path path) throws IOException {
        return load(path, LoadOptions.defaults());
    }

    /**
     * Loads a model: a {@code .gguf} file, or a Hugging Face directory with {@code config.json},
     * safetensors weights and {@code tokenizer.json}, or gpt-oss's {@code original/} directory (its
     * tokenizer.json read from the directory above).
     *
     * @throws ModelFormatException if the files are malformed or describe an unsupported model
     * @throws BackendUnavailableException if the requested backend cannot run here (see Backends)
     * @throws IOException if they cannot be read
     */
    public static LanguageModel load(Path path, LoadOptions options) throws IOException {
        if (!Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no such model file or directory");
        }
        Ops ops = Backends.open(options);
        try {
            return Files.isDirectory(path) ? loadHf(path, ops, options.model()) : loadGguf(path, ops, options.model());
        } catch (RuntimeException | IOException e) {
            ops.close();
            throw e;
        }
    }

    private static LanguageModel loadGguf(Path path, Ops ops, ModelOptions modelOptions) throws IOException {
        GgufFile file = GgufFile.open(path);
        try {
            Tokenizer tokenizer = Tokenizer.of(GgufVocabulary.fromGguf(file));
            ChatTemplate template = file.metadata().findString("tokenizer.chat_template")
                    .map(src -> ChatTemplate.of(path.getFileName().toString(), src, tokenText(tokenizer, tokenizer.vocabulary().bos()),
                            tokenText(tokenizer, tokenizer.vocabulary().eos())))
                    .orElse(null);
            Decoder decoder = Architectures.gguf(file.architecture(), file.source()).load(file, ops, Arena.ofShared(),
                    modelOptions);
            return new LanguageModel(path, decoder, tokenizer, template, ops);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    private static LanguageModel loadHf(Path dir, Ops ops, ModelOptions modelOptions) throws IOException {
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        // gpt-oss's original/ checkpoint has its own config.json (no model_type) and no tokenizer: the
        // tokenizer is the Hugging Face repository's, one directory up.
        boolean original = GptOssCheckpoints.isOriginalConfig(config);
        Path tokenizerDir = original && !Files.isRegularFile(dir.resolve("tokenizer.json")) && dir.getParent() != null
                ? dir.getParent() : dir;
        Path tokenizerJson = tokenizerDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelFormatException(dir + ": no tokenizer.json (Vireo reads Hugging Face fast-tokenizer files)");
        }
        Tokenizer tokenizer = Tokenizer.of(HfTokenizerJson.load(tokenizerJson));
        ChatTemplate template = hfTemplate(tokenizerDir, tokenizer).orElse(null);
        TensorSource tensors = TensorSource.open(dir);
        try {
            Decoder decoder = original
                    ? GptOssCheckpoints.fromOriginal(config, tensors, ops, Arena.ofShared(), modelOptions)
                    : Architectures.hf(config.modelType(), config.source()).load(config, tensors, ops,
                            Arena.ofShared(), modelOptions);
            return new LanguageModel(dir, decoder, tokenizer, template, ops);
        } catch (RuntimeException e) {
            tensors.close();
            throw e;
        }
    }

    /** The template from chat_template.jinja or tokenizer_config.json's chat_template (string form). */
    private static Optional<ChatTemplate> hfTemplate(Path dir, Tokenizer tokenizer) throws IOException {
        String bos = tokenText(tokenizer, tokenizer.vocabulary().bos());
        String eos = tokenText(tokenizer, tokenizer.vocabulary().eos());
        Path jinja = dir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            return Optional.of(ChatTemplate.of(jinja.getFileName().toString(), Files.readString(jinja), bos, eos));
        }
        Path cfg = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(cfg)) {
            return HfConfig.read(cfg).findString("chat_template").map(src -> ChatTemplate.of(cfg.toString(), src, bos, eos));
        }
        return Optional.empty();
    }

    private static String tokenText(Tokenizer t, int id) {
        return id >= 0 && id < t.vocabularySize() ? t.tokenText(id) : "";
    }
}
