/*
 * SentencePiece BPE on small hand-made vocabularies: score-driven merges and the leftmost rule, the
 * space prefix at the start and after special tokens, byte fallback, the unknown token, and decoding
 * (▁ to space, the first leading space dropped, byte tokens reassembled).
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SentencePieceBpeTest {
    private static final int FIRST_PIECE = 259;

    /**
     * 0 &lt;unk&gt;, 1 &lt;s&gt;, 2 &lt;/s&gt;, 3..258 byte tokens (when {@code bytes}), then
     * {@code pieces} with {@code scores} from id 259 (or 3 without byte tokens).
     */
    private static Vocabulary.Builder vocab(boolean bytes, List<String> pieces, float... scores) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<TokenType> types = new ArrayList<>(List.of(TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL));
        if (bytes) {
            for (int b = 0; b < 256; b++) {
                tokens.add(String.format("<0x%02X>", b));
                types.add(TokenType.BYTE);
            }
        }
        float[] all = new float[tokens.size() + pieces.size()];
        for (int i = 0; i < pieces.size(); i++) {
            tokens.add(pieces.get(i));
            types.add(TokenType.NORMAL);
            all[all.length - pieces.size() + i] = scores[i];
        }
        return Vocabulary.builder(Vocabulary.MODEL_SENTENCE_PIECE, tokens).types(types).scores(all)
                .bos(1).eos(2).unk(0).addBos(true).addSpacePrefix(true);
    }

    @Test
    void highestScoreMergesFirst() {
        // ▁ a b: ▁a (−1) beats ab (−2); then ▁a+b = ▁ab if it is a token.
        List<String> pieces = List.of("▁", "a", "b", "▁a", "ab", "▁ab");
        Tokenizer t = Tokenizer.of(vocab(true, pieces, -9, -9, -9, -1, -2, -3).build());
        assertArrayEquals(new int[] {FIRST_PIECE + 5}, t.encode("ab"));
        Tokenizer noAb = Tokenizer.of(vocab(true, List.of("▁", "a", "b", "▁a", "ab"), -9, -9, -9, -1, -2).build());
        assertArrayEquals(new int[] {FIRST_PIECE + 3, FIRST_PIECE + 2}, noAb.encode("ab"));
        // With ab scored higher, ▁ + ab.
        Tokenizer abFirst = Tokenizer.of(vocab(true, List.of("▁", "a", "b", "▁a", "ab"), -9, -9, -9, -2, -1).build());
        assertArrayEquals(new int[] {FIRST_PIECE, FIRST_PIECE + 4}, abFirst.encode("ab"));
    }

    @Test
    void equalScoresMergeLeftmostFirst() {
        Tokenizer t = Tokenizer.of(vocab(true, List.of("▁", "a", "aa"), -9, -9, -1).build());
        assertArrayEquals(new int[] {FIRST_PIECE, FIRST_PIECE + 2, FIRST_PIECE + 1}, t.encode("aaa"));
    }

    @Test
    void spaceGoesBeforeTheInputAndAfterSpecialTokens() {
        List<String> pieces = List.of("▁", "a", "▁a");
        Tokenizer t = Tokenizer.of(vocab(true, pieces, -9, -9, -1).build());
        int a = FIRST_PIECE + 1;
        int spaceA = FIRST_PIECE + 2;
        assertArrayEquals(new int[] {spaceA}, t.encode("a"));
        assertArrayEquals(new int[] {1, spaceA}, t.encode("a", true, false));
        assertArrayEquals(new int[] {spaceA, 2, spaceA}, t.encode("a</s>a", false, true));
        assertArrayEquals(new int[] {spaceA, FIRST_PIECE, spaceA}, t.encode("a  a"));
        Tokenizer noPrefix = Tokenizer.of(vocab(true, pieces, -9, -9, -1).addSpacePrefix(false).build());
        assertArrayEquals(new int[] {a}, noPrefix.encode("a"));
    }

    @Test
    void missingCharactersFallBackToBytesOrUnknown() {
        Tokenizer bytes = Tokenizer.of(vocab(true, List.of("▁"), -1).build());
        assertArrayEquals(new int[] {FIRST_PIECE, 3 + 0xC3, 3 + 0xA9}, bytes.encode("é"));
        assertEquals("é", bytes.decode(bytes.encode("é")));
        Tokenizer unk = Tokenizer.of(vocab(false, List.of("▁"), -1).build());
        assertArrayEquals(new int[] {3, 0, 0}, unk.encode("é"));
        Tokenizer neither = Tokenizer.of(vocab(false, List.of("▁"), -1).unk(Vocabulary.NONE).build());
        assertThrows(IllegalArgumentException.class, () -> neither.encode("é"));
    }

    @Test
    void decodingRestoresSpacesAndDropsTheFirstOne() {
        List<String> pieces = List.of("▁", "a", "▁a", "▁b");
        Tokenizer t = Tokenizer.of(vocab(true, pieces, -9, -9, -1, -1).build());
        int spaceA = FIRST_PIECE + 2;
        int spaceB = FIRST_PIECE + 3;
        assertEquals("a b", t.decode(new int[] {spaceA, spaceB}));
        assertEquals("a b", t.decode(t.encode("a b")));
        // As llama_detokenize: a leading BOS takes the place of the dropped space.
        assertEquals(" a", t.decode(new int[] {1, spaceA}));
        assertEquals("<s> a", t.decode(new int[] {1, spaceA}, true));
    }
}
