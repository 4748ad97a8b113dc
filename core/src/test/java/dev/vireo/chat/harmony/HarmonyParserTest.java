/*
 * HarmonyParser on token streams made by tokenizing harmony text with an o200k_harmony tokenizer
 * (special tokens parsed) or from literal ids: reasoning then answer, tool calls with the recipient
 * before or after the channel and with or without <|constrain|>, several messages in one turn, tool
 * output messages, characters split across tokens, streams cut short, malformed output of every kind
 * (reported as text, never thrown), a seeded fuzz of random token soups, and render -> parse round trips.
 */
package dev.vireo.chat.harmony;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tokenizer.Tokenizer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HarmonyParserTest {
    private static Tokenizer tok;

    @BeforeAll
    static void load() {
        tok = O200kHarmony.tokenizer();
    }

    /** The ids of harmony text, special tokens as their ids. */
    private static int[] ids(String text) {
        return tok.encode(text, false, true);
    }

    private static List<String> parse(String generated) {
        return summary(HarmonyParser.parse(tok, ids(generated)));
    }

    /** Events as short lines, consecutive deltas of one message joined, for readable expectations. */
    static List<String> summary(List<HarmonyEvent> events) {
        List<String> out = new ArrayList<>();
        StringBuilder text = null;
        for (HarmonyEvent e : events) {
            if (e instanceof HarmonyEvent.ContentDelta d) {
                if (text == null) {
                    text = new StringBuilder();
                }
                text.append(d.text());
                continue;
            }
            if (text != null) {
                out.add("text " + text);
                text = null;
            }
            out.add(switch (e) {
                case HarmonyEvent.MessageStart s -> "start " + header(s.header());
                case HarmonyEvent.MessageEnd m -> "end " + m.terminator();
                case HarmonyEvent.ToolCallComplete c -> "call " + c.recipient() + " " + c.arguments();
                case HarmonyEvent.TurnEnd t -> "turn " + t.terminator();
                case HarmonyEvent.Unparsed u -> "unparsed '" + u.text() + "' (" + u.reason() + ")";
                case HarmonyEvent.ContentDelta d -> throw new AssertionError();
            });
        }
        if (text != null) {
            out.add("text " + text);
        }
        return out;
    }

    private static String header(HarmonyMessage h) {
        return h.role().text() + (h.name() != null ? ":" + h.name() : "") + (h.recipient() != null ? " to=" + h.recipient() : "")
                + (h.channel() != null ? " /" + h.channel() : "") + (h.contentType() != null ? " [" + h.contentType() + "]" : "");
    }

    @Test
    void reasoningThenAnswer() {
        String out = "<|channel|>analysis<|message|>The user greets in French; answer in French.<|end|>"
                + "<|start|>assistant<|channel|>final<|message|>Bonjour ! Comment puis-je vous aider ?<|return|>";
        int[] ids = ids(out);
        // model-spec.md §4.4: "analysis" 35644, "assistant" 173781, "final" 17196.
        assertArrayEquals(new int[] {200005, 35644, 200008}, Arrays.copyOf(ids, 3));
        assertTrue(Arrays.stream(ids).anyMatch(i -> i == 173781) && Arrays.stream(ids).anyMatch(i -> i == 17196));
        assertEquals(List.of(
                "start assistant /analysis", "text The user greets in French; answer in French.", "end END",
                "start assistant /final", "text Bonjour ! Comment puis-je vous aider ?", "end RETURN", "turn RETURN"), parse(out));

        HarmonyParser p = new HarmonyParser(tok, e -> { });
        p.push(ids);
        assertTrue(p.turnEnded());
        assertEquals(List.of(HarmonyMessage.analysis("The user greets in French; answer in French."),
                HarmonyMessage.finalAnswer("Bonjour ! Comment puis-je vous aider ?")), p.messages());
    }

    @Test
    void toolCallWithRecipientAfterTheChannel() {
        String out = "<|channel|>analysis<|message|>Need the weather for Oslo.<|end|>"
                + "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Oslo\"}<|call|>";
        assertEquals(List.of(
                "start assistant /analysis", "text Need the weather for Oslo.", "end END",
                "start assistant to=functions.get_weather /commentary [<|constrain|>json]", "text {\"city\":\"Oslo\"}",
                "end CALL", "call functions.get_weather {\"city\":\"Oslo\"}", "turn CALL"), parse(out));
        List<HarmonyEvent> events = HarmonyParser.parse(tok, ids(out));
        HarmonyEvent.ToolCallComplete call = events.stream().filter(e -> e instanceof HarmonyEvent.ToolCallComplete)
                .map(e -> (HarmonyEvent.ToolCallComplete) e).findFirst().orElseThrow();
        assertEquals("get_weather", call.functionName());
        assertEquals("commentary", call.channel());
        assertEquals("<|constrain|>json", call.contentType());
    }

    @Test
    void toolCallWithRecipientBeforeTheChannel() {
        // As the renderer writes it, right after the prompt's "<|start|>assistant", and with <|constrain|> glued on.
        assertEquals(List.of("start assistant to=functions.get_weather /commentary [<|constrain|>json]", "text {}", "end CALL",
                "call functions.get_weather {}", "turn CALL"),
                parse(" to=functions.get_weather<|channel|>commentary <|constrain|>json<|message|>{}<|call|>"));
        assertEquals(List.of("start assistant to=functions.get_weather /commentary [<|constrain|>json]", "text {}", "end CALL",
                "call functions.get_weather {}", "turn CALL"),
                parse("<|channel|>commentary to=functions.get_weather<|constrain|>json<|message|>{}<|call|>"));
        // The chat template's form: "commentary json", no <|constrain|>.
        assertEquals(List.of("start assistant to=functions.f /commentary [json]", "text {}", "end CALL", "call functions.f {}",
                "turn CALL"), parse("<|channel|>analysis<|message|><|end|><|start|>assistant to=functions.f<|channel|>commentary json"
                        + "<|message|>{}<|call|>").subList(2, 7));
        // "<|constrain|> json" with a space still names json.
        assertEquals("start assistant to=functions.f /commentary [<|constrain|>json]",
                parse("<|channel|>commentary to=functions.f <|constrain|> json<|message|>{}<|call|>").getFirst());
    }

    @Test
    void severalMessagesInOneTurn() {
        // Analysis, a preamble for the user, then the call: <|end|> between them, one stop at the end.
        String out = "<|channel|>analysis<|message|>Two lookups needed.<|end|>"
                + "<|start|>assistant<|channel|>commentary<|message|>I'll check both cities.<|end|>"
                + "<|start|>assistant<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>{\"city\":\"Bergen\"}<|call|>";
        assertEquals(List.of(
                "start assistant /analysis", "text Two lookups needed.", "end END",
                "start assistant /commentary", "text I'll check both cities.", "end END",
                "start assistant to=functions.get_weather /commentary [<|constrain|>json]", "text {\"city\":\"Bergen\"}", "end CALL",
                "call functions.get_weather {\"city\":\"Bergen\"}", "turn CALL"), parse(out));
    }

    @Test
    void builtinToolCallOnTheAnalysisChannel() {
        assertEquals(List.of("start assistant to=python /analysis [code]", "text print(2**10)", "end CALL",
                "call python print(2**10)", "turn CALL"), parse("<|channel|>analysis to=python code<|message|>print(2**10)<|call|>"));
    }

    @Test
    void toolOutputMessage() {
        // A stream that starts with <|start|>: the author is the tool, written where the role goes.
        List<HarmonyEvent> events = new ArrayList<>();
        HarmonyParser p = new HarmonyParser(tok, null, events::add);
        p.push(ids("<|start|>functions.get_weather to=assistant<|channel|>commentary<|message|>{\"temp\": -3}<|end|>"));
        p.finish();
        assertEquals(List.of("start tool:functions.get_weather to=assistant /commentary", "text {\"temp\": -3}", "end END",
                "turn NONE"), summary(events));
        assertEquals(List.of(HarmonyMessage.toolResult("get_weather", "{\"temp\": -3}")), p.messages());
    }

    @Test
    void charactersSplitAcrossTokensAreReportedWhole() {
        String text = "Grüße 🦙🚀 東京タワー 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👨‍👩‍👧 e\u0301 ∑ᵢ xᵢ²";
        int[] content = tok.encode(text);
        // The test only means something if some token ends inside a character.
        assertTrue(Arrays.stream(content).anyMatch(id -> !validUtf8(tok.tokenBytes(id, false))),
                "expected a token that is not a whole UTF-8 sequence");
        int[] stream = HarmonyRendererTest.concat(ids("<|channel|>final<|message|>"), content, new int[] {HarmonyTokens.RETURN});
        List<String> deltas = new ArrayList<>();
        HarmonyParser p = new HarmonyParser(tok, e -> {
            if (e instanceof HarmonyEvent.ContentDelta d) {
                deltas.add(d.text());
            }
        });
        for (int id : stream) {
            p.push(id);
        }
        p.finish();
        assertEquals(text, String.join("", deltas));
        for (String d : deltas) {
            assertFalse(d.contains("\uFFFD"), "a delta with a replacement character: " + d);
            assertTrue(validUtf8(d.getBytes(StandardCharsets.UTF_8)) && !hasLoneSurrogate(d), "a delta that is not whole: " + d);
        }
        assertEquals(text, p.messages().getFirst().content());
    }

    @Test
    void streamCutInsideACharacter() {
        int[] rocket = tok.encode("🚀");
        int[] partial = Arrays.copyOf(rocket, rocket.length - 1);
        assertTrue(partial.length > 0, "🚀 must take more than one token for this test");
        int[] stream = HarmonyRendererTest.concat(ids("<|channel|>final<|message|>go "), partial);
        assertEquals(List.of("start assistant /final", "text go \uFFFD", "end NONE", "turn NONE"),
                summary(HarmonyParser.parse(tok, stream)));
    }

    @Test
    void streamCutMidMessageAndMidHeader() {
        assertEquals(List.of("start assistant /analysis", "text Let me th", "end NONE", "turn NONE"),
                parse("<|channel|>analysis<|message|>Let me th"));
        assertEquals(List.of("unparsed '<|channel|>fin' (the stream ended inside a message header)", "turn NONE"),
                parse("<|channel|>fin"));
        assertEquals(List.of("turn NONE"), summary(HarmonyParser.parse(tok, new int[0])));
        // A tool call cut short is no call.
        assertFalse(parse("<|channel|>commentary to=functions.f <|constrain|>json<|message|>{\"a\":").stream()
                .anyMatch(s -> s.startsWith("call")));
    }

    @Test
    void malformedOutputIsReportedAsText() {
        // A header that ends without <|message|>.
        assertEquals(List.of("unparsed '<|channel|>final' (a message header without <|message|>)",
                "start assistant /final", "text ok", "end RETURN", "turn RETURN"),
                parse("<|channel|>final<|end|><|start|>assistant<|channel|>final<|message|>ok<|return|>"));
        // Text between messages.
        assertEquals(List.of("start assistant /analysis", "text x", "end END", "unparsed 'stray words' (text outside a message)",
                "start assistant /final", "text y", "end RETURN", "turn RETURN"),
                parse("<|channel|>analysis<|message|>x<|end|>stray words<|start|>assistant<|channel|>final<|message|>y<|return|>"));
        // A special token inside content is left out of it.
        assertEquals(List.of("start assistant /final", "text a", "unparsed '<|channel|>' (special token inside message content)",
                "text b", "end RETURN", "turn RETURN"), parse("<|channel|>final<|message|>a<|channel|>b<|return|>"));
        // A new message without <|end|>: the open one is closed as it stands.
        assertEquals(List.of("start assistant /analysis", "text thinking", "end NONE", "start assistant /final", "text done",
                "end RETURN", "turn RETURN"),
                parse("<|channel|>analysis<|message|>thinking<|start|>assistant<|channel|>final<|message|>done<|return|>"));
        // Words in a header that mean nothing.
        assertEquals(List.of("unparsed 'words' (unrecognised words in a message header)", "start assistant /final [extra]",
                "text x", "end RETURN", "turn RETURN"), parse("<|channel|>final extra words<|message|>x<|return|>"));
        // No header at all, and a stop right after the header.
        assertEquals(List.of("start assistant", "text hello", "end RETURN", "turn RETURN"), parse("<|message|>hello<|return|>"));
        assertEquals(List.of("unparsed '<|channel|>final' (a message header without <|message|>)", "turn CALL"),
                parse("<|channel|>final<|call|>"));
        // Stops outside a message.
        assertEquals(List.of("start assistant /final", "text a", "end END", "turn RETURN"),
                parse("<|channel|>final<|message|>a<|end|><|return|>"));
    }

    @Test
    void reservedAndForeignSpecialTokens() {
        int[] stream = HarmonyRendererTest.concat(ids("<|channel|>final<|message|>a"), new int[] {200013, 199998},
                ids("b<|end|>"), new int[] {200018, HarmonyTokens.END, HarmonyTokens.RETURN});
        assertEquals(List.of("start assistant /final", "text a",
                "unparsed '<|reserved_200013|>' (special token inside message content)",
                "unparsed '<|startoftext|>' (special token inside message content)", "text b", "end END",
                "unparsed '<|endofprompt|>' (special token outside a message)",
                "unparsed '<|end|>' (special token outside a message)", "turn RETURN"), summary(HarmonyParser.parse(tok, stream)));
    }

    @Test
    void aHeaderThatNeverEnds() {
        String runaway = "This is not a header but the model forgot the message token and keeps writing. ".repeat(5);
        List<String> s = parse(runaway + "<|return|>");
        assertTrue(s.getFirst().startsWith("unparsed 'This is not a header"), s.getFirst());
        assertTrue(s.getFirst().endsWith("(a message header longer than " + HarmonyParser.MAX_HEADER_CHARS + " characters)"));
        assertTrue(s.get(1).endsWith("(text outside a message)"));
        assertEquals("turn RETURN", s.getLast());
        String all = String.join("", s.subList(0, s.size() - 1).stream()
                .map(x -> x.substring("unparsed '".length(), x.lastIndexOf("' ("))).toList());
        assertEquals(runaway, all, "nothing the model wrote is lost");
    }

    @Test
    void idsOutsideTheVocabularyAreTheCallersBug() {
        HarmonyParser p = new HarmonyParser(tok, e -> { });
        assertThrows(IllegalArgumentException.class, () -> p.push(-1));
        assertThrows(IllegalArgumentException.class, () -> p.push(tok.vocabularySize()));
        assertThrows(dev.vireo.io.ModelFormatException.class, () -> new HarmonyParser(TinyTokenizer.bytesOnly(), e -> { }));
    }

    @Test
    void renderedAssistantMessagesParseBack() {
        List<HarmonyMessage> said = List.of(
                HarmonyMessage.analysis("Plan: look up both, then compare. ½ × 3 = 1.5"),
                HarmonyMessage.commentary("Checking the two cities…"),
                HarmonyMessage.toolCall("get_weather", "{\"city\": \"Tromsø\", \"units\": \"metric\"}"),
                HarmonyMessage.toolResult("get_weather", "{\"temp\": -7}"),
                new HarmonyMessage(Role.ASSISTANT, null, "browser.search", "analysis", "json", "{\"q\": \"x\"}"),
                HarmonyMessage.finalAnswer("Tromsø: −7 °C."));
        StringBuilder text = new StringBuilder();
        for (HarmonyMessage m : said) {
            text.append(HarmonyRenderer.standard().renderMessage(m));
        }
        HarmonyParser p = new HarmonyParser(tok, null, e -> { });
        p.push(ids(text.toString()));
        p.finish();
        assertEquals(said, p.messages());
    }

    @Test
    void randomTokenSoupsNeverThrowAndKeepEveryMessageConsistent() {
        Random rnd = new Random(20_250_805);
        int[] specials = {HarmonyTokens.START, HarmonyTokens.END, HarmonyTokens.MESSAGE, HarmonyTokens.CHANNEL,
            HarmonyTokens.CONSTRAIN, HarmonyTokens.RETURN, HarmonyTokens.CALL, HarmonyTokens.END_OF_TEXT, 200013, 199998};
        int[] words = HarmonyRendererTest.concat(tok.encode("assistant analysis final commentary to=functions.f json 🦙 é 東"),
                new int[] {0, 127, 128, 190, 255});
        int messagesEnded = 0;
        for (int run = 0; run < 2000; run++) {
            List<HarmonyEvent> events = new ArrayList<>();
            HarmonyParser p = new HarmonyParser(tok, rnd.nextBoolean() ? Role.ASSISTANT : null, events::add);
            int n = rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                p.push(rnd.nextInt(4) == 0 ? specials[rnd.nextInt(specials.length)] : words[rnd.nextInt(words.length)]);
            }
            p.finish();
            // Every message that starts ends, its deltas make its content, and the stream ends with a turn end.
            StringBuilder content = null;
            for (HarmonyEvent e : events) {
                switch (e) {
                    case HarmonyEvent.MessageStart s -> {
                        assertEquals(null, content, "a message started inside another");
                        content = new StringBuilder();
                    }
                    case HarmonyEvent.ContentDelta d -> {
                        assertNotNull(content, "content outside a message");
                        content.append(d.text());
                    }
                    case HarmonyEvent.MessageEnd m -> {
                        assertNotNull(content, "an end without a start");
                        assertEquals(content.toString(), m.message().content());
                        content = null;
                        messagesEnded++;
                    }
                    default -> { }
                }
            }
            assertEquals(null, content, "a message was left open");
            assertTrue(events.getLast() instanceof HarmonyEvent.TurnEnd, "the stream must end with a turn end");
        }
        assertTrue(messagesEnded > 200, "the soups should contain messages: " + messagesEnded);
    }

    private static boolean validUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
