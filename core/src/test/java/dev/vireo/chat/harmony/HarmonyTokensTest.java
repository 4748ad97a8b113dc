/*
 * HarmonyTokens: the ids and texts of model-spec.md §4.1 in an o200k_harmony tokenizer, the sampling
 * stops of §4.4, and the refusal of a vocabulary whose special tokens are elsewhere.
 */
package dev.vireo.chat.harmony;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.io.ModelFormatException;
import dev.vireo.tokenizer.Tokenizer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HarmonyTokensTest {

    @Test
    void idsAndTextsMatchTheVocabulary() {
        Tokenizer tok = O200kHarmony.tokenizer();
        HarmonyTokens.requireHarmony(tok);
        assertTrue(HarmonyTokens.isHarmony(tok));
        Map<Integer, String> expected = Map.of(199999, "<|endoftext|>", 200002, "<|return|>", 200003, "<|constrain|>",
                200005, "<|channel|>", 200006, "<|start|>", 200007, "<|end|>", 200008, "<|message|>", 200012, "<|call|>");
        expected.forEach((id, text) -> {
            assertEquals(text, HarmonyTokens.text(id));
            assertArrayEquals(new int[] {id}, tok.encode(text, false, true));
        });
        assertNull(HarmonyTokens.text(200013));
        // model-spec.md §4.4 test vector.
        assertArrayEquals(new int[] {24912, 2375}, tok.encode("hello world"));
    }

    @Test
    void samplingStops() {
        assertEquals(Set.of(HarmonyTokens.RETURN, HarmonyTokens.CALL, HarmonyTokens.END_OF_TEXT), HarmonyTokens.samplingStops());
        for (int id = 199_990; id < 200_020; id++) {
            assertEquals(HarmonyTokens.samplingStops().contains(id), HarmonyTokens.isSamplingStop(id), "id " + id);
        }
        assertFalse(HarmonyTokens.isSamplingStop(HarmonyTokens.END));
        assertTrue(HarmonyTokens.isSamplingStop(200012));
    }

    @Test
    void otherVocabulariesAreRefused() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HarmonyTokens.requireHarmony(TinyTokenizer.bytesOnly()));
        assertTrue(e.getMessage().contains("o200k_harmony"), e.getMessage());
        assertFalse(HarmonyTokens.isHarmony(TinyTokenizer.bytesOnly()));
    }
}
