/*
 * The tokenizer contract: text to ids exactly as llama.cpp's llama_tokenize does (special-token
 * splitting, BOS/EOS), ids back to text, a streaming decoder for generation, and the vocabulary facts
 * a generation loop needs. Implementations: ByteLevelBpe (tokenizer.ggml.model "gpt2") and
 * SentencePieceBpe ("llama"). Tested against llama.cpp's reference tokenizations
 * (LlamaCppVocabTest) and tiktoken's o200k_base through jtokkit (O200kTest).
 */
package dev.vireo.tokenizer;

import dev.vireo.io.ModelFormatException;

/** Converts between text and token ids. Implementations are immutable and safe to share between threads. */
public interface Tokenizer {

    /**
     * The ids of {@code text}.
     *
     * @param addSpecial add BOS/EOS where the vocabulary asks for them
     * @param parseSpecial control tokens written in the text (such as {@code <|eot_id|>}) become their
     *     ids; when false they are tokenized as plain text. User-defined tokens are always recognised,
     *     as in llama.cpp
     */
    int[] encode(String text, boolean addSpecial, boolean parseSpecial);

    /** The ids of {@code text} with no BOS/EOS added and special tokens treated as text. */
    default int[] encode(String text) {
        return encode(text, false, false);
    }

    /**
     * The text of {@code ids}: the concatenated token bytes as UTF-8 (malformed sequences become
     * U+FFFD), control and unknown tokens left out unless {@code renderSpecial}. Where the vocabulary
     * puts a space before the text (SentencePiece), the first token's leading space is dropped. No other
     * clean-up is applied, so decoding the ids of a text gives the text back.
     */
    String decode(int[] ids, boolean renderSpecial);

    /** {@link #decode(int[], boolean)} without control and unknown tokens. */
    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The bytes a token contributes to decoded text (empty for control tokens unless {@code renderSpecial}). */
    byte[] tokenBytes(int id, boolean renderSpecial);

    /**
     * A decoder that turns generated ids into text, one complete character at a time.
     *
     * @param renderSpecial include the text of control and unknown tokens
     */
    default Decoder newDecoder(boolean renderSpecial) {
        return new Decoder(id -> tokenBytes(id, renderSpecial));
    }

    /** Whether generating {@code id} ends the generation (EOS, EOT, end-of-turn markers). */
    boolean isEndOfGeneration(int id);

    /** The number of ids. */
    int vocabularySize();

    /** The stored text of a token (in the vocabulary's own encoding, e.g. {@code Ġthe} or {@code ▁the}). */
    String tokenText(int id);

    /** The type of a token. */
    TokenType tokenType(int id);

    /** The vocabulary this tokenizer was built from. */
    Vocabulary vocabulary();

    /**
     * The tokenizer for a vocabulary, chosen by {@link Vocabulary#model()}.
     *
     * @throws ModelFormatException if the model is not one this library implements, or the vocabulary is
     *     inconsistent (a malformed merge, an unknown pre-tokenizer)
     */
    static Tokenizer of(Vocabulary vocabulary) {
        return switch (vocabulary.model()) {
            case Vocabulary.MODEL_BYTE_LEVEL_BPE -> new ByteLevelBpe(vocabulary);
            case Vocabulary.MODEL_SENTENCE_PIECE -> new SentencePieceBpe(vocabulary);
            default -> throw new ModelFormatException("tokenizer model '" + vocabulary.model()
                    + "' is not supported; supported: " + Vocabulary.MODEL_BYTE_LEVEL_BPE + " (byte-level BPE), "
                    + Vocabulary.MODEL_SENTENCE_PIECE + " (SentencePiece BPE)");
        };
    }
}
