/*
 * HarmonyChat through whole chat loops: prompt ids, the sampling stops, a generated turn fed back the
 * way Session.generate hands out tokens (the stop test sees the stop token, the listener the rest),
 * the callbacks (reasoning, answer, preamble, tool arguments, tool call, unparsed), and the messages
 * appended for the next prompt, checked byte for byte against the hand-written renderings.
 */
package dev.vireo.chat.harmony;

import static dev.vireo.chat.harmony.Fixtures.ANSWER;
import static dev.vireo.chat.harmony.Fixtures.CALL;
import static dev.vireo.chat.harmony.Fixtures.FOLLOW_UP;
import static dev.vireo.chat.harmony.Fixtures.RESULT;
import static dev.vireo.chat.harmony.Fixtures.THINK_1;
import static dev.vireo.chat.harmony.Fixtures.THINK_2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.chat.ChatMessage;
import dev.vireo.generate.TokenListener;
import dev.vireo.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HarmonyChatTest {
    private static Tokenizer tok;
    private static HarmonyChat chat;

    @BeforeAll
    static void load() {
        tok = O200kHarmony.tokenizer();
        chat = new HarmonyChat(tok);
    }

    /** Records every callback as "kind:text", joining consecutive pieces of one kind. */
    static final class Recorder implements HarmonyChat.Listener {
        final List<String> log = new ArrayList<>();

        private void add(String kind, String text) {
            if (!log.isEmpty() && log.getLast().startsWith(kind + ":")) {
                log.set(log.size() - 1, log.getLast() + text);
            } else {
                log.add(kind + ":" + text);
            }
        }

        @Override public void onReasoning(String t) { add("reasoning", t); }
        @Override public void onAnswer(String t) { add("answer", t); }
        @Override public void onPreamble(String t) { add("preamble", t); }
        @Override public void onToolArguments(String recipient, String t) { add("args " + recipient, t); }
        @Override public void onToolCall(String name, String arguments) { log.add("call " + name + " " + arguments); }
        @Override public void onUnparsed(String t) { add("unparsed", t); }
    }

    /**
     * Feeds generated ids the way Session.generate does, through the same two interfaces: the
     * end-of-generation test first, the token listener only for the rest.
     */
    private static TurnResult generate(HarmonyChat.Turn turn, String generatedText) {
        IntPredicate isEndOfGeneration = turn::acceptIfStop;
        TokenListener listener = turn::accept;
        for (int id : tok.encode(generatedText, false, true)) {
            if (isEndOfGeneration.test(id)) {
                break;
            }
            if (!listener.onToken(id)) {
                break;
            }
        }
        return turn.finish();
    }

    @Test
    void samplingStopsAreReturnCallAndEndOfText() {
        assertEquals(Set.of(200002, 200012, 199999), HarmonyChat.stopTokens());
        assertTrue(HarmonyChat.isStop(200002) && HarmonyChat.isStop(200012) && HarmonyChat.isStop(199999));
        assertFalse(HarmonyChat.isStop(HarmonyTokens.END), "<|end|> separates messages within a turn");
        assertFalse(HarmonyChat.isStop(HarmonyTokens.START));
        // The gpt-oss vocabulary (as llama.cpp reads it) ends generation on the same three.
        assertEquals(Set.of(199999, 200002, 200012), tok.vocabulary().endOfGeneration());
    }

    @Test
    void promptIdsAreTheRenderedConversation() {
        HarmonyConversation c = Fixtures.trains();
        assertEquals(Fixtures.expected("tools-prompt.txt"), chat.promptText(c));
        assertArrayEquals(tok.encode(Fixtures.expected("tools-prompt.txt"), false, true), chat.promptIds(c));
    }

    @Test
    void aToolCallTurnThenAnAnswerTurn() {
        HarmonyConversation c = Fixtures.trains();

        // Turn 1: the model thinks, then calls find_trains and stops on <|call|>.
        Recorder r1 = new Recorder();
        TurnResult t1 = generate(chat.newTurn(r1), "<|channel|>analysis<|message|>" + THINK_1.content() + "<|end|>"
                + "<|start|>assistant<|channel|>commentary to=functions.find_trains <|constrain|>json<|message|>"
                + CALL.content() + "<|call|>");
        assertEquals(List.of("reasoning:" + THINK_1.content(), "args functions.find_trains:" + CALL.content(),
                "call find_trains " + CALL.content()), r1.log);
        assertTrue(t1.endedInToolCall());
        assertEquals(Terminator.CALL, t1.end());
        assertEquals(THINK_1.content(), t1.reasoning());
        assertEquals("", t1.answer());
        assertEquals("find_trains", t1.toolCalls().getFirst().functionName());
        // The call's analysis is kept: the model continues from it after the result.
        assertEquals(List.of(THINK_1, CALL), t1.historyMessages());

        c = c.plus(t1.historyMessages()).plus(HarmonyMessage.toolResult(t1.toolCalls().getFirst().functionName(),
                RESULT.content()));
        assertEquals(Fixtures.expected("tool-call-prompt.txt"), chat.promptText(c));

        // Turn 2: more thinking, then the answer, ending on <|return|>.
        Recorder r2 = new Recorder();
        TurnResult t2 = generate(chat.newTurn(r2), "<|channel|>analysis<|message|>" + THINK_2.content() + "<|end|>"
                + "<|start|>assistant<|channel|>final<|message|>" + ANSWER.content() + "<|return|>");
        assertEquals(List.of("reasoning:" + THINK_2.content(), "answer:" + ANSWER.content()), r2.log);
        assertEquals(Terminator.RETURN, t2.end());
        assertFalse(t2.endedInToolCall());
        assertEquals(ANSWER.content(), t2.answer());
        assertEquals(List.of(ANSWER), t2.historyMessages(), "a finished answer is kept without its analysis");

        c = c.plus(t2.historyMessages()).plus(FOLLOW_UP);
        assertEquals(Fixtures.expected("after-final-prompt.txt"), chat.promptText(c));
        // Appending the whole turn instead gives the same prompt: the renderer drops the analysis.
        assertEquals(chat.promptText(c), chat.promptText(Fixtures.trains().plus(t1.messages()).plus(RESULT)
                .plus(t2.messages()).plus(FOLLOW_UP)));
    }

    @Test
    void everyMessageStartIsReportedWithItsHeader() {
        List<String> starts = new ArrayList<>();
        generate(chat.newTurn(new HarmonyChat.Listener() {
            @Override public void onMessageStart(HarmonyMessage h) { starts.add(h.channel() + " " + h.recipient()); }
        }), "<|channel|>analysis<|message|>A<|end|><|start|>assistant<|channel|>analysis<|message|>B<|end|>"
                + "<|start|>assistant to=functions.f<|channel|>commentary <|constrain|>json<|message|>{}<|call|>");
        assertEquals(List.of("analysis null", "analysis null", "commentary functions.f"), starts);
    }

    @Test
    void preambleAndUnparsedOutputHaveTheirOwnCallbacks() {
        Recorder r = new Recorder();
        TurnResult t = generate(chat.newTurn(r), "<|channel|>commentary<|message|>Let me check.<|end|>oops"
                + "<|start|>assistant<|channel|>final<|message|>Done.<|return|>");
        assertEquals(List.of("preamble:Let me check.", "unparsed:oops", "answer:Done."), r.log);
        assertEquals("oops", t.unparsed());
        assertEquals("Done.", t.answer());
    }

    @Test
    void aTurnCutShortKeepsWhatItHas() {
        Recorder r = new Recorder();
        HarmonyChat.Turn turn = chat.newTurn(r);
        TurnResult t = generate(turn, "<|channel|>analysis<|message|>Hmm.<|end|><|start|>assistant<|channel|>final<|message|>The ans");
        assertEquals(Terminator.NONE, t.end());
        assertFalse(turn.ended());
        assertEquals("The ans", t.answer());
        assertEquals(List.of(HarmonyMessage.finalAnswer("The ans")), t.historyMessages());
        assertSame(t, turn.finish(), "finish is idempotent");
        assertThrows(IllegalStateException.class, () -> turn.accept(1));
    }

    @Test
    void acceptStopsOnTheStopTokenWhenTheLoopPassesItOn() {
        HarmonyChat.Turn turn = chat.newTurn(new HarmonyChat.Listener() { });
        int[] ids = tok.encode("<|channel|>final<|message|>Hi<|return|>", false, true);
        for (int i = 0; i < ids.length - 1; i++) {
            assertTrue(turn.accept(ids[i]));
        }
        assertFalse(turn.accept(ids[ids.length - 1]), "false once <|return|> ended the turn");
        assertTrue(turn.ended());
        assertEquals("Hi", turn.finish().answer());
    }

    @Test
    void asAnOpenAiStyleMessage() {
        TurnResult call = generate(chat.newTurn(new HarmonyChat.Listener() { }), "<|channel|>analysis<|message|>Need data."
                + "<|end|><|start|>assistant<|channel|>commentary to=functions.lookup <|constrain|>json<|message|>{\"k\":1}<|call|>");
        ChatMessage m = call.toChatMessage();
        assertEquals("assistant", m.role());
        assertNull(m.content());
        assertEquals("Need data.", m.reasoningContent());
        assertEquals(1, m.toolCalls().size());
        assertEquals("lookup", m.toolCalls().getFirst().name());
        assertEquals("{\"k\":1}", m.toolCalls().getFirst().arguments());

        TurnResult answer = generate(chat.newTurn(new HarmonyChat.Listener() { }), "<|channel|>final<|message|>42<|return|>");
        assertEquals(ChatMessage.assistant("42"), answer.toChatMessage());
        // And back: the OpenAI-style history renders as the harmony one does.
        HarmonyConversation viaChat = HarmonyConversation.fromChat(List.of(ChatMessage.user("q"), call.toChatMessage(),
                ChatMessage.tool(null, "{\"v\":2}"), answer.toChatMessage()), List.of(), null);
        HarmonyConversation direct = new HarmonyConversation(null, null, List.of(), List.of(HarmonyMessage.user("q")))
                .plus(call.messages()).plus(HarmonyMessage.toolResult("lookup", "{\"v\":2}")).plus(answer.messages());
        assertEquals(HarmonyRenderer.standard().render(direct), HarmonyRenderer.standard().render(viaChat));
    }

    @Test
    void needsAHarmonyTokenizer() {
        assertThrows(dev.vireo.io.ModelFormatException.class, () -> new HarmonyChat(TinyTokenizer.bytesOnly()));
    }
}
