/*
 * Hostile and careless clients against a live server on loopback: malformed JSON, wrong types, a
 * 10 MB body, a prompt longer than the context, unknown paths and methods, and 1,000 connections
 * that start a streaming request and drop it mid-stream. Each must get the right OpenAI-shaped error
 * (or be cut off) while the server stays up, answers the next request, and afterwards holds no
 * sequence and no KV page beyond the reclaimable prefix cache (read from /metrics).
 */
package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AbuseTest {
    static OpenAiServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        server = TinyServer.start(TinyServer.engine(32), null);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    record Answer(int status, JsonNode json, String text) {}

    static Answer post(String path, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return answer(r);
    }

    static Answer post(String path, String body) throws Exception {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    static Answer get(String path) throws Exception {
        return answer(http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    static Answer answer(HttpResponse<String> r) {
        JsonNode json = null;
        try {
            json = Http.JSON.readTree(r.body());
        } catch (IOException e) {
            // not JSON (metrics)
        }
        return new Answer(r.statusCode(), json, r.body());
    }

    static void assertError(Answer a, int status, String param) {
        assertEquals(status, a.status(), a.text());
        JsonNode err = a.json().path("error");
        assertTrue(err.path("message").isTextual() && err.has("type") && err.has("code") && err.has("param"), a.text());
        if (param != null) {
            assertEquals(param, err.path("param").asText(), a.text());
        }
    }

    static final String OK = "{\"model\": \"tiny-llama3\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
            + "\"max_tokens\": 3, \"temperature\": 0}";

    static void assertServes() throws Exception {
        Answer a = post("/v1/chat/completions", OK);
        assertEquals(200, a.status(), a.text());
        assertEquals("chat.completion", a.json().path("object").asText());
    }

    @Test
    void malformedJsonAndWrongTypesAre400() throws Exception {
        assertError(post("/v1/chat/completions", "{\"model\": \"tiny-llama3\", \"messages\": [}"), 400, null);
        assertError(post("/v1/chat/completions", "[1, 2, 3]"), 400, null);
        assertError(post("/v1/chat/completions", ""), 400, null);
        assertError(post("/v1/chat/completions", "{\"messages\": \"hello\"}"), 400, "messages");
        assertError(post("/v1/chat/completions", "{\"messages\": []}"), 400, "messages");
        assertError(post("/v1/chat/completions", "{\"messages\": [{\"content\": \"no role\"}]}"), 400, "messages");
        assertError(post("/v1/chat/completions", OK.replace("\"max_tokens\": 3", "\"max_tokens\": \"ten\"")), 400,
                "max_tokens");
        assertError(post("/v1/chat/completions", OK.replace("\"max_tokens\": 3", "\"max_tokens\": 100000")), 400,
                "max_tokens");
        assertError(post("/v1/chat/completions", OK.replace("\"temperature\": 0", "\"temperature\": \"hot\"")), 400,
                "temperature");
        assertError(post("/v1/chat/completions", OK.replace("\"temperature\": 0", "\"temperature\": 7")), 400,
                "temperature");
        assertError(post("/v1/chat/completions", OK.replace("\"temperature\": 0", "\"n\": 0")), 400, "n");
        assertError(post("/v1/chat/completions", OK.replace("\"temperature\": 0", "\"stop\": 5")), 400, "stop");
        assertError(post("/v1/chat/completions", OK.replace("\"temperature\": 0", "\"tools\": {}")), 400, "tools");
        assertError(post("/v1/chat/completions", OK.replace("\"temperature\": 0", "\"stream\": \"yes\"")), 400, "stream");
        assertError(post("/v1/completions", "{\"prompt\": [-1, 5]}"), 400, "prompt");
        assertError(post("/v1/responses", "{\"input\": 42}"), 400, "input");
        assertError(post("/v1/chat/completions", OK.replace("tiny-llama3", "other-model")), 404, "model");
        assertError(get("/v1/nothing-here"), 404, null);
        assertError(get("/v1/chat/completions"), 405, null);
        assertServes();
    }

    @Test
    void tenMegabyteBodyIs413() throws Exception {
        byte[] big = new byte[10 << 20];
        java.util.Arrays.fill(big, (byte) 'a');
        byte[] head = "{\"model\": \"tiny-llama3\", \"messages\": [{\"role\": \"user\", \"content\": \"".getBytes(
                StandardCharsets.UTF_8);
        System.arraycopy(head, 0, big, 0, head.length);
        assertError(post("/v1/chat/completions", big), 413, null);
        assertServes();
    }

    @Test
    void promptOverTheContextIs400() throws Exception {
        String words = "lorem ipsum ".repeat(TinyServer.CONTEXT);
        Answer a = post("/v1/chat/completions", OK.replace("\"hi\"", "\"" + words + "\""));
        assertError(a, 400, "messages");
        assertEquals("context_length_exceeded", a.json().path("error").path("code").asText());
        assertServes();
    }

    /**
     * Opens a streaming request, reads its first bytes, and drops the connection; retries (like the
     * SDK) while the server answers 429 because its queue is full of not-yet-noticed dropped streams.
     */
    static boolean dropMidStream(int k) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            String status = dropOnce(k);
            if (status.startsWith("HTTP/1.1 200")) {
                return true;
            }
            if (!status.startsWith("HTTP/1.1 429")) {
                return false;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** One attempt; returns the start of the answer. */
    static String dropOnce(int k) throws IOException {
        String body = "{\"model\": \"tiny-llama3\", \"stream\": true, \"max_tokens\": 200, \"temperature\": 0.8, "
                + "\"seed\": " + k + ", \"messages\": [{\"role\": \"user\", \"content\": \"Tell story " + k + "\"}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            int n = in.read(buf);   // headers and (usually) the first chunk
            return n > 0 ? new String(buf, 0, n, StandardCharsets.US_ASCII) : "";
        }
    }

    static Map<String, Double> metrics() throws Exception {
        Map<String, Double> m = new HashMap<>();
        for (String line : get("/metrics").text().split("\n")) {
            if (!line.startsWith("#") && line.contains(" ")) {
                m.put(line.substring(0, line.indexOf(' ')), Double.parseDouble(line.substring(line.indexOf(' ') + 1)));
            }
        }
        return m;
    }

    @Test
    void aThousandDroppedStreamsLeaveNothingBehind() throws Exception {
        AtomicInteger started = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(48)) {
            List<Future<Boolean>> drops = new ArrayList<>();
            for (int k = 0; k < 1000; k++) {
                int kk = k;
                drops.add(pool.submit(() -> dropMidStream(kk)));
            }
            for (Future<Boolean> f : drops) {
                if (f.get(5, TimeUnit.MINUTES)) {
                    started.incrementAndGet();
                }
            }
        }
        assertEquals(1000, started.get(), "every stream was accepted before being dropped");
        assertServes();
        Map<String, Double> m = metrics();
        for (int i = 0; i < 600 && (m.get("vireo_running_sequences") > 0 || m.get("vireo_queue_length") > 0); i++) {
            Thread.sleep(100);
            m = metrics();
        }
        assertEquals(0.0, m.get("vireo_running_sequences"), "running after the storm: " + m);
        assertEquals(0.0, m.get("vireo_queue_length"));
        assertEquals(m.get("vireo_kv_pages_cached"), m.get("vireo_kv_pages_used"),
                "only reclaimable prefix-cache pages are left: " + m);
        assertTrue(m.get("vireo_generated_tokens_total") < 1000 * 200, "dropped streams were cancelled early: " + m);
        Answer health = get("/health");
        assertEquals(200, health.status());
    }
}
