/*
 * Byte-level BPE (tokenizer.ggml.model "gpt2": GPT-2, Llama 3, Qwen 2/3, o200k), following llama.cpp's
 * llm_tokenizer_bpe_session (src/llama-vocab.cpp): pre-tokenize, map each word's UTF-8 bytes to GPT-2's
 * stand-in characters, then repeatedly merge the adjacent pair with the best (lowest) merge rank, the
 * leftmost on ties, until no pair merges. A word that is itself a token is taken whole when the
 * vocabulary says so (ignore_merges; tiktoken always does).
 *
 * The merge loop is a heap of candidate pairs over a linked list of symbols, O(n log n) per word; stale
 * heap entries are recognised by the pair's combined length (symbols only grow). Pieces are interned as
 * ints and the merge table maps (left, right) → (rank, merged piece), so no strings are built while
 * merging. Words already seen are cached. Tested in ByteLevelBpeTest, LlamaCppVocabTest (llama-bpe,
 * qwen2, gpt-2, ...), HfTokenizerJsonTest and O200kTest.
 */
package dev.vireo.tokenizer;

import dev.vireo.io.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Byte-level BPE tokenizer. Immutable and thread-safe. */
public final class ByteLevelBpe extends BaseTokenizer {
    /** Words up to this many chars are cached; longer ones (long whitespace runs, blobs) are not worth it. */
    private static final int CACHE_MAX_WORD = 64;
    private static final int CACHE_MAX_ENTRIES = 1 << 16;

    private final PreTokenizer preTokenizer;
    private final boolean ignoreMerges;
    private final PairRankMap merges;
    /** Piece id of each byte's one-character string. */
    private final int[] bytePiece = new int[256];
    /** Texts of pieces that are not tokens (ids from vocabularySize() on): merge parts or results only. */
    private final List<String> extraPieces = new ArrayList<>();
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * A byte-level BPE tokenizer for {@code vocab}.
     *
     * @throws ModelFormatException if a merge is not two pieces separated by a space, or the pre-tokenizer
     *     is unknown or its pattern invalid
     */
    public ByteLevelBpe(Vocabulary vocab) {
        super(vocab, ByteLevelBpe::standInBytes);
        if (!vocab.preRegexes().isEmpty()) {
            // Patterns from a tokenizer.json: Hugging Face matches them with current Unicode data, as Java does.
            preTokenizer = PreTokenizer.of(vocab.preRegexes(), false);
        } else {
            preTokenizer = PreTokenizers.forName(vocab.pre()).preTokenizer();
        }
        ignoreMerges = vocab.ignoreMerges();
        Map<String, Integer> extra = new HashMap<>();
        List<String> mergeList = vocab.merges();
        merges = new PairRankMap(mergeList.size());
        for (int rank = 0; rank < mergeList.size(); rank++) {
            String m = mergeList.get(rank);
            // Split at the first space after the first character, as llama.cpp does.
            int sp = m.indexOf(' ', 1);
            if (sp < 0) {
                throw new ModelFormatException("merge #" + rank + " '" + m + "' is not two pieces separated by a space");
            }
            String left = m.substring(0, sp);
            String right = m.substring(sp + 1);
            merges.putIfAbsent(piece(left, extra), piece(right, extra), rank, piece(left + right, extra));
        }
        for (int b = 0; b < 256; b++) {
            bytePiece[b] = piece(String.valueOf(ByteEncoding.encode(b)), extra);
        }
    }

