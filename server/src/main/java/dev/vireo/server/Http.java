/*
 * Reading requests and writing responses on com.sun.net.httpserver exchanges: bounded bodies, JSON
 * answers, OpenAI-shaped errors and server-sent events.
 */
package dev.vireo.server;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** HTTP helpers. */
final class Http {
    private Http() {}

    /** Strict JSON: duplicate keys are errors; nesting bounded so a hostile body cannot recurse deep. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
    }

    /** Bytes of a body past the limit that are still read (and dropped) so the client sees the 413. */
    private static final long DRAIN_LIMIT = 64L << 20;

    /**
     * The request body, at most {@code limit} bytes.
     *
     * @throws ApiException 413 when it is larger
     */
    static byte[] body(HttpExchange ex, int limit) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        InputStream in = ex.getRequestBody();
        if (declared != null) {
            try {
                if (Long.parseLong(declared.trim()) > limit) {
                    drain(in);
                    throw ApiException.tooLarge(limit);
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(null, "Content-Length is not a number");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > limit) {
                drain(in);
                throw ApiException.tooLarge(limit);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void drain(InputStream in) throws IOException {
        long left = DRAIN_LIMIT;
        byte[] buf = new byte[65536];
        int n;
        while (left > 0 && (n = in.read(buf)) > 0) {
            left -= n;
        }
    }

    /** Parses a JSON object body. */
    static ObjectNode object(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "malformed JSON" : e.getMessage().replaceAll("\\s*\\n at \\[Source.*", "");
            throw ApiException.badRequest(null, "The request body is not valid JSON: " + msg.lines().findFirst().orElse(msg));
        }
        if (!(node instanceof ObjectNode o)) {
            throw ApiException.badRequest(null, "The request body must be a JSON object.");
        }
        return o;
    }

    static void json(HttpExchange ex, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    static ObjectNode errorBody(ApiException e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("message", e.getMessage());
        err.put("type", e.type);
        err.put("param", e.param);
        err.put("code", e.code);
        return root;
    }

    static void error(HttpExchange ex, ApiException e) throws IOException {
        if (e.status == 429 || e.status == 503) {
            ex.getResponseHeaders().set("Retry-After", "1");
        }
        json(ex, e.status, errorBody(e));
    }

    /** A server-sent events stream; every event is flushed at once. */
    static final class Sse {
        private final OutputStream out;

        Sse(HttpExchange ex) throws IOException {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.getResponseHeaders().set("Cache-Control", "no-cache");
            ex.sendResponseHeaders(200, 0);
            out = ex.getResponseBody();
        }

        /** {@code data: <json>} (Chat Completions style). */
        void data(JsonNode event) throws IOException {
            write("data: " + JSON.writeValueAsString(event) + "\n\n");
        }

        /** {@code event: <type>} then {@code data: <json>} (Responses style). */
        void event(String type, JsonNode event) throws IOException {
            write("event: " + type + "\ndata: " + JSON.writeValueAsString(event) + "\n\n");
        }

        void done() throws IOException {
            write("data: [DONE]\n\n");
        }

        /** A comment line: keeps proxies from timing out and finds dropped clients during long prefills. */
        void keepAlive() throws IOException {
            write(": keep-alive\n\n");
        }

        private void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void close() {
            try {
                out.close();
            } catch (IOException e) {
                // the client is gone; nothing left to tell it
            }
        }
    }
}
