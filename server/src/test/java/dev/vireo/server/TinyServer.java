/*
 * The tiny Llama 3 model (TinyModels, random weights, the real Llama 3 vocabulary, ChatML fallback
 * template), loaded once per test JVM, and servers over it on a loopback port chosen by the OS.
 */
package dev.vireo.server;

import dev.vireo.Backend;
import dev.vireo.LanguageModel;
import dev.vireo.LoadOptions;
import dev.vireo.Vireo;
import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyModels;
import dev.vireo.serve.EngineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

final class TinyServer {
    static final String MODEL_ID = "tiny-llama3";
    static final int CONTEXT = 512;
    private static LanguageModel model;

    private TinyServer() {}

    /** The shared model (skips the test when llama.cpp's vocab files are absent, fails under CI=true). */
    static synchronized LanguageModel model() {
        if (model == null) {
            LlamaCpp.require();
            Path dir = Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir")));
            try {
                model = Vireo.load(TinyModels.write(TinyModels.LLAMA3, dir), new LoadOptions(Backend.CPU, 2).withBatchInvariant(true));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    static EngineOptions engine(int maxSequences) {
        return EngineOptions.defaults(maxSequences, CONTEXT);
    }

    static OpenAiServer start(EngineOptions engine, String apiKey) throws IOException {
        return OpenAiServer.start(model(), engine, ServerOptions.loopback(0, MODEL_ID, 256).withApiKey(apiKey));
    }
}
