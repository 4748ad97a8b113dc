/*
 * The kind of a vocabulary entry, with the integer codes GGUF stores in tokenizer.ggml.token_type
 * (llama.cpp's llama_token_type). The kind decides how a token is matched in input text (control and
 * unknown tokens only when special parsing is asked for; user-defined ones always) and how it is
 * rendered when decoding. Tested through the tokenizer tests.
 */
package dev.vireo.tokenizer;

/** What a vocabulary entry is, as GGUF's {@code tokenizer.ggml.token_type} codes it. */
public enum TokenType {
    /** Code 0; also what any unknown code is read as. Never rendered. */
    UNDEFINED(0),
    /** Code 1: an ordinary piece of text. */
    NORMAL(1),
    /** Code 2: the unknown token ({@code <unk>}). */
    UNKNOWN(2),
    /** Code 3: a control token such as BOS, EOS or a chat-template marker. */
    CONTROL(3),
    /** Code 4: an added token that is always split out of the input before pre-tokenization. */
    USER_DEFINED(4),
    /** Code 5: a reserved entry that is never produced or rendered. */
    UNUSED(5),
    /** Code 6: a byte-fallback token, text {@code <0xXX>}. */
    BYTE(6);

    private static final TokenType[] BY_CODE = values();

    private final int ggufCode;

    TokenType(int ggufCode) {
        this.ggufCode = ggufCode;
    }

    /** The integer GGUF stores for this type. */
    public int ggufCode() {
        return ggufCode;
    }

    /** The type for a GGUF code; codes outside 0..6 read as {@link #UNDEFINED}, as llama.cpp reads them. */
    public static TokenType fromGguf(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNDEFINED;
    }

    /**
     * Control and unknown tokens: matched in input text only when special parsing is asked for, and
     * rendered as text only when asked for (llama.cpp's {@code parse_special} / {@code special}).
     */
    public boolean isSpecial() {
        return this == CONTROL || this == UNKNOWN;
    }
}
