/*
 * An OpenAI-compatible HTTP server over one model and its BatchEngine:
 *   POST /v1/chat/completions   chat, streaming (SSE) or not, tools, n, stop, sampling
 *   POST /v1/completions        raw text completion
 *   POST /v1/responses          the Responses API (basic shape: text, function calls, reasoning)
 *   GET  /v1/models             the one served model
 *   GET  /health                liveness (no key needed)
 *   GET  /metrics               Prometheus text: queue, running sequences, KV pages, tokens/s (no key needed)
 * HTTP is the JDK's com.sun.net.httpserver with a virtual thread per exchange. Every request is
 * checked before it reaches the engine (size, JSON, types, limits, context), errors are OpenAI's JSON
 * shape, a full queue answers 429 and a draining server 503. A streaming client that goes away is
 * noticed at the next write (or keep-alive comment) and its sequences are cancelled, which frees
 * their KV pages. close() stops accepting, lets running requests finish (drainSeconds), then stops.
 * Tested by OpenAiSdkTest (the official OpenAI Java SDK), ConcurrencyTest and AbuseTest.
 */
package dev.vireo.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vireo.LanguageModel;
import dev.vireo.chat.ChatTemplateException;
import dev.vireo.generate.ContextLengthException;
import dev.vireo.serve.BatchEngine;
import dev.vireo.serve.ChatFormat;
import dev.vireo.serve.ChatFormats;
import dev.vireo.serve.EngineOptions;
import dev.vireo.serve.QueueFullException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The server. Start it with {@link #start}, stop it with {@link #close}. */
public final class OpenAiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OpenAiServer.class.getName());

    private final LanguageModel model;
    private final ChatFormat format;
    private final BatchEngine engine;
    private final ServerOptions options;
    private final HttpServer http;
    private final ExecutorService executor;
    private final long startedAt = System.currentTimeMillis() / 1000;
    private final Endpoints endpoints;
    final AtomicLong requests = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean draining;

    private OpenAiServer(LanguageModel model, ChatFormat format, EngineOptions engineOptions, ServerOptions options)
            throws IOException {
        this.model = model;
        this.format = format;
        this.options = options;
        this.engine = new BatchEngine(model.decoder(), model.tokenizer()::isEndOfGeneration, engineOptions);
        this.endpoints = new Endpoints(this);
        try {
            this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 1024);
        } catch (IOException e) {
            engine.close();
            throw e;
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    /**
     * Starts serving {@code model} (which stays the caller's to close, after the server).
     *
     * @throws IOException when the address cannot be bound
     */
    public static OpenAiServer start(LanguageModel model, EngineOptions engineOptions, ServerOptions options)
            throws IOException {
        return new OpenAiServer(model, ChatFormats.forModel(model), engineOptions, options);
    }

    /** Starts serving {@code model} through another chat format (tests script the answers with one). */
    static OpenAiServer start(LanguageModel model, ChatFormat format, EngineOptions engineOptions,
            ServerOptions options) throws IOException {
        return new OpenAiServer(model, format, engineOptions, options);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    public ServerOptions options() {
        return options;
    }

    LanguageModel model() {
        return model;
    }

    ChatFormat format() {
        return format;
    }

    BatchEngine engine() {
        return engine;
    }

    long startedAt() {
        return startedAt;
    }

    private void handle(HttpExchange ex) {
        requests.incrementAndGet();
        active.incrementAndGet();
        try {
            route(ex);
        } catch (ApiException e) {
            errors.incrementAndGet();
            respondError(ex, e);
        } catch (QueueFullException e) {
            errors.incrementAndGet();
            respondError(ex, e.shuttingDown() ? ApiException.unavailable(e.getMessage()) : ApiException.busy(e.getMessage()));
        } catch (ContextLengthException e) {
            errors.incrementAndGet();
            respondError(ex, ApiException.badRequest("messages", "context_length_exceeded", e.getMessage()));
        } catch (ChatTemplateException | IllegalArgumentException e) {
            errors.incrementAndGet();
            respondError(ex, ApiException.badRequest(null, e.getMessage()));
        } catch (IOException e) {
            // The client went away mid-exchange; nothing to answer.
            LOG.log(Level.FINE, "client connection lost", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            errors.incrementAndGet();
            LOG.log(Level.SEVERE, "request failed", e);
            respondError(ex, ApiException.internal("internal error: " + e));
        } finally {
            ex.close();
            active.decrementAndGet();
        }
    }

    private void respondError(HttpExchange ex, ApiException e) {
        try {
            if (ex.getResponseCode() == -1) {
                Http.error(ex, e);
            }
        } catch (IOException io) {
            LOG.log(Level.FINE, "could not send an error to a departed client", io);
        }
    }

    private void route(HttpExchange ex) throws IOException, InterruptedException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/health")) {
            requireMethod(method, "GET");
            ObjectNode body = Http.JSON.createObjectNode().put("status", draining ? "draining" : "ok");
            Http.json(ex, draining ? 503 : 200, body);
            return;
        }
        if (path.equals("/metrics")) {
            requireMethod(method, "GET");
            Http.send(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                    Metrics.render(engine.stats(), this).getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.startsWith("/v1/")) {
            authorize(ex);
        }
        switch (path) {
            case "/v1/models" -> {
                requireMethod(method, "GET");
                Http.json(ex, 200, models());
            }
            case "/v1/chat/completions" -> {
                requireMethod(method, "POST");
                endpoints.chat(ex, request(ex));
            }
            case "/v1/completions" -> {
                requireMethod(method, "POST");
                endpoints.completions(ex, request(ex));
            }
            case "/v1/responses" -> {
                requireMethod(method, "POST");
                endpoints.responses.handle(ex, request(ex));
            }
            default -> {
                if (path.startsWith("/v1/models/")) {
                    requireMethod(method, "GET");
                    String id = path.substring("/v1/models/".length());
                    if (!id.equals(options.modelId())) {
                        throw ApiException.notFound("model_not_found", "model", "The model '" + id + "' does not exist.");
                    }
                    Http.json(ex, 200, modelEntry());
                } else {
                    throw ApiException.notFound("not_found", null, "No endpoint " + method + " " + path + ".");
                }
            }
        }
    }

    private Params request(HttpExchange ex) throws IOException {
        if (draining) {
            throw ApiException.unavailable("the server is shutting down");
        }
        return new Params(Http.object(Http.body(ex, options.maxRequestBytes())));
    }

    private static void requireMethod(String method, String expected) {
        if (!method.equals(expected)) {
            throw new ApiException(405, "invalid_request_error", "method_not_allowed", null,
                    "Use " + expected + " for this endpoint.");
        }
    }

    private void authorize(HttpExchange ex) {
        if (options.apiKey() == null) {
            return;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        String expected = "Bearer " + options.apiKey();
        if (header == null || !MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized();
        }
    }

    private ObjectNode models() {
        ObjectNode root = Http.JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        data.add(modelEntry());
        return root;
    }

    private ObjectNode modelEntry() {
        return Http.JSON.createObjectNode().put("id", options.modelId()).put("object", "model")
                .put("created", startedAt).put("owned_by", "vireo");
    }

    /**
     * Stops accepting requests (new ones get 503), waits up to drainSeconds for running requests,
     * then stops the HTTP server and the engine. The model stays open.
     */
    @Override
    public void close() {
        draining = true;
        long deadline = System.nanoTime() + Duration.ofSeconds(options.drainSeconds()).toNanos();
        try {
            engine.drain(Duration.ofSeconds(options.drainSeconds()));
            // The engine is done; let the exchanges write their last chunks.
            while (active.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        engine.close();
        executor.shutdownNow();
    }
}
