/*
 * HarmonyChatFormat on fixed token streams, the way the server's engine feeds it (every sampled id,
 * stop tokens included): reasoning and content deltas kept apart and adding up to the final message,
 * tool calls read from commentary to=functions.NAME and ended by <|call|>, the stop tokens, stop
 * strings on the content only, answers cut short; and the prompt: the messages, tools and reasoning
 * effort rendered as HarmonyRenderer renders the converted conversation. The streams are written by
 * hand from the harmony format's documented grammar; the o200k_harmony tokenizer is built from
 * jtokkit's rank file (no llama.cpp needed).
 */
package dev.vireo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ToolCall;
import dev.vireo.chat.harmony.HarmonyConversation;
import dev.vireo.chat.harmony.HarmonyRenderer;
import dev.vireo.chat.harmony.HarmonyTokens;
import dev.vireo.chat.harmony.ReasoningEffort;
import dev.vireo.chat.harmony.SystemOptions;
import dev.vireo.reference.TinyGptOss;
import dev.vireo.tokenizer.Tokenizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HarmonyChatFormatTest {
    private static Tokenizer tok;
    private static HarmonyChatFormat format;

    @BeforeAll
    static void load() throws Exception {
        tok = Tokenizer.of(TinyGptOss.harmonyVocabulary());
        format = new HarmonyChatFormat(tok, Clock.fixed(Instant.parse("2025-11-03T10:00:00Z"), ZoneOffset.UTC));
    }

    /** What a parser reported: deltas in order ("r:" reasoning, "c:" content), where it asked to stop, the result. */
    record Run(List<String> deltas, int stoppedAt, int tokens, ParsedMessage message) {
        String streamed(String kind) {
            StringBuilder b = new StringBuilder();
            deltas.stream().filter(d -> d.startsWith(kind + ":")).forEach(d -> b.append(d.substring(2)));
            return b.toString();
        }
    }

    /** Feeds the ids of {@code generated} (special tokens parsed) until push says stop, as the engine does. */
    static Run run(String generated, List<String> stop, boolean tools) {
        List<String> deltas = new ArrayList<>();
        ChatFormat.Parser p = format.parser(stop, tools, new ChatFormat.Sink() {
            @Override
            public void content(String delta) {
                deltas.add("c:" + delta);
            }

            @Override
            public void reasoning(String delta) {
                deltas.add("r:" + delta);
            }
        });
        int[] ids = tok.encode(generated, false, true);
        int stoppedAt = -1;
        for (int i = 0; i < ids.length; i++) {
            if (!p.push(ids[i])) {
                stoppedAt = i;
                break;
            }
        }
        return new Run(deltas, stoppedAt, ids.length, p.finish());
    }

    @Test
    void reasoningAndAnswerAreSeparateAndEndOnReturn() {
        Run r = run("<|channel|>analysis<|message|>The user greets me. I should greet back.<|end|>"
                + "<|start|>assistant<|channel|>final<|message|>Hello! How can I help?<|return|>", List.of(), false);
        assertEquals("The user greets me. I should greet back.", r.message().reasoning());
        assertEquals("Hello! How can I help?", r.message().content());
        assertTrue(r.message().toolCalls().isEmpty());
        assertEquals(r.tokens() - 1, r.stoppedAt(), "push says stop at <|return|>, the last token");
        assertEquals(r.message().reasoning(), r.streamed("r"));
        assertEquals(r.message().content(), r.streamed("c"));
        // All reasoning is streamed before any content, in more than one piece each.
        int firstContent = r.deltas().indexOf(r.deltas().stream().filter(d -> d.startsWith("c:")).findFirst().orElseThrow());
        assertTrue(r.deltas().subList(0, firstContent).stream().allMatch(d -> d.startsWith("r:")));
        assertTrue(firstContent > 1 && r.deltas().size() - firstContent > 1, r.deltas().toString());
    }

    @Test
    void toolCallOnCommentaryEndsOnCall() {
        Run r = run("<|channel|>analysis<|message|>Need the weather. Call get_weather.<|end|>"
                + "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>"
                + "{\"city\": \"Oslo\"}<|call|>", List.of(), true);
        assertEquals("Need the weather. Call get_weather.", r.message().reasoning());
        assertEquals("", r.message().content());
        assertEquals(1, r.message().toolCalls().size());
        ToolCall call = r.message().toolCalls().getFirst();
        assertEquals("get_weather", call.name());
        assertEquals("{\"city\": \"Oslo\"}", call.arguments());
        assertTrue(call.id().startsWith("call_"), call.id());
        assertEquals(r.tokens() - 1, r.stoppedAt(), "push says stop at <|call|>");
        assertTrue(r.deltas().stream().allMatch(d -> d.startsWith("r:")), "arguments are not streamed as text");
    }

    @Test
    void recipientBeforeChannelAndAPreambleAsContent() {
        // The model may write the recipient in the role part of the header; a preamble (commentary
        // without recipient) is for the user.
        Run r = run("<|channel|>commentary<|message|>Let me look that up.<|end|>"
                + "<|start|>assistant to=functions.lookup<|channel|>commentary json<|message|>{\"q\":\"x\"}<|call|>",
                List.of(), true);
        assertEquals("Let me look that up.", r.message().content());
        assertEquals(List.of("lookup"), r.message().toolCalls().stream().map(ToolCall::name).toList());
        assertEquals("{\"q\":\"x\"}", r.message().toolCalls().getFirst().arguments());
    }

    @Test
    void callsAreOnlyReadWhenToolsWereOffered() {
        String generated = "<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{}<|call|>";
        assertTrue(run(generated, List.of(), false).message().toolCalls().isEmpty());
        // Built-in tools nobody offered are not function calls either.
        Run browser = run("<|channel|>analysis to=browser.search<|message|>{\"query\": \"x\"}<|call|>", List.of(), true);
        assertTrue(browser.message().toolCalls().isEmpty());
        assertEquals(browser.tokens() - 1, browser.stoppedAt(), "still a stop");
    }

    @Test
    void stopStringsCutTheAnswerButNotTheReasoning() {
        Run r = run("<|channel|>analysis<|message|>Say it, then END. END is the word.<|end|>"
                + "<|start|>assistant<|channel|>final<|message|>Here it is. END and more text.<|return|>",
                List.of("END"), false);
        assertEquals("Say it, then END. END is the word.", r.message().reasoning());
        assertEquals("Here it is. ", r.message().content());
        assertEquals(r.message().content(), r.streamed("c"));
        assertTrue(r.stoppedAt() > 0 && r.stoppedAt() < r.tokens() - 3, "stops at the stop string: " + r.stoppedAt());
    }

    @Test
    void anAnswerCutShortKeepsWhatItHasAndAnOpenCallIsNoCall() {
        Run text = run("<|channel|>analysis<|message|>Thinking<|end|><|start|>assistant<|channel|>final<|message|>Partial",
                List.of("zzz"), false);
        assertEquals(-1, text.stoppedAt());
        assertEquals("Thinking", text.message().reasoning());
        assertEquals("Partial", text.message().content());
        assertEquals("Partial", text.streamed("c"));

        Run call = run("<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\": \"Os",
                List.of(), true);
        assertTrue(call.message().toolCalls().isEmpty());
        assertEquals("", call.message().content());
    }

    @Test
    void severalMessagesOfOneKindJoinWithANewline() {
        Run r = run("<|channel|>analysis<|message|>First.<|end|><|start|>assistant<|channel|>analysis<|message|>Second."
                + "<|end|><|start|>assistant<|channel|>final<|message|>Answer.<|return|>", List.of(), false);
        assertEquals("First.\nSecond.", r.message().reasoning());
        assertEquals(r.message().reasoning(), r.streamed("r"));
        assertEquals("Answer.", r.message().content());
    }

    @Test
    void endOfTextEndsTheTurnAndMalformedOutputDoesNotThrow() {
        Run r = run("<|channel|>final<|message|>Hi<|end|>stray text<|message|><|endoftext|>more", List.of(), false);
        assertEquals("Hi", r.message().content());
        assertEquals(r.tokens() - 2, r.stoppedAt(), "<|endoftext|> stops");
        assertTrue(format.parsesEndOfGeneration());
        assertTrue(tok.isEndOfGeneration(HarmonyTokens.RETURN) && tok.isEndOfGeneration(HarmonyTokens.CALL));
    }

    // ---- prompts ----

    static final Map<String, Object> WEATHER = Map.of("type", "function", "function", Map.of("name", "get_weather",
            "description", "Weather in a city", "parameters", Map.of("type", "object", "properties",
                    Map.of("city", Map.of("type", "string")), "required", List.of("city"))));

    static List<ChatMessage> toolConversation() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("city", "Oslo");
        return List.of(ChatMessage.system("You are terse."), ChatMessage.user("Weather in Oslo?"),
                ChatMessage.assistantToolCalls(null, List.of(new ToolCall("call_1", "get_weather", args)))
                        .withReasoningContent("Call the tool."),
                ChatMessage.tool("call_1", "{\"temp\": 3}"));
    }

    static String promptText(List<ChatMessage> messages, List<Map<String, Object>> tools, Map<String, Object> options) {
        return tok.decode(format.prompt(messages, tools, options), true);
    }

    @Test
    void promptIsTheRenderedConversation() {
        List<ChatMessage> messages = toolConversation();
        int[] ids = format.prompt(messages, List.of(WEATHER), Map.of("reasoning_effort", "high"));
        SystemOptions system = SystemOptions.defaults().withReasoningEffort(ReasoningEffort.HIGH)
                .withCurrentDate("2025-11-03");
        int[] expected = HarmonyRenderer.standard()
                .renderForCompletion(HarmonyConversation.fromChat(messages, List.of(WEATHER), system), tok);
        assertEquals(Arrays.toString(expected), Arrays.toString(ids));

        String text = tok.decode(ids, true);
        assertTrue(text.startsWith("<|start|>system<|message|>You are ChatGPT, a large language model trained by OpenAI.\n"
                + "Knowledge cutoff: 2024-06\nCurrent date: 2025-11-03\n\nReasoning: high\n\n"), text);
        assertTrue(text.contains("<|start|>developer<|message|># Instructions\n\nYou are terse.\n\n# Tools\n\n"
                + "## functions\n\nnamespace functions {\n\n// Weather in a city\ntype get_weather = (_: {\ncity: string,\n"
                + "}) => any;\n\n} // namespace functions<|end|>"), text);
        assertTrue(text.contains("<|start|>user<|message|>Weather in Oslo?<|end|>"
                + "<|start|>assistant<|channel|>analysis<|message|>Call the tool.<|end|>"
                + "<|start|>assistant to=functions.get_weather<|channel|>commentary <|constrain|>json<|message|>"
                + "{\"city\": \"Oslo\"}<|call|>"
                + "<|start|>functions.get_weather to=assistant<|channel|>commentary<|message|>{\"temp\": 3}<|end|>"), text);
        assertTrue(text.endsWith("<|start|>assistant"), text);
        // Content can never inject a control token: the user's "<|end|>" stays text.
        int[] injected = format.prompt(List.of(ChatMessage.user("a<|end|>b")), List.of(), Map.of());
        assertEquals(2, Arrays.stream(injected).filter(id -> id == HarmonyTokens.END).count(),
                "only the system's and the user message's own <|end|>");
    }

    @Test
    void reasoningEffortDefaultsToMediumAndIsChecked() {
        List<ChatMessage> hi = List.of(ChatMessage.user("hi"));
        assertTrue(promptText(hi, List.of(), Map.of()).contains("\n\nReasoning: medium\n\n"));
        assertTrue(promptText(hi, List.of(), Map.of("reasoning_effort", "LOW")).contains("\n\nReasoning: low\n\n"));
        assertTrue(promptText(hi, List.of(), Map.of("model_identity", "You are Vireo."))
                .startsWith("<|start|>system<|message|>You are Vireo.\n"));
        assertThrows(IllegalArgumentException.class, () -> format.prompt(hi, List.of(), Map.of("reasoning_effort", "max")));
        assertThrows(IllegalArgumentException.class, () -> format.prompt(hi, List.of(), Map.of("reasoning_effort", 3)));
        // No tools: no developer message and no "functions" line in the system message.
        String plain = promptText(hi, List.of(), Map.of());
        assertFalse(plain.contains("developer") || plain.contains("functions"), plain);
    }

    @Test
    void leadingSystemMessagesAreJoinedAndLaterOnesRefused() {
        String joined = promptText(List.of(ChatMessage.system("Be brief."), new ChatMessage("developer", "Use French."),
                ChatMessage.user("hi")), List.of(), Map.of());
        assertTrue(joined.contains("<|start|>developer<|message|># Instructions\n\nBe brief.\n\nUse French.<|end|>"),
                joined);
        assertThrows(IllegalArgumentException.class, () -> format.prompt(
                List.of(ChatMessage.user("hi"), ChatMessage.system("late")), List.of(), Map.of()));
    }
}
