/*
 * Test-only: a byte-level tokenizer with nothing but the 256 byte tokens, i.e. not o200k_harmony, to
 * check that the harmony classes refuse a vocabulary whose special tokens are not where harmony's are.
 */
package dev.vireo.chat.harmony;

import dev.vireo.tokenizer.Tokenizer;
import dev.vireo.tokenizer.Vocabulary;

import java.util.List;

final class TinyTokenizer {
    private TinyTokenizer() {}

    static Tokenizer bytesOnly() {
        return Tokenizer.of(Vocabulary.builder(Vocabulary.MODEL_BYTE_LEVEL_BPE, List.of(O200kHarmony.byteChars()))
                .pre("gpt-2").build());
    }
}