    /** The piece id of a string: its token id, or an extra id past the vocabulary. */
    private int piece(String s, Map<String, Integer> extra) {
        int id = idOf(s);
        if (id >= 0) {
            return id;
        }
        Integer e = extra.get(s);
        if (e == null) {
            e = texts.length + extraPieces.size();
            extra.put(s, e);
            extraPieces.add(s);
        }
        return e;
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        int[] ends = preTokenizer.wordEnds(text);
        int start = 0;
        Scratch scratch = null;
        for (int end : ends) {
            String word = text.substring(start, end);
            start = end;
            int[] cached = word.length() <= CACHE_MAX_WORD ? cache.get(word) : null;
            if (cached != null) {
                out.addAll(cached);
                continue;
            }
            if (scratch == null) {
                scratch = new Scratch();
            }
            int mark = out.size();
            encodeWord(word.getBytes(StandardCharsets.UTF_8), scratch, out);
            if (word.length() <= CACHE_MAX_WORD) {
                if (cache.size() >= CACHE_MAX_ENTRIES) {
                    cache.clear();
                }
                cache.put(word, out.toArrayFrom(mark));
            }
        }
    }

    /** Per-call working arrays for the merge loop. */
    private static final class Scratch {
        int[] piece = new int[64];
        int[] len = new int[64];
        int[] prev = new int[64];
        int[] next = new int[64];
        final MergeHeap heap = new MergeHeap();

        void ensure(int n) {
            if (piece.length < n) {
                int c = Math.max(n, piece.length * 2);
                piece = new int[c];
                len = new int[c];
                prev = new int[c];
                next = new int[c];
            }
        }
    }

    private void encodeWord(byte[] bytes, Scratch s, IntList out) {
        int n = bytes.length;
        if (n == 0) {
            return;
        }
        if (ignoreMerges && n > 1) {
            int whole = idOf(ByteEncoding.encode(bytes));
            if (whole >= 0) {
                out.add(whole);
                return;
            }
        }
        s.ensure(n);
        int[] piece = s.piece, len = s.len, prev = s.prev, next = s.next;
        for (int i = 0; i < n; i++) {
            piece[i] = bytePiece[bytes[i] & 0xFF];
            len[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        MergeHeap heap = s.heap;
        heap.clear();
        for (int i = 0; i + 1 < n; i++) {
            offer(heap, piece, len, i, i + 1);
        }
        while (!heap.isEmpty()) {
            long key = heap.topKey();
            int total = heap.topPayload();
            heap.pop();
            int left = MergeHeap.left(key);
            int right = next[left];
            // Stale if either side has changed since the pair was queued: sizes only grow when they do.
            if (len[left] == 0 || right < 0 || len[left] + len[right] != total) {
                continue;
            }
            piece[left] = PairRankMap.merged(merges.get(piece[left], piece[right]));
            len[left] = total;
            len[right] = 0;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                offer(heap, piece, len, prev[left], left);
            }
            if (next[left] >= 0) {
                offer(heap, piece, len, left, next[left]);
            }
        }
        for (int i = 0; i >= 0; i = next[i]) {
            int p = piece[i];
            if (p < texts.length) {
                out.add(p);
            } else {
                // The merges built a piece the vocabulary lacks: fall back to one token per byte. (llama.cpp
                // keeps only the bytes whose one-byte UTF-8 string happens to be a token; a consistent
                // vocabulary never gets here.)
                for (int b = i; b < i + len[i]; b++) {
                    int id = bytePiece[bytes[b] & 0xFF];
                    if (id < texts.length) {
                        out.add(id);
                    }
                }
            }
        }
    }

    private void offer(MergeHeap heap, int[] piece, int[] len, int left, int right) {
        long m = merges.get(piece[left], piece[right]);
        if (m >= 0) {
            heap.push(MergeHeap.key(PairRankMap.rank(m), left), len[left] + len[right]);
        }
    }

    /** The bytes a token's stand-in characters encode. */
    private static byte[] standInBytes(String text) {
        byte[] buf = new byte[text.length() * 4];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            int b = ByteEncoding.decode(cp);
            if (b >= 0) {
                buf[n++] = (byte) b;
            } else {
                // Not a stand-in character (a vocabulary that stores raw text): keep its UTF-8 as is.
                byte[] raw = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(raw, 0, buf, n, raw.length);
                n += raw.length;
            }
        }
        return java.util.Arrays.copyOf(buf, n);
    }
}
