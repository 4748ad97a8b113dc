/*
 * Many streaming clients at once through the official SDK: 64 parallel streaming chats on the CPU
 * backend must all finish, and each streamed answer must equal the answer the same server gives that
 * prompt when it is the only client (greedy), i.e. batching 64 sequences changes nothing. A heavier
 * variant (128 clients, longer answers) is tagged slow.
 */
package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    static String prompt(int k) {
        String[] topics = {"birds", "rivers", "the moon", "bread", "trains", "music", "winter", "maps"};
        return "Client " + k + " asks about " + topics[k % topics.length] + (k % 3 == 0 ? ", briefly." : ".");
    }

    static ChatCompletionCreateParams params(int k, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(TinyServer.MODEL_ID).addUserMessage(prompt(k))
                .maxCompletionTokens(maxTokens).temperature(0.0).build();
    }

    static String stream(OpenAIClient client, int k, int maxTokens) {
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params(k, maxTokens))) {
            s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        }
        return text.toString();
    }

    void parallelStreamsEqualSingleClientAnswers(int clients, int maxTokens) throws Exception {
        try (OpenAiServer server = TinyServer.start(TinyServer.engine(clients), null)) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                    .apiKey("none").maxRetries(0).build();
            List<String> alone = new ArrayList<>();
            for (int k = 0; k < clients; k++) {
                alone.add(client.chat().completions().create(params(k, maxTokens)).choices().get(0).message().content()
                        .orElse(""));
            }
            List<Future<String>> together = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int k = 0; k < clients; k++) {
                    int kk = k;
                    together.add(pool.submit(() -> stream(client, kk, maxTokens)));
                }
                for (int k = 0; k < clients; k++) {
                    assertEquals(alone.get(k), together.get(k).get(5, TimeUnit.MINUTES), "client " + k);
                }
            }
        }
    }

    @Test
    void sixtyFourStreamingClients() throws Exception {
        parallelStreamsEqualSingleClientAnswers(64, 8);
    }

    /**
     * Closing while a stream runs: health answers 503 at once, and the stream still runs to its length.
     * The stream is long (200 tokens) and health is asked without a pause, so the check lands while the
     * stream runs even on a fast machine; a fixed sleep here once let a short stream end first.
     */
    @Test
    void shutdownDrainsRunningStreamsAndRefusesNewOnes() throws Exception {
        int length = 200;
        OpenAiServer server = TinyServer.start(TinyServer.engine(4), null);
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1")
                .apiKey("none").maxRetries(0).build();
        CountDownLatch firstToken = new CountDownLatch(1);
        StringBuilder text = new StringBuilder();
        String[] finish = {null};
        HttpClient health = HttpClient.newHttpClient();
        HttpRequest healthRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .build();
        assertEquals(200, health.send(healthRequest, HttpResponse.BodyHandlers.ofString()).statusCode());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> streaming = pool.submit(() -> {
                try (StreamResponse<ChatCompletionChunk> s = client.chat().completions()
                        .createStreaming(params(1, length))) {
                    s.stream().forEach(c -> c.choices().forEach(ch -> {
                        ch.delta().content().ifPresent(text::append);
                        ch.finishReason().ifPresent(f -> finish[0] = f.asString());
                        firstToken.countDown();
                    }));
                }
                return null;
            });
            firstToken.await(60, TimeUnit.SECONDS);
            Future<?> closing = pool.submit(server::close);
            int status;
            do {   // close() flips to draining as its first step; poll until it has begun
                status = health.send(healthRequest, HttpResponse.BodyHandlers.ofString()).statusCode();
            } while (status == 200 && !closing.isDone());
            assertEquals(503, status, "draining");
            assertFalse(streaming.isDone(), "the check must land while the stream runs");
            streaming.get(2, TimeUnit.MINUTES);
            closing.get(2, TimeUnit.MINUTES);
        }
        assertEquals("length", finish[0], "the running stream ran to its " + length + " tokens, not cut: " + text);
    }

    @Test
    @Tag("slow")
    void oneHundredTwentyEightStreamingClients() throws Exception {
        parallelStreamsEqualSingleClientAnswers(128, 32);
    }
}
