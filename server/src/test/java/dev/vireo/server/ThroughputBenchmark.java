/*
 * Serving throughput on this machine: requests and generated tokens per second with 1, 8 and 64
 * concurrent streaming clients against a live server (tiny Llama 3 model, CPU backend, greedy,
 * 32 tokens per answer, distinct ~20-token prompts). Tagged slow; it prints a table for
 * docs/benchmarks.md and writes it to target/throughput.txt:
 *
 *   ./mvnw -B -pl core,server test -Dtest=ThroughputBenchmark -Dvireo.test.excludedGroups=none \
 *       -Dsurefire.failIfNoSpecifiedTests=false
 *
 * Timing belongs in JMH in general; this one measures a whole server (HTTP, batching, SSE), which
 * JMH's harness adds nothing to.
 */
package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("slow")
class ThroughputBenchmark {
    static final int MAX_TOKENS = 32;

    @Test
    void requestsAndTokensPerSecond() throws Exception {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-8s %-9s %-10s %-12s %-10s%n", "clients", "requests", "req/s",
                "gen tok/s", "seconds"));
        try (OpenAiServer server = TinyServer.start(TinyServer.engine(64), null)) {
            HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
            URI uri = URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions");
            run(http, uri, 4, 4, null);   // warm-up (JIT)
            for (int[] level : new int[][] {{1, 8}, {8, 32}, {64, 128}}) {
                run(http, uri, level[0], level[1], table);
            }
        }
        System.out.print(table);
        Path out = Path.of("target", "throughput.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table.toString());
    }

    /** {@code clients} threads share {@code requests} streaming requests; appends a row to the table. */
    static void run(HttpClient http, URI uri, int clients, int requests, StringBuilder table) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong tokens = new AtomicLong();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                fs.add(pool.submit(() -> {
                    for (long k; (k = next.getAndIncrement()) < requests; ) {
                        tokens.addAndGet(stream(http, uri, k));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (table != null) {
            table.append(String.format(Locale.ROOT, "%-8d %-9d %-10.2f %-12.1f %-10.1f%n", clients, requests,
                    requests / seconds, tokens.get() / seconds, seconds));
        }
    }

    /** One streamed chat; returns the completion tokens reported in the usage chunk. */
    static long stream(HttpClient http, URI uri, long k) throws Exception {
        String body = "{\"model\": \"tiny-llama3\", \"stream\": true, \"stream_options\": {\"include_usage\": true}, "
                + "\"temperature\": 0, \"max_tokens\": " + MAX_TOKENS + ", \"messages\": [{\"role\": \"user\", "
                + "\"content\": \"Benchmark request number " + k + ": write a short poem about the sea.\"}]}";
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertTrue(r.statusCode() == 200, "status " + r.statusCode());
        long generated = 0;
        for (String line : (Iterable<String>) r.body()::iterator) {
            if (line.startsWith("data: {") && line.contains("\"usage\"")) {
                JsonNode n = Http.JSON.readTree(line.substring(6));
                generated = n.path("usage").path("completion_tokens").asLong();
            }
        }
        return generated;
    }
}
