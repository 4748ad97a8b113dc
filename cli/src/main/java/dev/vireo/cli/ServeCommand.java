/*
 * `vireo serve`: the OpenAI-compatible HTTP server (server module) over one model, with continuous
 * batching. Binds to loopback unless --host says otherwise; with --api-key (or VIREO_API_KEY) the
 * /v1/ endpoints need "Authorization: Bearer KEY". Ctrl-C (SIGTERM) stops taking requests, lets the
 * running ones finish (up to --drain seconds) and exits. docs/server.md describes the API.
 */
package dev.vireo.cli;

import dev.vireo.LanguageModel;
import dev.vireo.serve.EngineOptions;
import dev.vireo.server.OpenAiServer;
import dev.vireo.server.ServerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves a model over HTTP. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve a model through an OpenAI-compatible HTTP API (chat completions, completions, responses).")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}, loopback only)")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:VIREO_API_KEY}",
            description = "require this key on /v1/ endpoints (default: $VIREO_API_KEY, none if unset)")
    String apiKey;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "16",
            description = "sequences decoded together (default: ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "-1",
            description = "requests that may wait before 429 (default: 4 x --max-concurrent)")
    int maxQueue;

    @Option(names = "--kv-size", paramLabel = "N", defaultValue = "0",
            description = "KV cache positions shared by all sequences (default: max(ctx-size, 512 x --max-concurrent))")
    int kvSize;

    @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "4096",
            description = "most tokens a request may generate (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--max-request-bytes", paramLabel = "N", defaultValue = "4194304",
            description = "largest request body (default: ${DEFAULT-VALUE})")
    int maxRequestBytes;

    @Option(names = "--model-name", paramLabel = "NAME",
            description = "the model's id in the API (default: the file or directory name without .gguf)")
    String modelName;

    @Option(names = "--no-prefix-cache", description = "do not share KV pages of identical prompt prefixes")
    boolean noPrefixCache;

    @Option(names = "--no-batch-invariant",
            description = "let one token take the integer kernels with quantized weights (ggml's arithmetic, faster "
                + "for a single client) even though a sequence then computes different bits alone and in a batch")
    boolean notBatchInvariant;

    @Option(names = "--drain", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long shutdown waits for running requests (default: ${DEFAULT-VALUE})")
    int drainSeconds;

    /** The model and the running server; close the server first. */
    record Running(LanguageModel model, OpenAiServer server) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                model.close();
            }
        }
    }

    /** Loads the model and starts the server. */
    Running start() throws Exception {
        if (maxConcurrent <= 0 || maxTokens <= 0 || maxRequestBytes <= 0 || drainSeconds < 0) {
            throw new IllegalArgumentException(
                    "--max-concurrent, --max-tokens and --max-request-bytes must be positive");
        }
        LanguageModel m = model.load(!notBatchInvariant);
        try {
            int context = Math.min(model.contextSize, m.shape().contextLength());
            EngineOptions engine = EngineOptions.defaults(maxConcurrent, context)
                    .withPrefixCaching(!noPrefixCache);
            if (kvSize > 0) {
                engine = engine.withKvCapacity(kvSize);
            }
            if (maxQueue >= 0) {
                engine = engine.withMaxQueue(maxQueue);
            }
            String id = modelName != null ? modelName : defaultName();
            ServerOptions options = new ServerOptions(host, port, apiKey, id, maxRequestBytes,
                    Math.min(maxTokens, context), 8, drainSeconds);
            OpenAiServer server = OpenAiServer.start(m, engine, options);
            return new Running(m, server);
        } catch (Exception | Error e) {
            m.close();
            throw e;
        }
    }

    private String defaultName() {
        String name = model.path().getFileName().toString();
        return name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }

    @Override
    public Integer call() throws Exception {
        Running running = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("vireo: shutting down (finishing running requests)...");
            running.close();
            stopped.countDown();
        }, "vireo-shutdown"));
        ServerOptions o = running.server().options();
        System.err.printf("vireo: serving %s on http://%s:%d/v1 (%d concurrent sequences%s)%n", o.modelId(), o.host(),
                running.server().port(), maxConcurrent, o.apiKey() != null ? ", API key required" : "");
        if (!isLoopback(host)) {
            System.err.println("vireo: warning: listening on a non-loopback address" + (o.apiKey() == null
                    ? " without an API key" : ""));
        }
        stopped.await();
        return 0;
    }

    private static boolean isLoopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
