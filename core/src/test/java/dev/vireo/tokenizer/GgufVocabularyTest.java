/*
 * GGUF metadata to Vocabulary: llama.cpp's defaults per tokenizer model and pre-tokenizer, the file's
 * values on top, end-of-generation detection (including o200k_harmony's <|end|> rule), and a
 * ModelFormatException naming file and key for every kind of bad value.
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.io.ModelFormatException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GgufVocabularyTest {

    private static Map<String, Object> spm() {
        Map<String, Object> kv = new HashMap<>();
        kv.put(GgufVocabulary.MODEL, "llama");
        kv.put(GgufVocabulary.TOKENS, List.of("<unk>", "<s>", "</s>", "▁a", "a"));
        kv.put(GgufVocabulary.SCORES, new float[] {0, 0, 0, -1, -2});
        kv.put(GgufVocabulary.TOKEN_TYPE, new int[] {2, 3, 3, 1, 1});
        return kv;
    }

    private static Map<String, Object> bpe(String pre, List<String> tokens) {
        Map<String, Object> kv = new HashMap<>();
        kv.put(GgufVocabulary.MODEL, "gpt2");
        kv.put(GgufVocabulary.PRE, pre);
        kv.put(GgufVocabulary.TOKENS, tokens);
        kv.put(GgufVocabulary.MERGES, List.of());
        return kv;
    }

    @Test
    void sentencePieceDefaults() {
        Vocabulary v = GgufVocabulary.fromMetadata(spm(), "spm.gguf");
        assertEquals(1, v.bos());
        assertEquals(2, v.eos());
        assertEquals(0, v.unk());
        assertTrue(v.addBos());
        assertFalse(v.addEos());
        assertTrue(v.addSpacePrefix());
        assertEquals(TokenType.UNKNOWN, v.types().get(0));
        assertEquals(-2f, v.scores()[4]);
        assertEquals(Set.of(2), v.endOfGeneration());
    }

    @Test
    void fileValuesOverrideDefaults() {
        Map<String, Object> kv = spm();
        kv.put(GgufVocabulary.BOS_ID, 4L);
        kv.put(GgufVocabulary.ADD_BOS, false);
        kv.put(GgufVocabulary.ADD_EOS, true);
        kv.put(GgufVocabulary.ADD_SPACE_PREFIX, false);
        Vocabulary v = GgufVocabulary.fromMetadata(kv, "spm.gguf");
        assertEquals(4, v.bos());
        assertFalse(v.addBos());
        assertTrue(v.addEos());
        assertFalse(v.addSpacePrefix());
    }

    @Test
    void preTokenizerNameImpliesFlags() {
        List<String> tokens = List.of("a", "b", "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|eom_id|>");
        Map<String, Object> kv = bpe("llama-bpe", tokens);
        kv.put(GgufVocabulary.BOS_ID, 2);
        kv.put(GgufVocabulary.EOS_ID, 3);
        Vocabulary v = GgufVocabulary.fromMetadata(kv, "llama3.gguf");
        assertTrue(v.addBos());
        assertTrue(v.ignoreMerges());
        assertEquals(4, v.eot()); // found by its text
        assertEquals(5, v.eom());
        assertEquals(TokenType.CONTROL, v.types().get(4));
        assertEquals(Set.of(3, 4, 5), v.endOfGeneration());

        Vocabulary q = GgufVocabulary.fromMetadata(bpe("qwen2", List.of("a", "b")), "qwen.gguf");
        assertFalse(q.addBos());
        assertFalse(q.ignoreMerges());
        assertEquals(Vocabulary.NONE, q.bos()); // the BPE default id 11 does not fit two tokens
    }

    @Test
    void harmonyEndIsNotEndOfGeneration() {
        List<String> tokens = List.of("x", "<|return|>", "<|call|>", "<|end|>", "<|endoftext|>", "<|start|>");
        Vocabulary v = GgufVocabulary.fromMetadata(bpe("gpt-4o", tokens), "gpt-oss.gguf");
        assertEquals(Set.of(1, 2, 4), v.endOfGeneration());
        Tokenizer t = Tokenizer.of(v);
        assertTrue(t.isEndOfGeneration(1));
        assertFalse(t.isEndOfGeneration(3));
        assertFalse(t.isEndOfGeneration(-1));
    }

    @Test
    void badValuesNameFileAndKey() {
        assertBad(m -> m.remove(GgufVocabulary.MODEL), "tokenizer.ggml.model is missing");
        assertBad(m -> m.put(GgufVocabulary.MODEL, "bert"), "tokenizer.ggml.model is 'bert'; supported");
        assertBad(m -> m.put(GgufVocabulary.MODEL, 3L), "tokenizer.ggml.model should be a string, found Long");
        assertBad(m -> m.put(GgufVocabulary.TOKENS, List.of()), "tokenizer.ggml.tokens is empty");
        assertBad(m -> m.put(GgufVocabulary.TOKENS, List.of("a", 1)), "element 1 is Integer");
        assertBad(m -> m.put(GgufVocabulary.SCORES, new float[] {0, 0}), "tokenizer.ggml.scores has 2 entries for 5 tokens");
        assertBad(m -> m.put(GgufVocabulary.TOKEN_TYPE, new float[] {1, 1, 1, 1, 1}), "should be an array of integers");
        assertBad(m -> m.put(GgufVocabulary.EOS_ID, 5L), "tokenizer.ggml.eos_token_id = 5 is outside the vocabulary of 5 tokens");
        assertBad(m -> m.put(GgufVocabulary.BOS_ID, -1L), "tokenizer.ggml.bos_token_id = -1 is outside");
        assertBad(m -> m.put(GgufVocabulary.ADD_BOS, 1L), "tokenizer.ggml.add_bos_token should be a boolean");
        assertBad(m -> {
            m.put(GgufVocabulary.MODEL, "gpt2");
            m.put(GgufVocabulary.PRE, "llama-bpe");
        }, "tokenizer.ggml.merges is missing");
        assertBad(m -> {
            m.put(GgufVocabulary.MODEL, "gpt2");
            m.put(GgufVocabulary.PRE, "mystery");
            m.put(GgufVocabulary.MERGES, List.of());
        }, "pre-tokenizer 'mystery' (tokenizer.ggml.pre) is not supported");
    }

    private static void assertBad(java.util.function.Consumer<Map<String, Object>> edit, String message) {
        Map<String, Object> kv = spm();
        edit.accept(kv);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> GgufVocabulary.fromMetadata(kv, "bad.gguf"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.gguf: ") || e.getMessage().startsWith("pre-tokenizer"), e.getMessage());
    }
}
