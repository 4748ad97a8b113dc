/*
 * Tool-call and reasoning parsing of TemplateChatFormat on fixed answers, streamed a few characters
 * per token: Hermes/Qwen tags (several calls, text around them, a malformed call kept as text),
 * Llama 3.1 JSON answers, Mistral arrays, <think> blocks, stop strings, and the streamed content
 * never showing a tag or a call.
 */
package dev.vireo.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolCallParsingTest {

    /** Feeds {@code text} in pieces of {@code step} characters (one "token" each). */
    static Result run(String text, ToolCallSyntax syntax, List<String> stop, int step) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < text.length(); i += step) {
            pieces.add(text.substring(i, Math.min(text.length(), i + step)));
        }
        StringBuilder streamed = new StringBuilder();
        StringBuilder thought = new StringBuilder();
        var parser = new TemplateChatFormat.TextParser(pieces::get, () -> "", stop, syntax, true, new ChatFormat.Sink() {
            @Override
            public void content(String delta) {
                streamed.append(delta);
            }

            @Override
            public void reasoning(String delta) {
                thought.append(delta);
            }
        });
        boolean stopped = false;
        for (int i = 0; i < pieces.size() && !stopped; i++) {
            stopped = !parser.push(i);
        }
        return new Result(parser.finish(), streamed.toString(), thought.toString(), stopped);
    }

    record Result(ParsedMessage message, String streamed, String thought, boolean stopped) {}

    @Test
    void hermesCallsAmidText() {
        String answer = "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n"
                + "</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>";
        for (int step : new int[] {1, 3, 7, 1000}) {
            Result r = run(answer, ToolCallSyntax.HERMES, List.of(), step);
            assertEquals(2, r.message().toolCalls().size(), "step " + step);
            assertEquals("get_weather", r.message().toolCalls().get(0).name());
            assertEquals("{\"city\":\"Oslo\"}", r.message().toolCalls().get(0).arguments());
            assertEquals("get_time", r.message().toolCalls().get(1).name());
            assertEquals("Let me check.\n\n", r.message().content());
            assertEquals(r.message().content(), r.streamed());
            assertFalse(r.streamed().contains("<"), r.streamed());
        }
    }

    @Test
    void malformedHermesCallStaysText() {
        String answer = "<tool_call>{not json}</tool_call> done";
        Result r = run(answer, ToolCallSyntax.HERMES, List.of(), 2);
        assertTrue(r.message().toolCalls().isEmpty());
        assertEquals(answer, r.message().content());
    }

    @Test
    void llamaJsonAnswers() {
        Result r = run("{\"name\": \"search\", \"parameters\": {\"q\": \"vireo\"}}", ToolCallSyntax.LLAMA, List.of(), 4);
        assertEquals(1, r.message().toolCalls().size());
        assertEquals("search", r.message().toolCalls().get(0).name());
        assertEquals("{\"q\":\"vireo\"}", r.message().toolCalls().get(0).arguments());
        assertEquals("", r.streamed());
        Result two = run("{\"name\": \"a\", \"parameters\": {}}; {\"name\": \"b\", \"parameters\": {\"x\": 1}}",
                ToolCallSyntax.LLAMA, List.of(), 5);
        assertEquals(List.of("a", "b"), two.message().toolCalls().stream().map(c -> c.name()).toList());
        Result prose = run("{braces} are not a call", ToolCallSyntax.LLAMA, List.of(), 3);
        assertTrue(prose.message().toolCalls().isEmpty());
        assertEquals("{braces} are not a call", prose.message().content());
        Result plain = run("Hello there", ToolCallSyntax.LLAMA, List.of(), 2);
        assertEquals("Hello there", plain.streamed());
    }

    @Test
    void mistralArrays() {
        Result r = run("[{\"name\": \"f\", \"arguments\": {\"k\": [1, 2]}}]", ToolCallSyntax.MISTRAL, List.of(), 3);
        assertEquals(1, r.message().toolCalls().size());
        assertEquals("{\"k\":[1,2]}", r.message().toolCalls().get(0).arguments());
    }

    @Test
    void thinkBlocksBecomeReasoning() {
        Result r = run("<think>\nWeighing it up.\n</think>\n\nThe answer is 4.", ToolCallSyntax.HERMES, List.of(), 2);
        assertEquals("\nWeighing it up.\n", r.message().reasoning());
        assertEquals(r.message().reasoning(), r.thought());
        assertEquals("The answer is 4.", r.message().content());
        assertEquals("The answer is 4.", r.streamed());
    }

    @Test
    void stopStringsEndTheAnswer() {
        Result r = run("one two STOP three", ToolCallSyntax.NONE, List.of("STOP"), 2);
        assertTrue(r.stopped());
        assertEquals("one two ", r.message().content());
        assertEquals("one two ", r.streamed());
    }

    @Test
    void toolCallsAreNotReadWhenNoToolsWereOffered() {
        String answer = "<tool_call>{\"name\": \"f\", \"arguments\": {}}</tool_call>";
        Result r = run(answer, ToolCallSyntax.NONE, List.of(), 4);
        assertTrue(r.message().toolCalls().isEmpty());
        assertEquals(answer, r.message().content());
    }

    @Test
    void syntaxIsRecognisedFromTemplates() {
        assertEquals(ToolCallSyntax.HERMES, ToolCallSyntax.ofTemplate("... <tool_call>\\n ..."));
        assertEquals(ToolCallSyntax.LLAMA, ToolCallSyntax.ofTemplate("{{- '<|python_tag|>' }} <|eot_id|>"));
        assertEquals(ToolCallSyntax.MISTRAL, ToolCallSyntax.ofTemplate("[TOOL_CALLS]"));
        assertEquals(ToolCallSyntax.NONE, ToolCallSyntax.ofTemplate("{{ messages }}"));
    }
}
