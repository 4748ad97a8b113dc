/*
 * The harmony answer path end to end through the official OpenAI Java SDK, with answers a real
 * gpt-oss would write. The tiny model's random weights never write harmony, so the server runs it
 * through a scripted format: the harmony format itself (prompt and parser), except that the k-th
 * token the engine generates is read as the k-th id of a fixed harmony answer. Everything after the
 * parser is the server's own: the stop tokens ending the sequence, reasoning_content and content
 * deltas, stop strings, tool_calls with finish_reason "tool_calls", the Responses API's reasoning,
 * message and function_call items, plain and streamed.
 */
package dev.vireo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.vireo.chat.ChatMessage;
import dev.vireo.serve.ChatFormat;
import dev.vireo.serve.EngineOptions;
import dev.vireo.serve.HarmonyChatFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GptOssScriptedAnswerTest {
    static final String THINKING = "The user asks about birds. END is not a stop word in here.";
    static final String ANSWER = "Birds are feathered animals that lay eggs. END of the answer.";
    /** The answer without tools: analysis, then final, then <|return|>. */
    static final String SCRIPT = "<|channel|>analysis<|message|>" + THINKING + "<|end|><|start|>assistant"
            + "<|channel|>final<|message|>" + ANSWER + "<|return|>";
    static final String CALL_THINKING = "Need the weather for Oslo; call get_weather.";
    static final String ARGUMENTS = "{\"city\":\"Oslo\"}";
    /** The answer when tools are offered: analysis, then a call, then <|call|>. */
    static final String CALL_SCRIPT = "<|channel|>analysis<|message|>" + CALL_THINKING + "<|end|><|start|>assistant"
            + "<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>" + ARGUMENTS + "<|call|>";

    static OpenAiServer server;
    static OpenAIClient client;
    static int scriptLength;

    /** The harmony format, reading {@code script} (or {@code toolScript} when tools are offered) for the model's tokens. */
    record Scripted(HarmonyChatFormat harmony, int[] script, int[] toolScript) implements ChatFormat {
        @Override
        public String name() {
            return "harmony-scripted";
        }

        @Override
        public int[] prompt(List<ChatMessage> messages, List<Map<String, Object>> tools, Map<String, Object> options) {
            return harmony.prompt(messages, tools, options);
        }

        @Override
        public boolean parsesEndOfGeneration() {
            return harmony.parsesEndOfGeneration();
        }

        @Override
        public Parser parser(List<String> stop, boolean toolsOffered, Sink sink) {
            Parser real = harmony.parser(stop, toolsOffered, sink);
            int[] ids = toolsOffered ? toolScript : script;
            return new Parser() {
                private int k;

                @Override
                public boolean push(int token) {
                    return real.push(ids[Math.min(k++, ids.length - 1)]);
                }

                @Override
                public dev.vireo.serve.ParsedMessage finish() {
                    return real.finish();
                }
            };
        }
    }

    @BeforeAll
    static void start() throws Exception {
        var tok = TinyGptOssServer.model().tokenizer();
        int[] script = tok.encode(SCRIPT, false, true);
        scriptLength = script.length;
        ChatFormat format = new Scripted(new HarmonyChatFormat(tok), script, tok.encode(CALL_SCRIPT, false, true));
        server = OpenAiServer.start(TinyGptOssServer.model(), format,
                EngineOptions.defaults(4, TinyGptOssServer.CONTEXT), ServerOptions.loopback(0, "tiny-gpt-oss", 256));
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.port() + "/v1").apiKey("none")
                .maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static ChatCompletionCreateParams.Builder chat() {
        return ChatCompletionCreateParams.builder().model("tiny-gpt-oss").addUserMessage("Tell me about birds.")
                .reasoningEffort(ReasoningEffort.HIGH).temperature(0.0);
    }

    static ChatCompletionFunctionTool weatherTool() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build()).build();
    }

    static String reasoning(Map<String, JsonValue> properties) {
        JsonValue v = properties.get("reasoning_content");
        return v == null ? null : v.convert(String.class);
    }

    @Test
    void chatSeparatesReasoningFromTheAnswerAndStopsOnReturn() {
        ChatCompletion c = client.chat().completions().create(chat().build());
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertEquals(ANSWER, choice.message().content().orElseThrow());
        assertEquals(THINKING, reasoning(choice.message()._additionalProperties()));
        assertEquals("stop", choice.finishReason().asString());
        assertEquals(scriptLength, c.usage().orElseThrow().completionTokens(), "ended at <|return|>, counted");
    }

    @Test
    void streamingSendsReasoningDeltasThenContentDeltas() {
        List<String> deltas = new ArrayList<>();
        String finish = null;
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat().build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    String r = reasoning(choice.delta()._additionalProperties());
                    String content = choice.delta().content().orElse("");
                    assertFalse(r != null && !content.isEmpty(), "one kind per delta");
                    if (r != null) {
                        deltas.add("r:" + r);
                    } else if (!content.isEmpty()) {
                        deltas.add("c:" + content);
                    }
                    if (choice.finishReason().isPresent()) {
                        finish = choice.finishReason().get().asString();
                    }
                }
            }
        }
        int firstContent = (int) deltas.stream().takeWhile(d -> d.startsWith("r:")).count();
        assertTrue(firstContent > 1 && deltas.size() - firstContent > 1, "several deltas of each: " + deltas);
        assertTrue(deltas.subList(firstContent, deltas.size()).stream().allMatch(d -> d.startsWith("c:")), deltas.toString());
        assertEquals(THINKING, String.join("", deltas.subList(0, firstContent)).replace("r:", ""));
        assertEquals(ANSWER, String.join("", deltas.subList(firstContent, deltas.size()).stream()
                .map(d -> d.substring(2)).toList()));
        assertEquals("stop", finish);
    }

    @Test
    void stopStringsCutTheAnswerNotTheReasoning() {
        ChatCompletion c = client.chat().completions().create(chat().stop("END").build());
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertEquals(ANSWER.substring(0, ANSWER.indexOf("END")), choice.message().content().orElseThrow());
        assertEquals(THINKING, reasoning(choice.message()._additionalProperties()));
        assertEquals("stop", choice.finishReason().asString());
        assertTrue(c.usage().orElseThrow().completionTokens() < scriptLength);
    }

    @Test
    void theTokenLimitCutsTheReasoningShort() {
        ChatCompletion c = client.chat().completions().create(chat().maxCompletionTokens(6).build());
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertEquals("length", choice.finishReason().asString());
        assertTrue(THINKING.startsWith(reasoning(choice.message()._additionalProperties())));
        assertEquals("", choice.message().content().orElse(""));
    }

    @Test
    void aCallEndsWithFinishReasonToolCalls() {
        ChatCompletionCreateParams params = chat().addTool(weatherTool()).build();
        ChatCompletion c = client.chat().completions().create(params);
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertEquals("tool_calls", choice.finishReason().asString());
        assertEquals(CALL_THINKING, reasoning(choice.message()._additionalProperties()));
        assertTrue(choice.message().content().isEmpty());
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertEquals("get_weather", call.function().name());
        assertEquals(ARGUMENTS, call.function().arguments());
        assertTrue(call.id().startsWith("call_"));

        List<String> calls = new ArrayList<>();
        String finish = null;
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params)) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
                for (ChatCompletionChunk.Choice ch : chunk.choices()) {
                    ch.delta().toolCalls().ifPresent(tcs -> tcs.forEach(tc -> calls.add(tc.function().orElseThrow()
                            .name().orElseThrow() + " " + tc.function().orElseThrow().arguments().orElseThrow())));
                    if (ch.finishReason().isPresent()) {
                        finish = ch.finishReason().get().asString();
                    }
                }
            }
        }
        assertEquals(List.of("get_weather " + ARGUMENTS), calls);
        assertEquals("tool_calls", finish);
    }

    @Test
    void responsesApiGivesReasoningMessageAndFunctionCallItems() {
        ResponseCreateParams params = ResponseCreateParams.builder().model("tiny-gpt-oss").input("Tell me about birds.")
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build()).build();
        Response r = client.responses().create(params);
        assertEquals(2, r.output().size(), r.output().toString());
        assertEquals(THINKING, r.output().get(0).asReasoning().content().orElseThrow().getFirst().text());
        assertEquals(ANSWER, r.output().get(1).asMessage().content().getFirst().asOutputText().text());
        assertEquals(ResponseStatus.COMPLETED, r.status().orElseThrow());

        StringBuilder thinking = new StringBuilder();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params)) {
            for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) s.stream()::iterator) {
                e.reasoningTextDelta().ifPresent(d -> thinking.append(d.delta()));
                e.outputTextDelta().ifPresent(d -> text.append(d.delta()));
            }
        }
        assertEquals(THINKING, thinking.toString());
        assertEquals(ANSWER, text.toString());

        Response call = client.responses().create(ResponseCreateParams.builder().model("tiny-gpt-oss")
                .input("Weather in Oslo?").addTool(FunctionTool.builder().name("get_weather").strict(false)
                        .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .build())
                        .build())
                .build());
        List<ResponseOutputItem> items = call.output();
        assertEquals(CALL_THINKING, items.getFirst().asReasoning().content().orElseThrow().getFirst().text());
        ResponseFunctionToolCall fc = items.getLast().asFunctionCall();
        assertEquals("get_weather", fc.name());
        assertEquals(ARGUMENTS, fc.arguments());
    }
}
