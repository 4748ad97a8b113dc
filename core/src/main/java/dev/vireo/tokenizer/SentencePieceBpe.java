/*
 * SentencePiece BPE (tokenizer.ggml.model "llama": Llama 1/2, Mistral 7B v0.1-v0.3, Phi-3), following
 * llama.cpp's llm_tokenizer_spm_session and the SPM branch of llama_vocab::impl::tokenize
 * (src/llama-vocab.cpp): a space goes before a text fragment that starts the input or follows a special
 * token (add_space_prefix), spaces become '▁', the text is cut into characters, and the adjacent pair
 * whose concatenation is a token with the highest score is merged (leftmost on ties) until none is.
 * Every merge forms a token, so a remaining symbol that is not one is a single character missing from
 * the vocabulary: its UTF-8 bytes become <0xXX> byte tokens (byte fallback), or the unknown token.
 * Tested in SentencePieceBpeTest and LlamaCppVocabTest (llama-spm).
 */
package dev.vireo.tokenizer;

import java.nio.charset.StandardCharsets;

/** SentencePiece BPE tokenizer. Immutable and thread-safe. */
public final class SentencePieceBpe extends BaseTokenizer {
    private static final char SPACE_MARK = '\u2581';

    private final float[] scores;
    /** Token id of each byte value ({@code <0xXX>}, else the one-byte string), or -1. */
    private final int[] byteToken = new int[256];

    public SentencePieceBpe(Vocabulary vocab) {
        super(vocab, SentencePieceBpe::unescape);
        float[] s = vocab.scores();
        scores = s.length == 0 ? new float[vocab.size()] : s;
        for (int b = 0; b < 256; b++) {
            int id = idOf(String.format("<0x%02X>", b));
            if (id < 0 && b < 0x80) {
                id = idOf(String.valueOf((char) b));
            }
            byteToken[b] = id;
        }
    }

    @Override
    void encodeText(String fragment, boolean afterSpecial, IntList out) {
        String text = (vocab.addSpacePrefix() && afterSpecial ? " " + fragment : fragment).replace(' ', SPACE_MARK);
        int nChars = text.length();
        // Symbols: one per code point, as [start, start + len) in chars.
        int[] start = new int[nChars];
        int[] len = new int[nChars];
        int n = 0;
        for (int i = 0; i < nChars; ) {
            int c = Character.charCount(text.codePointAt(i));
            start[n] = i;
            len[n] = c;
            n++;
            i += c;
        }
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        MergeHeap heap = new MergeHeap();
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, text, start, len, i, i + 1);
        }
        while (!heap.isEmpty()) {
            long key = heap.topKey();
            int total = heap.topPayload();
            heap.pop();
            int left = MergeHeap.left(key);
            int right = next[left];
            if (len[left] == 0 || right < 0 || len[left] + len[right] != total) {
                continue; // stale: a side has merged since the pair was queued
            }
            len[left] = total;
            len[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                offer(heap, text, start, len, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(heap, text, start, len, left, next[left]);
            }
        }
        for (int i = 0; n > 0 && i >= 0; i = next[i]) {
            String piece = text.substring(start[i], start[i] + len[i]);
            int id = idOf(piece);
            if (id >= 0) {
                out.add(id);
                continue;
            }
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                int bt = byteToken[b & 0xFF];
                if (bt < 0) {
                    bt = vocab.unk();
                }
                if (bt < 0) {
                    throw new IllegalArgumentException("cannot encode '" + piece + "': the vocabulary has no byte token for 0x"
                            + Integer.toHexString(b & 0xFF) + " and no unknown token");
                }
                out.add(bt);
            }
        }
    }

    /** Queues the pair if its concatenation is a token: higher score first, so the heap key is −score. */
    private void offer(MergeHeap heap, String text, int[] start, int[] len, int left, int right) {
        int total = len[left] + len[right];
        int id = idOf(text.substring(start[left], start[left] + total));
        if (id >= 0) {
            heap.push(MergeHeap.key(descending(scores[id]), left), total);
        }
    }

    /** An int whose signed order is the reverse of the float order of {@code score}. */
    private static int descending(float score) {
        // -0 and +0 must tie, as they do for llama.cpp's float comparison.
        int bits = Float.floatToIntBits(score == 0f ? 0f : -score);
        return bits ^ ((bits >> 31) & 0x7FFF_FFFF);
    }

    /** A token's text with ▁ back to a space, as UTF-8. */
    private static byte[] unescape(String text) {
        return text.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    }
}
