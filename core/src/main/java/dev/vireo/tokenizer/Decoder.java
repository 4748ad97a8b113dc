/*
 * Streaming detokenization. A token may end in the middle of a UTF-8 character (byte-level BPE splits
 * emoji and CJK into byte tokens; SentencePiece falls back to <0xXX> bytes), so the decoder holds back
 * the bytes of an unfinished character and emits only whole characters. A sequence that can no longer
 * become valid is emitted at once as U+FFFD rather than blocking the stream. Tested in DecoderTest.
 */
package dev.vireo.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Turns a stream of token ids into text, one call per token. The text is exactly the tokens' bytes:
 * unlike {@link Tokenizer#decode(int[])} no leading space is dropped, since a generated stream
 * continues a prompt. Not thread-safe: one per stream.
 */
public final class Decoder {
    private final IntFunction<byte[]> pieces;
    private byte[] pending = new byte[16];
    private int size;

    /** @param pieces the bytes of a token id (not changed by the decoder) */
    Decoder(IntFunction<byte[]> pieces) {
        this.pieces = pieces;
    }

    /**
     * Adds one token; returns the text it completes (possibly empty while a character is unfinished,
     * possibly including characters held back from earlier tokens).
     */
    public String push(int id) {
        byte[] piece = pieces.apply(id);
        if (size + piece.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + piece.length));
        }
        System.arraycopy(piece, 0, pending, size, piece.length);
        size += piece.length;
        int cut = completePrefix(pending, size);
        return take(cut);
    }

    /** Emits whatever is held back (an unfinished character becomes U+FFFD) and empties the decoder. */
    public String flush() {
        return take(size);
    }

    /** Whether bytes of an unfinished character are held back. */
    public boolean hasPending() {
        return size > 0;
    }

    private String take(int n) {
        if (n == 0) {
            return "";
        }
        String s = new String(pending, 0, n, StandardCharsets.UTF_8);
        System.arraycopy(pending, n, pending, 0, size - n);
        size -= n;
        return s;
    }

    /**
     * The length of the longest prefix of {@code b[0, n)} that does not end inside a character that could
     * still be completed: only a trailing lead byte followed by fewer continuation bytes than it announces
     * is held back. Anything else (complete or hopelessly malformed) is released.
     */
    static int completePrefix(byte[] b, int n) {
        // A UTF-8 character is at most 4 bytes, so only the last 3 bytes can belong to an unfinished one.
        for (int i = n - 1; i >= Math.max(0, n - 3); i--) {
            int v = b[i] & 0xFF;
            if ((v & 0xC0) == 0x80) {
                continue; // continuation byte: keep looking for its lead
            }
            int need = v >= 0xF0 && v <= 0xF4 ? 4 : v >= 0xE0 ? 3 : v >= 0xC2 && v < 0xE0 ? 2 : 1;
            if (v >= 0xF5) {
                need = 1; // never a lead byte
            }
            return n - i < need ? i : n;
        }
        return n;
    }
}
