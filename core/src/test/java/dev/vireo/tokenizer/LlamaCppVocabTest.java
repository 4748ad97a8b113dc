/*
 * Our tokenizers against llama.cpp's reference tokenizations: for each vocab file under llama.cpp's
 * models/ that has a .gguf.inp/.gguf.out pair and a tokenizer we implement, every input must give
 * exactly the ids llama.cpp's test-tokenizer-0 expects (add_special=false, parse_special=false), and
 * decoding them, at once or streamed, must give the input back. Also special tokens of the Llama 3 and
 * Qwen 2 vocabularies. Skips without llama.cpp (fails under CI=true).
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LlamaCppVocabTest {

    static Tokenizer load(String name) throws Exception {
        return Tokenizer.of(GgufVocabulary.load(LlamaCppFiles.vocabFile(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-bpe", "qwen2", "gpt-2", "llama-spm", "qwen35", "mpt", "starcoder", "refact",
            "command-r", "falcon", "deepseek-coder", "phi-3"})
    void idsMatchLlamaCpp(String name) throws Exception {
        Tokenizer tok = load(name);
        List<LlamaCppFiles.Case> cases = LlamaCppFiles.cases(LlamaCppFiles.vocabFile(name));
        List<String> failures = new ArrayList<>();
        int matched = 0;
        for (LlamaCppFiles.Case c : cases) {
            int[] got = tok.encode(c.text(), false, false);
            if (Arrays.equals(got, c.expected())) {
                matched++;
                assertEquals(c.text(), tok.decode(got), name + ": decode");
                assertEquals(c.text(), streamed(tok, got), name + ": streamed decode");
            } else {
                failures.add("'" + c.text().replace("\n", "\\n") + "'\n    expected " + Arrays.toString(c.expected())
                        + "\n    got      " + Arrays.toString(got));
            }
        }
        System.out.printf("%s: %d/%d reference lines match%n", name, matched, cases.size());
        if (!failures.isEmpty()) {
            fail(name + ": " + failures.size() + " of " + cases.size() + " differ:\n" + String.join("\n", failures));
        }
    }

    /** The text the streaming decoder produces, one token at a time (SentencePiece's first space dropped). */
    static String streamed(Tokenizer tok, int[] ids) {
        Decoder d = tok.newDecoder(false);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            sb.append(d.push(id));
        }
        sb.append(d.flush());
        String s = sb.toString();
        return tok.vocabulary().addSpacePrefix() && s.startsWith(" ") ? s.substring(1) : s;
    }

    @Test
    void llama3SpecialTokens() throws Exception {
        Tokenizer tok = load("llama-bpe");
        Vocabulary v = tok.vocabulary();
        assertEquals(128000, v.bos());
        assertTrue(v.addBos());
        int[] ids = tok.encode("<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", true, true);
        assertArrayEquals(new int[] {128000, 128006, 882, 128007, 271, 13347, 128009}, ids);
        assertEquals("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>", tok.decode(ids, true));
        assertEquals("user\n\nHi", tok.decode(ids));
        assertTrue(tok.isEndOfGeneration(128009));
        assertTrue(tok.isEndOfGeneration(128001));
        assertFalse(tok.isEndOfGeneration(128006));
        // Without special parsing the markers are plain text.
        int[] plain = tok.encode("<|eot_id|>", false, false);
        assertTrue(plain.length > 1);
        assertEquals("<|eot_id|>", tok.decode(plain));
    }

    @Test
    void qwen2ChatMarkers() throws Exception {
        Tokenizer tok = load("qwen2");
        int imStart = tok.encode("<|im_start|>", false, true)[0];
        int imEnd = tok.encode("<|im_end|>", false, true)[0];
        assertEquals("<|im_start|>", tok.tokenText(imStart));
        assertEquals(TokenType.CONTROL, tok.tokenType(imEnd));
        assertTrue(tok.isEndOfGeneration(imEnd));
        assertFalse(tok.vocabulary().addBos());
        assertArrayEquals(new int[0], tok.encode("", true, true));
    }

    @Test
    void streamingJoinsByteTokensIntoCharacters() throws Exception {
        Tokenizer tok = load("llama-bpe");
        int[] ids = tok.encode(" 🦙"); // a space token, then the llama as three byte-level tokens
        Decoder d = tok.newDecoder(false);
        StringBuilder emitted = new StringBuilder();
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            String p = d.push(id);
            pieces.add(p);
            emitted.append(p);
        }
        assertEquals(" 🦙", emitted.toString());
        assertEquals("", pieces.get(pieces.size() - 2)); // the character is not complete before the last token
        Tokenizer spm = load("llama-spm");
        int[] spmIds = spm.encode("🦙"); // byte fallback: ▁ then <0xF0><0x9F><0xA6><0x99>
        assertEquals("🦙", spm.decode(spmIds));
        assertEquals("🦙", streamed(spm, spmIds));
    }
}
