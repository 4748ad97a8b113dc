/*
 * Byte-level BPE on small hand-made vocabularies, where the expected ids follow from the rules alone:
 * GPT-2's byte mapping, merge priority and the leftmost rule, ignore_merges, special-token splitting
 * (parseSpecial, user-defined tokens always, longest first), BOS/EOS, decoding, and that a very long
 * word is merged in O(n log n) rather than by rescanning.
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vireo.io.ModelFormatException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelBpeTest {

    @Test
    void byteMappingIsGpt2s() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteEncoding.encode(b);
            seen.add(c);
            assertEquals(b, ByteEncoding.decode(c));
        }
        assertEquals(256, seen.size());
        assertEquals('Ġ', ByteEncoding.encode(' '));
        assertEquals('Ċ', ByteEncoding.encode('\n'));
        assertEquals('ĉ', ByteEncoding.encode('\t'));
        assertEquals('A', ByteEncoding.encode('A'));
        assertEquals('Ā', ByteEncoding.encode(0));
        assertEquals('ÿ', ByteEncoding.encode(0xFF));
        assertEquals(-1, ByteEncoding.decode('€'));
    }

    /** All 256 byte tokens (ids 0..255 = byte values), then {@code extra} tokens, with {@code merges}. */
    static Vocabulary.Builder vocab(List<String> extra, List<String> merges) {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteEncoding.encode(b)));
        }
        tokens.addAll(extra);
        return Vocabulary.builder(Vocabulary.MODEL_BYTE_LEVEL_BPE, tokens).pre("gpt-2").merges(merges);
    }

    @Test
    void lowestRankMergesFirst() {
        // "abc": a+b has rank 1, b+c rank 0 → bc first, then a+bc.
        Tokenizer t = Tokenizer.of(vocab(List.of("ab", "bc", "abc"), List.of("b c", "a b", "a bc")).build());
        assertArrayEquals(new int[] {258}, t.encode("abc"));
        // Without a+bc the result is a, bc.
        Tokenizer t2 = Tokenizer.of(vocab(List.of("ab", "bc"), List.of("b c", "a b")).build());
        assertArrayEquals(new int[] {'a', 257}, t2.encode("abc"));
    }

    @Test
    void leftmostPairWinsATie() {
        // "aaa": the pair a+a occurs twice with the same rank; the left one merges.
        Tokenizer t = Tokenizer.of(vocab(List.of("aa"), List.of("a a")).build());
        assertArrayEquals(new int[] {256, 'a'}, t.encode("aaa"));
        assertArrayEquals(new int[] {256, 256}, t.encode("aaaa"));
    }

    @Test
    void ignoreMergesTakesWholeWords() {
        // "abc" is a token, but the merges cannot reach it (they stop at ab + c).
        Vocabulary.Builder b = vocab(List.of("ab", "abc"), List.of("a b"));
        assertArrayEquals(new int[] {256, 'c'}, Tokenizer.of(b.build()).encode("abc"));
        assertArrayEquals(new int[] {257}, Tokenizer.of(b.ignoreMerges(true).build()).encode("abc"));
    }

    @Test
    void wordsAreMergedSeparately() {
        // GPT-2 pre-tokenization keeps " b" apart from "a": no a+Ġ merge across words.
        Tokenizer t = Tokenizer.of(vocab(List.of("aĠ", "Ġb"), List.of("a Ġ", "Ġ b")).build());
        assertArrayEquals(new int[] {'a', 257}, t.encode("a b"));
    }

    @Test
    void multiByteCharactersBecomeByteTokens() {
        Tokenizer t = Tokenizer.of(vocab(List.of(), List.of()).build());
        assertArrayEquals(new int[] {0xF0, 0x9F, 0xA6, 0x99}, t.encode("🦙"));
        assertEquals("🦙", t.decode(t.encode("🦙")));
    }

    private static Tokenizer withSpecials() {
        // 256 <|a|> (control), 257 <|a|>x (control, longer), 258 [U] (user-defined), 259 <s>, 260 </s>
        List<TokenType> types = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            types.add(TokenType.NORMAL);
        }
        types.addAll(List.of(TokenType.CONTROL, TokenType.CONTROL, TokenType.USER_DEFINED, TokenType.CONTROL,
                TokenType.CONTROL));
        return Tokenizer.of(vocab(List.of("<|a|>", "<|a|>x", "[U]", "<s>", "</s>"), List.of())
                .types(types).bos(259).eos(260).addBos(true).addEos(true).build());
    }

    @Test
    void specialTokensOnlyWhenParsed() {
        Tokenizer t = withSpecials();
        assertArrayEquals(new int[] {'q', 256, 'q'}, t.encode("q<|a|>q", false, true));
        int[] asText = t.encode("q<|a|>q", false, false);
        assertArrayEquals(new int[] {'q', '<', '|', 'a', '|', '>', 'q'}, asText); // no merges: one token per byte
        assertEquals("q<|a|>q", t.decode(asText));
    }

    @Test
    void longestSpecialTokenFirstAndUserDefinedAlways() {
        Tokenizer t = withSpecials();
        assertArrayEquals(new int[] {257, 256}, t.encode("<|a|>x<|a|>", false, true));
        // User-defined tokens are split out even without special parsing, as in llama.cpp.
        assertArrayEquals(new int[] {'z', 258, 'z'}, t.encode("z[U]z", false, false));
    }

    @Test
    void bosAndEosWhenAskedFor() {
        Tokenizer t = withSpecials();
        assertArrayEquals(new int[] {259, 'h', 260}, t.encode("h", true, false));
        assertArrayEquals(new int[] {259, 260}, t.encode("", true, false));
        assertArrayEquals(new int[0], t.encode("", false, false));
    }

    @Test
    void decodeLeavesOutControlTokensUnlessAsked() {
        Tokenizer t = withSpecials();
        int[] ids = {259, 'h', 'i', 258, 260};
        assertEquals("hi[U]", t.decode(ids));
        assertEquals("<s>hi[U]</s>", t.decode(ids, true));
        assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {999}));
    }

    @Test
    void malformedMergeIsAFormatError() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Tokenizer.of(vocab(List.of("ab"), List.of("a b", "ab")).build()));
        assertEquals("merge #1 'ab' is not two pieces separated by a space", e.getMessage());
    }

    @Test
    void unknownPreTokenizerIsAFormatError() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> Tokenizer.of(vocab(List.of(), List.of()).pre("no-such-pre").build()));
        assertEquals(true, e.getMessage().startsWith("pre-tokenizer 'no-such-pre' (tokenizer.ggml.pre) is not supported"));
    }

    @Test
    void longWordMergesInLinearithmicTime() {
        // One 200,000-letter word with merges a+a → aa → aaaa → ...: a rescan per merge would be ~10^10 steps.
        List<String> extra = new ArrayList<>();
        List<String> merges = new ArrayList<>();
        String piece = "a";
        for (int i = 0; i < 12; i++) {
            merges.add(piece + " " + piece);
            piece = piece + piece;
            extra.add(piece);
        }
        Tokenizer t = Tokenizer.of(vocab(extra, merges).build());
        String word = "a".repeat(200_000);
        int[] ids = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> t.encode(word));
        // 200000 = 48·4096 + 3392 = 48·4096 + 2048 + 1024 + 256 + 64
        assertEquals(48 + 4, ids.length);
        assertEquals(word, t.decode(ids));
    }
}
