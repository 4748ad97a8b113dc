/*
 * LanguageModel.chat on scripted decoders (ScriptedDecoder: exact token streams, real tokenizers):
 * with gpt-oss, harmony prompts byte for byte (system options, developer instructions, tools), the
 * analysis and final channels streamed apart, the stop on <|return|> and <|call|>, a tool call, the
 * analysis dropped from the next turn's prompt, stop strings, cancellation and the older Consumer-based
 * chat; with a template model, <think> blocks read as reasoning and the older chat unchanged. The tiny
 * random gpt-oss then runs the same path on real weights.
 */
package dev.vireo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.chat.ChatListener;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatOptions;
import dev.vireo.chat.ChatReply;
import dev.vireo.chat.ToolCall;
import dev.vireo.chat.harmony.HarmonyTokens;
import dev.vireo.chat.harmony.ReasoningEffort;
import dev.vireo.chat.harmony.ToolDefinition;
import dev.vireo.generate.GenerationOptions;
import dev.vireo.generate.Session;
import dev.vireo.generate.StopReason;
import dev.vireo.reference.TinyGptOss;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LanguageModelChatTest {
    static final String SYSTEM = "<|start|>system<|message|>You are ChatGPT, a large language model trained by OpenAI.\n"
            + "Knowledge cutoff: 2024-06\nCurrent date: 2025-08-05\n\nReasoning: low\n\n"
            + "# Valid channels: analysis, commentary, final. Channel must be included for every message.<|end|>";
    static final String DEVELOPER = "<|start|>developer<|message|># Instructions\n\nAnswer briefly.<|end|>";
    static final ChatOptions OPTIONS = ChatOptions.of(GenerationOptions.greedy(64))
            .withReasoningEffort(ReasoningEffort.LOW).withCurrentDate(LocalDate.of(2025, 8, 5));

    /** Records callbacks as "kind:text", consecutive pieces of one kind joined. */
    static final class Recorder implements ChatListener {
        final List<String> log = new ArrayList<>();

        private void add(String kind, String text) {
            if (!log.isEmpty() && log.getLast().startsWith(kind + ":")) {
                log.set(log.size() - 1, log.getLast() + text);
            } else {
                log.add(kind + ":" + text);
            }
        }

        @Override public void reasoning(String text) { add("reasoning", text); }
        @Override public void content(String text) { add("content", text); }
        @Override public void toolCall(ToolCall call) { log.add("call " + call.id() + " " + call.name() + " " + call.arguments()); }
    }

    private static String text(LanguageModel m, int[] ids) {
        return m.tokenizer().decode(ids, true);
    }

    @Test
    void harmonyStreamsReasoningAndAnswerApartAndDropsTheAnalysisNextTurn() {
        try (LanguageModel m = ScriptedModel.gptOss(
                "What is 2+2?<|end|><|start|>assistant",
                "<|channel|>analysis<|message|>Simple sum: 4.<|end|><|start|>assistant<|channel|>final<|message|>4<|return|>",
                "And 3+3?<|end|><|start|>assistant",
                "<|channel|>analysis<|message|>Also simple.<|end|><|start|>assistant<|channel|>final<|message|>6.<|return|>");
                Session session = m.newSession(1024)) {
            assertTrue(m.usesHarmony());
            List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.system("Answer briefly."),
                    ChatMessage.user("What is 2+2?")));
            String prompt1 = SYSTEM + DEVELOPER + "<|start|>user<|message|>What is 2+2?<|end|><|start|>assistant";
            assertEquals(prompt1, text(m, m.chatPrompt(conversation, OPTIONS)));

            Recorder r = new Recorder();
            ChatReply reply = m.chat(session, conversation, OPTIONS, r);
            assertEquals(List.of("reasoning:Simple sum: 4.", "content:4"), r.log);
            assertEquals("Simple sum: 4.", reply.reasoning());
            assertEquals("4", reply.content());
            assertFalse(reply.calledTools());
            assertEquals(StopReason.END_OF_GENERATION, reply.stopReason(), "<|return|> ends the turn");
            assertEquals("<|channel|>analysis<|message|>Simple sum: 4.<|end|><|start|>assistant<|channel|>final"
                    + "<|message|>4", text(m, reply.tokens()), "the stop token is not part of the reply");
            assertEquals("Simple sum: 4.", reply.message().reasoningContent());

            conversation.add(reply.message());
            conversation.add(ChatMessage.user("And 3+3?"));
            String prompt2 = SYSTEM + DEVELOPER + "<|start|>user<|message|>What is 2+2?<|end|>"
                    + "<|start|>assistant<|channel|>final<|message|>4<|end|>"
                    + "<|start|>user<|message|>And 3+3?<|end|><|start|>assistant";
            assertEquals(prompt2, text(m, m.chatPrompt(conversation, OPTIONS)), "the first turn's analysis is dropped");

            Recorder r2 = new Recorder();
            ChatReply second = m.chat(session, conversation, OPTIONS, r2);
            assertEquals(List.of("reasoning:Also simple.", "content:6."), r2.log);
            int[] held = session.tokens();
            assertEquals(prompt2, text(m, Arrays.copyOf(held, held.length - second.tokens().length)),
                    "the session holds exactly the second prompt, then the reply");
            assertTrue(second.timings().promptTokens() < m.chatPrompt(conversation, OPTIONS).length,
                    "the shared start of the conversation is reused");
        }
    }

    @Test
    void harmonyToolCallKeepsItsAnalysisUntilTheAnswer() {
        ToolDefinition weather = ToolDefinition.fromJson("""
                {"name": "get_weather", "description": "Current weather in a city.",
                 "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}""");
        ChatOptions options = OPTIONS.withTools(List.of(weather));
        try (LanguageModel m = ScriptedModel.gptOss(
                "Weather in Oslo?<|end|><|start|>assistant",
                "<|channel|>analysis<|message|>Need the weather.<|end|><|start|>assistant<|channel|>commentary"
                        + " to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Oslo\"}<|call|>",
                "{\"temp_c\":12}<|end|><|start|>assistant",
                "<|channel|>analysis<|message|>12 degrees.<|end|><|start|>assistant<|channel|>final<|message|>12 °C.<|return|>");
                Session session = m.newSession(1024)) {
            List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.user("Weather in Oslo?")));
            String system = SYSTEM.replace("every message.<|end|>", "every message.\n"
                    + "Calls to these tools must go to the commentary channel: 'functions'.<|end|>");
            String developer = "<|start|>developer<|message|># Tools\n\n## functions\n\nnamespace functions {\n\n"
                    + "// Current weather in a city.\ntype get_weather = (_: {\ncity: string,\n}) => any;\n\n"
                    + "} // namespace functions<|end|>";
            String user = "<|start|>user<|message|>Weather in Oslo?<|end|>";
            assertEquals(system + developer + user + "<|start|>assistant", text(m, m.chatPrompt(conversation, options)));

            Recorder r = new Recorder();
            ChatReply call = m.chat(session, conversation, options, r);
            assertEquals(List.of("reasoning:Need the weather.", "call call_0 get_weather {\"city\":\"Oslo\"}"), r.log);
            assertEquals(List.of(new ToolCall("call_0", "get_weather", "{\"city\":\"Oslo\"}")), call.toolCalls());
            assertEquals("", call.content());
            assertEquals(StopReason.END_OF_GENERATION, call.stopReason(), "<|call|> ends the turn");
            assertNull(call.message().content());

            conversation.add(call.message());
            conversation.add(ChatMessage.tool("call_0", "{\"temp_c\":12}"));
            String pending = "<|start|>assistant<|channel|>analysis<|message|>Need the weather.<|end|>"
                    + "<|start|>assistant to=functions.get_weather<|channel|>commentary <|constrain|>json<|message|>"
                    + "{\"city\":\"Oslo\"}<|call|>"
                    + "<|start|>functions.get_weather to=assistant<|channel|>commentary<|message|>{\"temp_c\":12}<|end|>";
            assertEquals(system + developer + user + pending + "<|start|>assistant",
                    text(m, m.chatPrompt(conversation, options)), "the analysis stays while the call is pending");

            Recorder r2 = new Recorder();
            ChatReply answer = m.chat(session, conversation, options, r2);
            assertEquals(List.of("reasoning:12 degrees.", "content:12 °C."), r2.log);

            conversation.add(answer.message());
            conversation.add(ChatMessage.user("Thanks"));
            assertEquals(system + developer + user + pending.replace("<|start|>assistant<|channel|>analysis<|message|>"
                    + "Need the weather.<|end|>", "") + "<|start|>assistant<|channel|>final<|message|>12 °C.<|end|>"
                    + "<|start|>user<|message|>Thanks<|end|><|start|>assistant",
                    text(m, m.chatPrompt(conversation, options)), "once answered, all earlier analysis is dropped");
        }
    }

    @Test
    void harmonyStopStringsCutTheAnswerOnly() {
        try (LanguageModel m = ScriptedModel.gptOss("Go<|end|><|start|>assistant",
                "<|channel|>analysis<|message|>Say it, then STOP.<|end|><|start|>assistant<|channel|>final"
                        + "<|message|>Hello STOP world<|return|>");
                Session session = m.newSession(1024)) {
            ChatReply r = m.chat(session, List.of(ChatMessage.user("Go")),
                    OPTIONS.withGeneration(GenerationOptions.greedy(64).withStop(List.of("STOP"))), ChatListener.NONE);
            assertEquals("Say it, then STOP.", r.reasoning());
            assertEquals("Hello ", r.content());
            assertEquals(StopReason.STOP_STRING, r.stopReason());
        }
    }

    @Test
    void cancellingFromACallbackEndsTheTurn() {
        try (LanguageModel m = ScriptedModel.gptOss("Go<|end|><|start|>assistant",
                "<|channel|>final<|message|>one two three four five six<|return|>");
                Session session = m.newSession(1024)) {
            ChatReply r = m.chat(session, List.of(ChatMessage.user("Go")), OPTIONS, new ChatListener() {
                @Override
                public void content(String text) {
                    session.cancel();
                }
            });
            assertEquals(StopReason.CANCELLED, r.stopReason());
            assertEquals("one", r.content());
        }
    }

    @Test
    void theConsumerChatGivesGptOssAnswerOnlyAndReadsTemplateVariables() {
        try (LanguageModel m = ScriptedModel.gptOss("Hi<|end|><|start|>assistant",
                "<|channel|>analysis<|message|>Greet back.<|end|><|start|>assistant<|channel|>final<|message|>Hello!<|return|>");
                Session session = m.newSession(1024)) {
            StringBuilder streamed = new StringBuilder();
            Completion c = m.chat(session, List.of(ChatMessage.user("Hi")), Map.of("reasoning_effort", "high"),
                    GenerationOptions.greedy(64), streamed::append);
            assertEquals("Hello!", c.text());
            assertEquals("Hello!", streamed.toString());
            String prompt = text(m, m.chatPrompt(List.of(ChatMessage.user("Hi")), ChatOptions.of(GenerationOptions.greedy(1))
                    .withTemplateVariables(Map.of("reasoning_effort", "high"))));
            assertTrue(prompt.contains("\n\nReasoning: high\n\n"), prompt);
            assertFalse(prompt.contains("Current date"), "no date unless asked for");
        }
    }

    @Test
    void harmonyOutputThatBreaksTheFormatIsContent() {
        try (LanguageModel m = ScriptedModel.gptOss("Hi<|end|><|start|>assistant",
                "<|channel|>final<|message|>Hi.<|end|>stray<|return|>");
                Session session = m.newSession(1024)) {
            ChatReply r = m.chat(session, List.of(ChatMessage.user("Hi")), OPTIONS, ChatListener.NONE);
            assertEquals("Hi.stray", r.content());
        }
    }

    static final String TEMPLATE = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
            + "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% if think %}<think>\n{% endif %}"
            + "{% endif %}{% if reasoning_effort %}[{{ reasoning_effort }}]{% endif %}"
            + "{% for t in tools %}[{{ t.function.name }}]{% endfor %}";

    @Test
    void templateModelsReadALeadingThinkBlockAsReasoning() {
        try (LanguageModel m = ScriptedModel.templated(TEMPLATE,
                "Hi<|im_end|>\n<|im_start|>assistant\n", "<think>\nA greeting.\n</think>\n\nHello!<|im_end|>",
                "Plain?<|im_end|>\n<|im_start|>assistant\n", "Just text.<|im_end|>",
                "R1?<|im_end|>\n<|im_start|>assistant\n<think>\n", "Short.</think>\n\nDone.<|im_end|>");
                Session session = m.newSession(1024)) {
            assertFalse(m.usesHarmony());
            Recorder r = new Recorder();
            ChatReply reply = m.chat(session, List.of(ChatMessage.user("Hi")), ChatOptions.of(GenerationOptions.greedy(64)), r);
            assertEquals(List.of("reasoning:A greeting.", "content:Hello!"), r.log);
            assertEquals("A greeting.", reply.message().reasoningContent());
            assertEquals("Hello!", reply.message().content());

            ChatReply plain = m.chat(session, List.of(ChatMessage.user("Plain?")), ChatOptions.of(GenerationOptions.greedy(64)),
                    ChatListener.NONE);
            assertEquals("", plain.reasoning());
            assertEquals("Just text.", plain.content());

            ChatReply r1 = m.chat(session, List.of(ChatMessage.user("R1?")), ChatOptions.of(GenerationOptions.greedy(64))
                    .withTemplateVariables(Map.of("think", true)), ChatListener.NONE);
            assertEquals("Short.", r1.reasoning(), "the prompt opened the block");
            assertEquals("Done.", r1.content());
        }
    }

    @Test
    void templateModelsKeepTheConsumerChatAsItWasAndGetEffortAndToolsAsVariables() {
        try (LanguageModel m = ScriptedModel.templated(TEMPLATE,
                "Hi<|im_end|>\n<|im_start|>assistant\n", "<think>\nA greeting.\n</think>\n\nHello!<|im_end|>");
                Session session = m.newSession(1024)) {
            Completion c = m.chat(session, List.of(ChatMessage.user("Hi")), Map.of(), GenerationOptions.greedy(64), s -> { });
            assertEquals("<think>\nA greeting.\n</think>\n\nHello!", c.text(), "raw text, as before");

            int[] ids = m.chatPrompt(List.of(ChatMessage.user("Hi")), ChatOptions.of(GenerationOptions.greedy(1))
                    .withReasoningEffort(ReasoningEffort.HIGH)
                    .withTools(List.of(new ToolDefinition("get_time", "The time.", null))));
            assertEquals("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n[high][get_time]", text(m, ids));
        }
    }

    @Test
    void theTinyGptOssChatsInHarmony() throws Exception {
        Path file = TinyGptOss.gguf(TinyGptOss.TINY,
                Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir"))));
        try (LanguageModel m = Vireo.load(file, LoadOptions.defaults().withThreads(2));
                Session session = m.newSession(512)) {
            assertTrue(m.usesHarmony());
            List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.user("Hello")));
            ChatOptions options = OPTIONS.withGeneration(GenerationOptions.greedy(4));
            int[] prompt1 = m.chatPrompt(conversation, options);
            assertEquals(SYSTEM + "<|start|>user<|message|>Hello<|end|><|start|>assistant", text(m, prompt1));
            ChatReply first = m.chat(session, conversation, options, ChatListener.NONE);
            assertTrue(first.tokens().length <= 4);
            for (int id : first.tokens()) {
                assertFalse(HarmonyTokens.isSamplingStop(id), "a stop token ends the turn, it is not part of it");
            }

            conversation.add(first.message());
            conversation.add(ChatMessage.user("Again"));
            int[] prompt2 = m.chatPrompt(conversation, options);
            ChatReply second = m.chat(session, conversation, options, ChatListener.NONE);
            int[] held = session.tokens();
            assertArrayEquals(prompt2, Arrays.copyOf(held, prompt2.length));
            // Then the reply (its last token is only evaluated if generation goes on).
            assertTrue(Arrays.equals(held, prompt2.length, held.length, second.tokens(), 0, held.length - prompt2.length));
            assertTrue(second.timings().promptTokens() < prompt2.length, "the system message and first question are reused");
        }
    }
}
