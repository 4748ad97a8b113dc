/*
 * The tiny gpt-oss model (TinyGptOss.TINY: random weights, MXFP4 experts, the real o200k_harmony
 * vocabulary built from jtokkit's rank file) loaded once per test JVM, batch-invariant as `vireo serve`
 * loads it, and servers over it on a loopback port chosen by the OS. The GGUF (about 220 MB) is
 * generated on first use into vireo.models.dir and reused after.
 */
package dev.vireo.server;

import dev.vireo.Backend;
import dev.vireo.LanguageModel;
import dev.vireo.LoadOptions;
import dev.vireo.Vireo;
import dev.vireo.reference.TinyGptOss;
import dev.vireo.serve.EngineOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

final class TinyGptOssServer {
    static final String MODEL_ID = "tiny-gpt-oss";
    /** Harmony prompts start with a system message of ~30 tokens; tools and history add more. */
    static final int CONTEXT = 1024;
    private static LanguageModel model;

    private TinyGptOssServer() {}

    /** The shared model. */
    static synchronized LanguageModel model() {
        if (model == null) {
            Path dir = Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir")));
            try {
                model = Vireo.load(TinyGptOss.gguf(TinyGptOss.TINY, dir),
                        new LoadOptions(Backend.CPU, 2).withBatchInvariant(true));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    static OpenAiServer start(int maxSequences) throws IOException {
        return OpenAiServer.start(model(), EngineOptions.defaults(maxSequences, CONTEXT),
                ServerOptions.loopback(0, MODEL_ID, 256));
    }
}
