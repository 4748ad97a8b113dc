/*
 * The server against the official OpenAI Java SDK on loopback, with the tiny model: chat (plain and
 * streamed), tools in the request, the Responses API (plain and streamed), legacy completions, the
 * model list, API keys and unknown models. Greedy answers must equal what the library generates for
 * the same prompt on a single Session, so the whole path (template, batching, parsing, JSON) is
 * checked, not just the shapes.
 */
package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.vireo.LanguageModel;
import dev.vireo.chat.ChatMessage;
import dev.vireo.generate.GenerationOptions;
import dev.vireo.generate.Session;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiSdkTest {
    static OpenAiServer server;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TinyServer.start(TinyServer.engine(8), "test-key");
        client = client("test-key");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey(key)
                .maxRetries(0).build();
    }

    /** The library's own greedy chat answer on a lone Session. */
    static String expectedChat(String user, int maxTokens) {
        LanguageModel m = TinyServer.model();
        try (Session s = m.newSession(TinyServer.CONTEXT)) {
            return m.chat(s, List.of(ChatMessage.user(user)), Map.of(), GenerationOptions.greedy(maxTokens), t -> { })
                    .text();
        }
    }

    static ChatCompletionCreateParams chat(String user, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(TinyServer.MODEL_ID).addUserMessage(user)
                .maxCompletionTokens(maxTokens).temperature(0.0).build();
    }

    @Test
    void chatEqualsTheLibrarysGreedyAnswer() {
        ChatCompletion c = client.chat().completions().create(chat("Tell me about birds.", 12));
        assertEquals(1, c.choices().size());
        String text = c.choices().get(0).message().content().orElseThrow();
        assertEquals(expectedChat("Tell me about birds.", 12), text);
        assertEquals(12, c.usage().orElseThrow().completionTokens());
        assertTrue(c.usage().orElseThrow().promptTokens() > 5);
        assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, c.choices().get(0).finishReason());
    }

    @Test
    void streamedChatEqualsThePlainAnswer() {
        StringBuilder text = new StringBuilder();
        String finish = null;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(chat("Count to ten.", 10))) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    if (choice.finishReason().isPresent()) {
                        finish = choice.finishReason().get().asString();
                    }
                }
            }
        }
        assertEquals(expectedChat("Count to ten.", 10), text.toString());
        assertEquals("length", finish);
    }

    @Test
    void toolsAreAcceptedAndAnswersAreWellFormed() {
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather").description("Weather in a city")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
        ChatCompletion c = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(TinyServer.MODEL_ID).addUserMessage("Weather in Oslo?").maxCompletionTokens(8).temperature(0.0)
                .addTool(ChatCompletionFunctionTool.builder().function(weather).build()).n(2).seed(7).build());
        assertEquals(2, c.choices().size());
        for (ChatCompletion.Choice choice : c.choices()) {
            // A random-weight model answers in text; tool-call parsing itself is tested on fixed strings.
            assertTrue(choice.message().content().isPresent() || choice.message().toolCalls().isPresent());
        }
    }

    @Test
    void responsesApiPlainAndStreamed() {
        ResponseCreateParams params = ResponseCreateParams.builder().model(TinyServer.MODEL_ID)
                .input("Tell me about birds.").maxOutputTokens(12).temperature(0.0).build();
        Response r = client.responses().create(params);
        StringBuilder text = new StringBuilder();
        for (ResponseOutputItem item : r.output()) {
            item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
        }
        String expected = expectedChat("Tell me about birds.", 12);
        assertEquals(expected, text.toString());
        assertEquals(12, r.usage().orElseThrow().outputTokens());

        StringBuilder streamed = new StringBuilder();
        boolean completed = false;
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) stream.stream()::iterator) {
                e.outputTextDelta().ifPresent(d -> streamed.append(d.delta()));
                completed |= e.isCompleted() || e.isIncomplete();
            }
        }
        assertEquals(expected, streamed.toString());
        assertTrue(completed, "the stream ends with response.completed");
    }

    @Test
    void legacyCompletions() {
        Completion c = client.completions().create(CompletionCreateParams.builder()
                .model(TinyServer.MODEL_ID).prompt("Once upon a time").maxTokens(8).temperature(0.0).build());
        LanguageModel m = TinyServer.model();
        String expected;
        try (Session s = m.newSession(TinyServer.CONTEXT)) {
            expected = m.complete(s, "Once upon a time", GenerationOptions.greedy(8), t -> { }).text();
        }
        assertEquals(expected, c.choices().get(0).text());
    }

    @Test
    void modelsAndErrors() {
        assertEquals(TinyServer.MODEL_ID, client.models().list().data().get(0).id());
        assertThrows(UnauthorizedException.class, () -> client("wrong").models().list());
        assertThrows(NotFoundException.class, () -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-5").addUserMessage("hi").build()));
        ChatCompletion ok = client.chat().completions().create(chat("hi", 2));
        assertFalse(ok.choices().isEmpty());
    }
}
