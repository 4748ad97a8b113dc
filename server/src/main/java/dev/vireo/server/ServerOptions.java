/*
 * What the HTTP side of `vireo serve` is configured with (the engine has EngineOptions).
 */
package dev.vireo.server;

import java.util.Objects;

/**
 * @param host address to bind; loopback unless the operator chooses otherwise
 * @param port TCP port (0: any free port, see OpenAiServer.port())
 * @param apiKey required as "Authorization: Bearer KEY" on /v1/ endpoints; null for none
 * @param modelId the model's name in the API (/v1/models, the "model" field)
 * @param maxRequestBytes largest request body accepted (413 beyond)
 * @param maxTokens most tokens one request may ask to generate (400 beyond); also the default
 * @param maxChoices most choices ("n") per request
 * @param drainSeconds how long shutdown waits for running requests
 */
public record ServerOptions(String host, int port, String apiKey, String modelId, int maxRequestBytes, int maxTokens,
        int maxChoices, int drainSeconds) {

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(modelId, "modelId");
        if (port < 0 || port > 65535 || maxRequestBytes <= 0 || maxTokens <= 0 || maxChoices <= 0 || drainSeconds < 0) {
            throw new IllegalArgumentException("bad server options");
        }
        if (apiKey != null && apiKey.isEmpty()) {
            apiKey = null;
        }
    }

    /** Loopback, the given port, no key, 4 MiB requests, up to {@code maxTokens} tokens, n ≤ 8, 30 s drain. */
    public static ServerOptions loopback(int port, String modelId, int maxTokens) {
        return new ServerOptions("127.0.0.1", port, null, modelId, 4 << 20, maxTokens, 8, 30);
    }

    public ServerOptions withApiKey(String key) {
        return new ServerOptions(host, port, key, modelId, maxRequestBytes, maxTokens, maxChoices, drainSeconds);
    }
}
