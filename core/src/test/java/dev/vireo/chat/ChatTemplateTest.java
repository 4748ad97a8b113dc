/*
 * Behaviour of ChatTemplate on small inline templates (no llama.cpp needed): variables and extras,
 * errors (raise_exception, syntax, engine), the ChatML fallback, the clock, Python semantics that the
 * compatibility layer adds (None vs undefined, `not` precedence, slices, keyword arguments, loop filter,
 * str methods, tojson), and that message text is never interpreted as template code. Expected values
 * are what Python jinja2 with transformers' settings gives (checked by hand with make-goldens' setup).
 */
package dev.vireo.chat;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatTemplateTest {
    private static final List<ChatMessage> HELLO = List.of(ChatMessage.user("Hello"));

    private static String render(String template, Map<String, ?> extra) {
        return ChatTemplate.of("inline", template, Map.of()).render(HELLO, true, extra);
    }

    private static String render(String template) {
        return render(template, Map.of());
    }

    @Test
    void rendersMessagesTokensAndGenerationPrompt() {
        ChatTemplate t = ChatTemplate.of("t", "{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m['content'] }}"
                + "{% endfor %}{% if add_generation_prompt %}[assistant]{% endif %}", "<s>", "</s>");
        List<ChatMessage> chat = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi"));
        assertEquals("<s>[system]Be brief.[user]Hi[assistant]", t.render(chat, true));
        assertEquals("<s>[system]Be brief.[user]Hi", t.render(chat, false));
    }

    @Test
    void raiseExceptionBecomesChatTemplateExceptionWithTheTemplatesMessage() {
        ChatTemplate t = ChatTemplate.of("strict", "line one\n{% if messages|length < 2 %}"
                + "{{ raise_exception('Need two messages, got ' ~ messages|length) }}{% endif %}", Map.of());
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(HELLO, true));
        assertTrue(e.raisedByTemplate());
        assertEquals("Need two messages, got 1", e.templateMessage());
        assertEquals("strict", e.templateName());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("strict") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void syntaxErrorIsReportedWhenTheTemplateIsCreated() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("broken", "ok\n{% if x %}never closed", Map.of()));
        assertFalse(e.raisedByTemplate());
        assertTrue(e.getMessage().contains("broken"), e.getMessage());
    }

    @Test
    void engineErrorsAreExceptionsNotGarbage() {
        // Python: TypeError, can only concatenate str (not "NoneType") to str.
        ChatTemplate t = ChatTemplate.of("t", "{{ 'a' + messages[0].content }}", Map.of());
        assertThrows(ChatTemplateException.class, () -> t.render(List.of(ChatMessage.assistant(null)), false));
        // Python: UndefinedError for a method call on None.
        ChatTemplate split = ChatTemplate.of("t", "{{ messages[0].content.split('x') }}", Map.of());
        assertThrows(ChatTemplateException.class, () -> split.render(List.of(ChatMessage.assistant(null)), false));
    }

    @Test
    void messageTextIsNeverInterpretedAsTemplateCode() {
        ChatTemplate t = ChatTemplate.of("t", "{{ messages[0].content }}", Map.of());
        String hostile = "{{ raise_exception('boom') }}{% for x in range(3) %}x{% endfor %}";
        assertEquals(hostile, t.render(List.of(ChatMessage.user(hostile)), false));
    }

    @Test
    void noneIsDefinedAndFalsyWhileUndefinedIsNeither() {
        String probe = "{{ tools is defined }} {{ tools is none }} {{ nothing is defined }} {{ nothing is none }}"
                + " {{ messages[0].content is none }} {{ 'yes' if tools else 'no' }} {{ none }}";
        ChatTemplate t = ChatTemplate.of("t", probe, Map.of());
        assertEquals("True True False False True no None", t.render(List.of(ChatMessage.assistant(null)), false));
    }

    @Test
    void notBindsLooserThanTests() {
        assertEquals("set", render("{% if not tools is defined %}unset{% else %}set{% endif %}"));
        assertEquals("False", render("{{ not 1 in [1, 2] }}"));
    }

    @Test
    void slicesFollowPython() {
        assertEquals("[3, 2, 1] [2, 3] [1] olleh ['b']",
                render("{{ l[::-1] }} {{ l[1:] }} {{ l[:-2] }} {{ 'hello'[::-1] }} {{ ['a','b'][-1:] }}",
                        Map.of("l", List.of(1, 2, 3))));
    }

    @Test
    void keywordArgumentTakesTheWholeExpression() {
        assertEquals("0", render("{% set ns = namespace(last=messages|length - 1) %}{{ ns.last }}"));
    }

    @Test
    void loopFilterAndNeighbours() {
        assertEquals("3:1:False 4:2:True ", render("{% for x in l if x > 2 %}{{ x }}:{{ loop.index }}:{{ loop.last }} {% endfor %}",
                Map.of("l", List.of(1, 2, 3, 4))));
        assertEquals("-2 1-3 2- ", render("{% for x in l %}{{ loop.previtem }}-{{ loop.nextitem }} {% endfor %}",
                Map.of("l", List.of(1, 2, 3))));
    }

    @Test
    void pythonStringMethods() {
        assertEquals("think|answer|True|False|A B|x-y", render(
                "{{ '<think>think</think>\\nanswer'.split('</think>')[0].split('<think>')[-1] }}|"
                        + "{{ '<think>think</think>\\nanswer'.split('</think>')[-1].lstrip('\\n') }}|"
                        + "{{ 'abc'.startswith(('x', 'a')) }}|{{ 'abc'.endswith('b') }}|{{ 'a b'.upper() }}|"
                        + "{{ '{}-{}'.format('x', 'y') }}"));
    }

    @Test
    void toJsonMatchesPythonsJsonDumps() {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        args.put("city", "Zürich \"HQ\"");
        args.put("days", 3);
        args.put("ratio", 0.5);
        args.put("ok", true);
        args.put("none", null);
        assertEquals("{\"city\": \"Zürich \\\"HQ\\\"\", \"days\": 3, \"ratio\": 0.5, \"ok\": true, \"none\": null}",
                render("{{ a | tojson }}", Map.of("a", args)));
        assertEquals("[\n    1,\n    {\n        \"k\": []\n    }\n]",
                render("{{ a | tojson(indent=4) }}", Map.of("a", List.of(1, Map.of("k", List.of())))));
    }

    @Test
    void printsValuesAsPythonsStr() {
        assertEquals("True {'a': [1, None, 'it\"s']} 0.5", render("{{ true }} {{ d }} {{ 1/2 }}",
                Map.of("d", Map.of("a", java.util.Arrays.asList(1, null, "it\"s")))));
    }

    @Test
    void strftimeNowUsesTheTemplatesClock() {
        ChatTemplate t = ChatTemplate.of("t", "{{ strftime_now('%d %b %Y') }}|{{ strftime_now is defined }}", Map.of())
                .withClock(Clock.fixed(Instant.parse("2024-07-26T23:59:00Z"), ZoneOffset.UTC));
        assertEquals("26 Jul 2024|True", t.render(HELLO, false));
    }

    @Test
    void extraVariablesOverrideFixedOnes() {
        ChatTemplate t = ChatTemplate.of("t", "{{ eos_token }}{{ reasoning_effort }}", Map.of("eos_token", "</s>"));
        assertEquals("<eos>high", t.render(HELLO, false, Map.of("eos_token", "<eos>", "reasoning_effort", "high")));
    }

    @Test
    void trailingNewlineOfTheSourceIsDroppedNotTheOutputs() {
        assertEquals("a\n", render("{{ 'a\\n' }}\n"));
        assertEquals("x\n", render("x\n\n"));
    }

    @Test
    void chatMlFallback() {
        List<ChatMessage> chat = List.of(ChatMessage.system("S"), ChatMessage.user("U"),
                ChatMessage.assistantToolCalls(null, List.of(new ToolCall("1", "f", Map.of()))));
        assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n"
                + "<|im_start|>assistant\n<|im_end|>\n<|im_start|>assistant\n", ChatTemplate.chatMlFallback().render(chat, true));
    }

    @Test
    void messagesRoundTripThroughTheirDictForm() {
        Map<String, Object> wire = Map.of("role", "assistant", "content", "",
                "tool_calls", List.of(Map.of("id", "c1", "type", "function",
                        "function", Map.of("name", "get", "arguments", Map.of("q", 1)))),
                "thinking", "hmm");
        ChatMessage m = ChatMessage.fromMap(wire);
        assertEquals("assistant", m.role());
        assertEquals(new ToolCall("c1", "get", Map.of("q", 1)), m.toolCalls().getFirst());
        assertEquals("hmm", m.extra().get("thinking"));
        Map<String, Object> view = m.toTemplateValue();
        assertEquals(List.of("role", "content", "tool_calls", "thinking"), List.copyOf(view.keySet()));
        assertThrows(IllegalArgumentException.class, () -> ChatMessage.fromMap(Map.of("content", "no role")));
    }
}
