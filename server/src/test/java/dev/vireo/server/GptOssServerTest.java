/*
 * gpt-oss behind the server, through the official OpenAI Java SDK on loopback, with the tiny gpt-oss
 * model: the harmony chat format is chosen, reasoning_effort (Chat Completions) and reasoning.effort
 * (Responses) reach it (an effort harmony does not know is a 400), tools and tool-call history are
 * accepted, and streaming sends reasoning and content apart. Random weights do not write meaningful
 * harmony, so the answers are held to the plumbing: each greedy answer must equal what a lone
 * Session generates from the same harmony prompt, read by the same format (parsing itself is tested
 * on fixed token streams in core's HarmonyChatFormatTest), and parallel greedy requests must equal
 * sequential ones.
 */
package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ToolCall;
import dev.vireo.generate.Session;
import dev.vireo.sample.SamplingParams;
import dev.vireo.serve.ChatFormat;
import dev.vireo.serve.ParsedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GptOssServerTest {
    static final List<String> FINISH_REASONS = List.of("stop", "length", "tool_calls");
    static OpenAiServer server;
    static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        server = TinyGptOssServer.start(4);
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("none")
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** An answer as the client saw it. */
    record Answer(String content, String reasoning, List<String> calls, String finish) {}

    /** The greedy answer of a lone Session to the server's own harmony prompt, read by the same format. */
    static ParsedMessage expected(List<ChatMessage> messages, List<Map<String, Object>> tools, String effort,
            int maxTokens) {
        ChatFormat format = server.format();
        int[] prompt = format.prompt(messages, tools, Map.of("reasoning_effort", effort));
        ChatFormat.Parser parser = format.parser(List.of(), !tools.isEmpty(), new ChatFormat.Sink() {
            @Override
            public void content(String delta) {}

            @Override
            public void reasoning(String delta) {}
        });
        try (Session s = TinyGptOssServer.model().newSession(TinyGptOssServer.CONTEXT)) {
            s.generate(prompt, maxTokens, SamplingParams.greedy(), id -> false, parser::push);
        }
        return parser.finish();
    }

    static ChatCompletionCreateParams.Builder chat(String user, ReasoningEffort effort, int maxTokens) {
        return ChatCompletionCreateParams.builder().model(TinyGptOssServer.MODEL_ID).addUserMessage(user)
                .reasoningEffort(effort).maxCompletionTokens(maxTokens).temperature(0.0);
    }

    static Answer answer(ChatCompletion c) {
        assertEquals(1, c.choices().size());
        ChatCompletion.Choice choice = c.choices().getFirst();
        JsonValue reasoning = choice.message()._additionalProperties().get("reasoning_content");
        List<String> calls = choice.message().toolCalls().orElse(List.of()).stream()
                .map(t -> t.asFunction().function().name() + " " + t.asFunction().function().arguments()).toList();
        return new Answer(choice.message().content().orElse(""), reasoning == null ? "" : text(reasoning), calls,
                choice.finishReason().asString());
    }

    static String text(JsonValue v) {
        return v.convert(String.class);
    }

    static Answer stream(ChatCompletionCreateParams params) {
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<String> calls = new ArrayList<>();
        String finish = null;
        int both = 0;
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    Optional<String> c = choice.delta().content();
                    JsonValue r = choice.delta()._additionalProperties().get("reasoning_content");
                    c.ifPresent(content::append);
                    if (r != null) {
                        reasoning.append(text(r));
                    }
                    if (c.isPresent() && !c.get().isEmpty() && r != null) {
                        both++;
                    }
                    choice.delta().toolCalls().ifPresent(tcs -> tcs.forEach(tc -> calls.add(
                            tc.function().orElseThrow().name().orElseThrow() + " "
                                    + tc.function().orElseThrow().arguments().orElseThrow())));
                    if (choice.finishReason().isPresent()) {
                        finish = choice.finishReason().get().asString();
                    }
                }
            }
        }
        assertEquals(0, both, "a delta carries reasoning or content, never both");
        return new Answer(content.toString(), reasoning.toString(), calls, finish);
    }

    static void assertMatches(ParsedMessage expected, Answer actual) {
        assertEquals(expected.content(), actual.content(), "content");
        assertEquals(expected.reasoning(), actual.reasoning(), "reasoning");
        assertEquals(expected.toolCalls().stream().map(c -> c.name() + " " + c.arguments()).toList(), actual.calls());
        assertTrue(FINISH_REASONS.contains(actual.finish()), actual.finish());
    }

    @Test
    void gptOssSpeaksHarmony() {
        assertEquals("harmony", server.format().name());
        assertTrue(server.format().parsesEndOfGeneration());
    }

    @Test
    void chatWithReasoningEffortEqualsTheLibrarysGreedyAnswer() {
        ChatCompletion c = client.chat().completions().create(chat("Tell me about birds.", ReasoningEffort.HIGH, 16)
                .build());
        List<ChatMessage> messages = List.of(ChatMessage.user("Tell me about birds."));
        assertMatches(expected(messages, List.of(), "high", 16), answer(c));
        int[] prompt = server.format().prompt(messages, List.of(), Map.of("reasoning_effort", "high"));
        assertEquals(prompt.length, c.usage().orElseThrow().promptTokens(), "the harmony prompt was used");
        assertTrue(c.usage().orElseThrow().completionTokens() <= 16);
    }

    @Test
    void streamedChatEqualsTheLibrarysGreedyAnswer() {
        ChatCompletionCreateParams params = chat("Count to ten.", ReasoningEffort.LOW, 24).build();
        Answer streamed = stream(params);
        assertMatches(expected(List.of(ChatMessage.user("Count to ten.")), List.of(), "low", 24), streamed);
        assertEquals(answer(client.chat().completions().create(params)), streamed);
    }

    @Test
    void anEffortHarmonyDoesNotKnowIsABadRequest() {
        assertThrows(BadRequestException.class, () -> client.chat().completions()
                .create(chat("hi", ReasoningEffort.of("max"), 4).build()));
        assertThrows(BadRequestException.class, () -> client.responses().create(ResponseCreateParams.builder()
                .model(TinyGptOssServer.MODEL_ID).input("hi").maxOutputTokens(4)
                .reasoning(Reasoning.builder().effort(ReasoningEffort.of("max")).build()).build()));
    }

    static final Map<String, Object> WEATHER = Map.of("type", "function", "function", Map.of("name", "get_weather",
            "description", "Weather in a city", "parameters", Map.of("type", "object", "properties",
                    Map.of("city", Map.of("type", "string")))));

    @Test
    void toolsAndToolHistoryAreAccepted() {
        FunctionDefinition weather = FunctionDefinition.builder().name("get_weather").description("Weather in a city")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
        ChatCompletionCreateParams params = chat("Weather in Oslo?", ReasoningEffort.MEDIUM, 16)
                .addTool(ChatCompletionFunctionTool.builder().function(weather).build())
                .addMessage(ChatCompletionAssistantMessageParam.builder()
                        .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id("call_1")
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder().name("get_weather")
                                        .arguments("{\"city\":\"Oslo\"}").build())
                                .build())
                        .build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId("call_1").content("{\"temp\": 3}").build())
                .build();
        List<ChatMessage> messages = List.of(ChatMessage.user("Weather in Oslo?"),
                ChatMessage.assistantToolCalls(null, List.of(new ToolCall("call_1", "get_weather", Map.of("city", "Oslo")))),
                ChatMessage.tool("call_1", "{\"temp\": 3}"));
        ChatCompletion c = client.chat().completions().create(params);
        int[] prompt = server.format().prompt(messages, List.of(WEATHER), Map.of("reasoning_effort", "medium"));
        assertEquals(prompt.length, c.usage().orElseThrow().promptTokens(), "tools and history rendered as expected");
        assertMatches(expected(messages, List.of(WEATHER), "medium", 16), answer(c));
        assertMatches(expected(messages, List.of(WEATHER), "medium", 16), stream(params));
    }

    @Test
    void responsesApiCarriesTheEffortAndSeparatesReasoning() {
        ResponseCreateParams params = ResponseCreateParams.builder().model(TinyGptOssServer.MODEL_ID)
                .input("Tell me about birds.").maxOutputTokens(16).temperature(0.0)
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build()).build();
        ParsedMessage expected = expected(List.of(ChatMessage.user("Tell me about birds.")), List.of(), "low", 16);
        Response r = client.responses().create(params);
        assertEquals(ReasoningEffort.LOW, r.reasoning().flatMap(Reasoning::effort).orElseThrow());
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        for (ResponseOutputItem item : r.output()) {
            item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> text.append(t.text()))));
            item.reasoning().ifPresent(x -> x.content().orElse(List.of()).forEach(c -> reasoning.append(c.text())));
        }
        assertEquals(expected.content(), text.toString());
        assertEquals(expected.reasoning(), reasoning.toString());
        assertNotNull(r.usage().orElseThrow());

        StringBuilder streamedText = new StringBuilder();
        StringBuilder streamedReasoning = new StringBuilder();
        boolean ended = false;
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params)) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) s.stream()::iterator) {
                e.outputTextDelta().ifPresent(d -> streamedText.append(d.delta()));
                e.reasoningTextDelta().ifPresent(d -> streamedReasoning.append(d.delta()));
                ended |= e.isCompleted() || e.isIncomplete();
            }
        }
        assertEquals(expected.content(), streamedText.toString());
        assertEquals(expected.reasoning(), streamedReasoning.toString());
        assertTrue(ended, "the stream ends with response.completed");
    }

    @Test
    void parallelGreedyRequestsEqualSequentialOnes() throws Exception {
        String[] users = {"Tell me about rivers.", "What is bread?", "Name a planet.", "Why is the sky blue?"};
        ReasoningEffort[] efforts = {ReasoningEffort.LOW, ReasoningEffort.MEDIUM, ReasoningEffort.HIGH,
            ReasoningEffort.MEDIUM};
        List<Answer> alone = new ArrayList<>();
        for (int k = 0; k < users.length; k++) {
            alone.add(answer(client.chat().completions().create(chat(users[k], efforts[k], 20).build())));
        }
        List<Future<Answer>> together = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int k = 0; k < users.length; k++) {
                ChatCompletionCreateParams params = chat(users[k], efforts[k], 20).build();
                together.add(pool.submit(() -> stream(params)));
            }
            for (int k = 0; k < users.length; k++) {
                assertEquals(alone.get(k), together.get(k).get(), "client " + k);
            }
        }
    }
}
