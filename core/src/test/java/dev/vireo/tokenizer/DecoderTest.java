/*
 * The streaming decoder: characters split across tokens are held back until complete, bytes that can
 * never form a character come out as U+FFFD at once, and the streamed text equals the one-shot decode.
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecoderTest {
    /** Byte tokens 0..255 and a few multi-byte ones: 256 "ðŁ" (F0 9F), 257 "¦Ļ" (A6 99), 258 "<|eot|>" control. */
    private static Tokenizer tokenizer() {
        Vocabulary v = ByteLevelBpeTest.vocab(List.of("ðŁ", "¦Ļ", "<|eot|>"), List.of()).build();
        List<TokenType> types = new java.util.ArrayList<>(v.types());
        types.set(258, TokenType.CONTROL);
        return Tokenizer.of(v.toBuilder().types(types).build());
    }

    @Test
    void holdsBackAnUnfinishedCharacter() {
        Tokenizer t = tokenizer();
        Decoder d = t.newDecoder(false);
        assertEquals("a", d.push('a'));
        assertEquals("", d.push(256)); // F0 9F: the first half of 🦙
        assertTrue(d.hasPending());
        assertEquals("🦙", d.push(257)); // A6 99 completes it
        assertFalse(d.hasPending());
        assertEquals("", d.push(258));
        assertEquals("", d.flush());
    }

    @Test
    void rendersControlTokensWhenAsked() {
        Decoder d = tokenizer().newDecoder(true);
        assertEquals("x<|eot|>", d.push('x') + d.push(258));
    }

    @Test
    void hopelessBytesAreReplacedAtOnce() {
        Tokenizer t = tokenizer();
        Decoder d = t.newDecoder(false);
        assertEquals("\uFFFD", d.push(0x80)); // a continuation byte with no lead
        assertEquals("", d.push(0xE2)); // a 3-byte lead ...
        assertEquals("\uFFFDa", d.push('a')); // ... interrupted by ASCII
        assertEquals("", d.push(0xF0));
        assertEquals("\uFFFD", d.flush()); // unfinished at the end
        assertEquals("\uFFFD", d.push(0xFF)); // never valid in UTF-8
    }

    @Test
    void completePrefixFindsTheCut() {
        byte[] b = "a€".getBytes(StandardCharsets.UTF_8); // 61 E2 82 AC
        assertEquals(4, Decoder.completePrefix(b, 4));
        assertEquals(1, Decoder.completePrefix(b, 3));
        assertEquals(1, Decoder.completePrefix(b, 2));
        assertEquals(1, Decoder.completePrefix(b, 1));
        assertEquals(0, Decoder.completePrefix(b, 0));
    }

    @Test
    void streamedTextEqualsDecodedText() {
        Tokenizer t = tokenizer();
        Random rnd = new Random(42);
        for (int trial = 0; trial < 200; trial++) {
            String text = TextSamples.document(rnd, 60);
            int[] ids = t.encode(text);
            Decoder d = t.newDecoder(false);
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                String piece = d.push(id);
                // Never a lone half of a surrogate pair or a replacement character mid-stream.
                assertFalse(piece.contains("\uFFFD"), piece);
                if (!piece.isEmpty()) {
                    assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)));
                }
                sb.append(piece);
            }
            sb.append(d.flush());
            assertEquals(text, sb.toString());
            assertEquals(text, t.decode(ids));
        }
    }
}
