/*
 * HarmonyRenderer against the gpt-oss chat template (llama.cpp's copy of the model's own
 * openai-gpt-oss-120b.jinja, rendered by dev.vireo.chat.ChatTemplate, which ChatTemplateGoldenTest
 * holds byte-exact to Python jinja2): the same OpenAI-style conversations, converted with
 * HarmonyConversation.fromChat, render to the same prompt: reasoning effort, developer instructions
 * with function tools, a tool call with its analysis and result, and a later answer dropping that
 * analysis.
 *
 * "Where both apply": the template departs from harmony in four places, each asserted below so that a
 * change on either side is noticed: it writes a call's content type as " json" (harmony: " <|constrain|>json"),
 * it writes tool outputs through tojson (a string output gets quoted), it ends instructions without tools
 * with a blank line, and it always writes today's date. Schema defaults and nullable types are left out
 * of the shared tools: the template writes a default followed by a stray comma. The template is read
 * from ${vireo.llamacpp.dir}; the test is skipped without it unless CI=true.
 */
package dev.vireo.chat.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatTemplate;
import dev.vireo.chat.ToolCall;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HarmonyTemplateAgreementTest {
    private static final String FILE = "openai-gpt-oss-120b.jinja";
    private static final String TODAY = "2025-11-03";
    private static ChatTemplate template;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws Exception {
        Path path = Path.of(System.getProperty("vireo.llamacpp.dir", ".cache/llama.cpp"), "src", "models", "templates", FILE);
        boolean present = Files.isRegularFile(path);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + path + " is missing: run tools/llama-cpp/fetch.sh");
        }
        assumeTrue(present, () -> path + " absent (tools/llama-cpp/fetch.sh fetches it)");
        String source = Files.readString(path, StandardCharsets.UTF_8);
        Map<String, Object> golden;
        try (InputStream in = HarmonyTemplateAgreementTest.class.getResourceAsStream("/chat/openai-gpt-oss-120b.json")) {
            golden = new ObjectMapper().readValue(in, Map.class);
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
        assertEquals(golden.get("template_sha256"), sha, FILE + " is not the template the chat goldens were made from");
        LocalDateTime now = LocalDateTime.parse(TODAY + "T09:30:00");
        template = ChatTemplate.of(FILE, source, (Map<String, Object>) golden.get("special_tokens"))
                .withClock(Clock.fixed(now.toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
    }

    private static SystemOptions system(ReasoningEffort effort) {
        return SystemOptions.defaults().withCurrentDate(TODAY).withReasoningEffort(effort);
    }

    /** Ours, with calls written the template's way (content type "json" without <|constrain|>). */
    private static String ours(List<ChatMessage> messages, List<Map<String, Object>> tools, ReasoningEffort effort) {
        HarmonyConversation c = HarmonyConversation.fromChat(messages, tools, system(effort));
        List<HarmonyMessage> adapted = new ArrayList<>();
        for (HarmonyMessage m : c.messages()) {
            adapted.add(m.isToolCall() ? m.withContentType("json") : m);
        }
        return HarmonyRenderer.standard().renderForCompletion(new HarmonyConversation(c.system(), c.instructions(),
                c.functions(), adapted));
    }

    private static String theirs(List<ChatMessage> messages, List<Map<String, Object>> tools, ReasoningEffort effort) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reasoning_effort", effort.text());
        if (tools != null) {
            extra.put("tools", tools);
        }
        return template.render(messages, true, extra);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> tools() {
        // find_trains without defaults and nullable types (see the header), and a tool without parameters.
        String json = """
                [{"type": "function", "function": {"name": "find_trains",
                   "description": "Finds train connections between two stations.",
                   "parameters": {"type": "object", "properties": {
                     "from": {"type": "string", "description": "Departure station, e.g. Zürich HB"},
                     "to": {"type": "string", "description": "Arrival station"},
                     "date": {"type": "string", "description": "Travel date as YYYY-MM-DD"},
                     "max_changes": {"type": "integer", "description": "Most changes of train allowed"},
                     "class": {"type": "string", "enum": ["first", "second"]},
                     "bikes": {"type": "boolean"},
                     "via": {"type": "array", "items": {"type": "string"}, "description": "Stations to pass through"},
                     "stops": {"type": "array", "items": {"type": "integer"}}},
                   "required": ["from", "to", "date"]}}},
                 {"type": "function", "function": {"name": "get_server_time",
                   "description": "Returns the server's current time."}}]""";
        return (List<Map<String, Object>>) JsonText.parse(json, "tools");
    }

    private static final ChatMessage INSTRUCTIONS = ChatMessage.system("Answer in the language of the question.\nKeep answers short.");
    private static final ChatMessage QUESTION = ChatMessage.user("Gibt es morgen früh einen Zug von Zürich nach Lugano?");

    private static ChatMessage call() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("from", "Zürich HB");
        args.put("to", "Lugano");
        args.put("date", "2025-11-04");
        return ChatMessage.assistantToolCalls("", List.of(new ToolCall("call_1", "find_trains", args)))
                .with("thinking", "The user wants a train tomorrow morning; call find_trains.");
    }

    private static ChatMessage result() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("departs", "07:09");
        out.put("arrives", "09:08");
        out.put("changes", 0);
        return ChatMessage.tool("call_1", null).with("content", List.of(out));
    }

    @ParameterizedTest
    @EnumSource(ReasoningEffort.class)
    void reasoningEffort(ReasoningEffort effort) {
        List<ChatMessage> messages = List.of(ChatMessage.user("Wie spät ist es? 🕰️"));
        assertEquals(theirs(messages, null, effort), ours(messages, null, effort));
    }

    @Test
    void effortDefaultsToMedium() {
        List<ChatMessage> messages = List.of(ChatMessage.user("Hi"));
        assertEquals(template.render(messages, true), ours(messages, null, ReasoningEffort.MEDIUM));
    }

    @Test
    void instructionsAndFunctionTools() {
        List<ChatMessage> messages = List.of(INSTRUCTIONS, QUESTION);
        String theirs = theirs(messages, tools(), ReasoningEffort.HIGH);
        assertEquals(theirs, ours(messages, tools(), ReasoningEffort.HIGH));
        assertTrue(theirs.contains("class?: \"first\" | \"second\",\nbikes?: boolean,\n// Stations to pass through\n"
                + "via?: string[],\nstops?: number[],\n}) => any;\n\n// Returns the server's current time.\n"
                + "type get_server_time = () => any;"), theirs);
    }

    @Test
    void toolsWithoutInstructions() {
        List<ChatMessage> messages = List.of(QUESTION);
        assertEquals(theirs(messages, tools(), ReasoningEffort.LOW), ours(messages, tools(), ReasoningEffort.LOW));
    }

    @Test
    void toolCallWithItsAnalysisAndResult() {
        List<ChatMessage> messages = List.of(INSTRUCTIONS, QUESTION, call(), result());
        String theirs = theirs(messages, tools(), ReasoningEffort.HIGH);
        assertEquals(theirs, ours(messages, tools(), ReasoningEffort.HIGH));
        assertTrue(theirs.endsWith("<|start|>assistant<|channel|>analysis<|message|>The user wants a train tomorrow morning; "
                + "call find_trains.<|end|><|start|>assistant to=functions.find_trains<|channel|>commentary json<|message|>"
                + "{\"from\": \"Zürich HB\", \"to\": \"Lugano\", \"date\": \"2025-11-04\"}<|call|>"
                + "<|start|>functions.find_trains to=assistant<|channel|>commentary<|message|>"
                + "[{\"departs\": \"07:09\", \"arrives\": \"09:08\", \"changes\": 0}]<|end|><|start|>assistant"), theirs);
        // Known difference 1: harmony constrains the call's content type with the special token.
        String harmony = HarmonyRenderer.standard().renderForCompletion(
                HarmonyConversation.fromChat(messages, tools(), system(ReasoningEffort.HIGH)));
        assertEquals(theirs.replace("<|channel|>commentary json<|message|>", "<|channel|>commentary <|constrain|>json<|message|>"),
                harmony);
    }

    @Test
    void aLaterAnswerDropsTheCallsAnalysis() {
        List<ChatMessage> messages = List.of(INSTRUCTIONS, QUESTION, call(), result(),
                ChatMessage.assistant("Ja: 07:09 ab Zürich HB, an 09:08 in Lugano.").with("thinking", "A direct train."),
                ChatMessage.user("Danke! Und zurück?"));
        String theirs = theirs(messages, tools(), ReasoningEffort.MEDIUM);
        assertEquals(theirs, ours(messages, tools(), ReasoningEffort.MEDIUM));
        assertEquals(-1, theirs.indexOf("<|channel|>analysis"), "both drop the analysis");
    }

    @Test
    void knownDifferences() {
        // 2: a string tool output goes through tojson in the template (quoted); harmony writes it as it is.
        List<ChatMessage> messages = List.of(QUESTION, call(), ChatMessage.tool("call_1", "07:09 direct"));
        String theirs = theirs(messages, tools(), ReasoningEffort.MEDIUM);
        String ours = ours(messages, tools(), ReasoningEffort.MEDIUM);
        assertNotEquals(theirs, ours);
        assertEquals(theirs.replace("<|message|>\"07:09 direct\"<|end|>", "<|message|>07:09 direct<|end|>"), ours);

        // 3: instructions without tools: the template leaves a blank line before <|end|>.
        List<ChatMessage> plain = List.of(INSTRUCTIONS, ChatMessage.user("Hallo"));
        assertEquals(theirs(plain, null, ReasoningEffort.LOW).replace("Keep answers short.\n\n<|end|>", "Keep answers short.<|end|>"),
                ours(plain, null, ReasoningEffort.LOW));

        // 4: the template always writes today's date; harmony only a date it is given.
        String undated = HarmonyRenderer.standard().renderForCompletion(HarmonyConversation.fromChat(
                List.of(ChatMessage.user("Hallo")), null, SystemOptions.defaults()));
        assertEquals(template.render(List.of(ChatMessage.user("Hallo")), true).replace("Current date: " + TODAY + "\n", ""), undated);
    }
}
