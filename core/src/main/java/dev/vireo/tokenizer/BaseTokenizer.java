/*
 * What both tokenizers share, following llama.cpp's llama_vocab::impl::tokenize and
 * tokenizer_st_partition (src/llama-vocab.cpp): special tokens written in the text are cut out first,
 * longest token text first, each claiming all its non-overlapping occurrences left to right in the text
 * not yet claimed; control and unknown tokens only when parseSpecial, user-defined ones always. The
 * remaining text fragments (NFC-normalized if the vocabulary asks) go to the algorithm (subclass).
 * Decoding is token bytes concatenated, as llama_token_to_piece / llama_detokenize (without their
 * optional space clean-up). Tested through the tokenizer tests.
 */
package dev.vireo.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

abstract sealed class BaseTokenizer implements Tokenizer permits ByteLevelBpe, SentencePieceBpe {
    private static final byte[] EMPTY = new byte[0];

    final Vocabulary vocab;
    final String[] texts;
    final TokenType[] types;
    /** Token text → id; a text listed twice maps to its last id, as llama.cpp's token_to_id. */
    final Map<String, Integer> ids;
    /** Ids of control, user-defined and unknown tokens, longest text first. */
    private final int[] specials;
    /** The bytes each token renders as (control and unknown tokens: their text, shown only on request). */
    private final byte[][] pieces;
    /** Finds which special tokens occur in a text: all of them, and the user-defined ones alone. */
    private final SpecialTrie allSpecials;
    private final SpecialTrie userDefinedSpecials;
    private final boolean[] endOfGeneration;
    private final boolean nfc;

    /** @param normalBytes the bytes a NORMAL token's text stands for (the algorithm's own escaping undone) */
    BaseTokenizer(Vocabulary vocab, Function<String, byte[]> normalBytes) {
        this.vocab = vocab;
        int n = vocab.size();
        texts = vocab.tokens().toArray(new String[0]);
        types = vocab.types().toArray(new TokenType[0]);
        ids = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            ids.put(texts[i], i);
        }
        List<Integer> sp = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TokenType t = types[i];
            if ((t == TokenType.CONTROL || t == TokenType.USER_DEFINED || t == TokenType.UNKNOWN) && !texts[i].isEmpty()) {
                sp.add(i);
            }
        }
        // Longest first; ties by id so the order does not depend on the sort (llama.cpp leaves it unspecified).
        sp.sort(Comparator.<Integer>comparingInt(i -> -texts[i].length()).thenComparingInt(i -> i));
        specials = sp.stream().mapToInt(Integer::intValue).toArray();
        allSpecials = new SpecialTrie();
        userDefinedSpecials = new SpecialTrie();
        for (int id : specials) {
            allSpecials.add(texts[id], id);
            if (types[id] == TokenType.USER_DEFINED) {
                userDefinedSpecials.add(texts[id], id);
            }
        }
        pieces = new byte[n][];
        for (int i = 0; i < n; i++) {
            pieces[i] = switch (types[i]) {
                case NORMAL -> normalBytes.apply(texts[i]);
                case CONTROL, UNKNOWN, USER_DEFINED -> texts[i].getBytes(StandardCharsets.UTF_8);
                case BYTE -> byteTokenValue(texts[i]);
                case UNUSED, UNDEFINED -> EMPTY;
            };
        }
        nfc = vocab.normalizer().equals(Vocabulary.NORMALIZER_NFC);
        endOfGeneration = new boolean[n];
        for (int id : vocab.endOfGeneration()) {
            endOfGeneration[id] = true;
        }
    }

    /** Appends the ids of a text fragment; {@code afterSpecial}: it starts the input or follows a special token. */
    abstract void encodeText(String text, boolean afterSpecial, IntList out);

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        IntList out = new IntList(text.length() / 3 + 4);
        if (addSpecial && vocab.addBos()) {
            out.add(vocab.bos());
        }
        if (!text.isEmpty()) {
            boolean afterSpecial = true;
            for (Fragment f : partition(text, parseSpecial)) {
                if (f.id >= 0) {
                    out.add(f.id);
                    afterSpecial = true;
                } else {
                    String fragment = text.substring(f.start, f.end);
                    if (nfc) {
                        fragment = Normalizer.normalize(fragment, Normalizer.Form.NFC);
                    }
                    encodeText(fragment, afterSpecial, out);
                    afterSpecial = false;
                }
            }
        }
        if (addSpecial && vocab.addEos()) {
            out.add(vocab.eos());
        }
        return out.toArray();
    }

    /** A piece of the input: raw text [start, end) when id is -1, else a special token. */
    private record Fragment(int start, int end, int id) {}

    private List<Fragment> partition(String text, boolean parseSpecial) {
        List<Fragment> fragments = new ArrayList<>();
        fragments.add(new Fragment(0, text.length(), -1));
        // One pass finds the special tokens that occur at all; usually none, and only those are searched for.
        // (Of two tokens with the same text the trie keeps the later id, which is also the one split out.)
        BitSet present = (parseSpecial ? allSpecials : userDefinedSpecials).occurring(text);
        if (present.isEmpty()) {
            return fragments;
        }
        for (int special : specials) {
            if (!present.get(special)) {
                continue;
            }
            String s = texts[special];
            List<Fragment> next = new ArrayList<>(fragments.size() + 4);
            for (Fragment f : fragments) {
                if (f.id >= 0) {
                    next.add(f);
                    continue;
                }
                int from = f.start;
                while (true) {
                    int at = text.indexOf(s, from);
                    if (at < 0 || at + s.length() > f.end) {
                        break;
                    }
                    if (at > from) {
                        next.add(new Fragment(from, at, -1));
                    }
                    next.add(new Fragment(at, at + s.length(), special));
                    from = at + s.length();
                }
                if (from < f.end) {
                    next.add(new Fragment(from, f.end, -1));
                }
            }
            fragments = next;
        }
        return fragments;
    }

    @Override
    public byte[] tokenBytes(int id, boolean renderSpecial) {
        return piece(id, renderSpecial).clone();
    }

    /** The bytes of a token, not copied: callers must not change them. */
    final byte[] piece(int id, boolean renderSpecial) {
        checkId(id);
        return !renderSpecial && types[id].isSpecial() ? EMPTY : pieces[id];
    }

    @Override
    public Decoder newDecoder(boolean renderSpecial) {
        return new Decoder(id -> piece(id, renderSpecial));
    }

    /** The byte of a {@code <0xXX>} token; a byte token of another shape renders as its text. */
    private static byte[] byteTokenValue(String text) {
        if (text.length() == 6 && text.startsWith("<0x") && text.charAt(5) == '>') {
            int hi = Character.digit(text.charAt(3), 16);
            int lo = Character.digit(text.charAt(4), 16);
            if (hi >= 0 && lo >= 0) {
                return new byte[] {(byte) (hi * 16 + lo)};
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int i = 0; i < ids.length; i++) {
            byte[] b = piece(ids[i], renderSpecial);
            int skip = 0;
            // llama_detokenize drops the space SentencePiece put before the text, from the first token only.
            if (i == 0 && vocab.addSpacePrefix() && b.length > 0 && b[0] == ' ') {
                skip = 1;
            }
            out.write(b, skip, b.length - skip);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && id < endOfGeneration.length && endOfGeneration[id];
    }

    @Override
    public int vocabularySize() {
        return texts.length;
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        return texts[id];
    }

    @Override
    public TokenType tokenType(int id) {
        checkId(id);
        return types[id];
    }

    @Override
    public Vocabulary vocabulary() {
        return vocab;
    }

    /** The id of a token text, or -1. */
    int idOf(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    private void checkId(int id) {
        if (id < 0 || id >= texts.length) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + texts.length + ")");
        }
    }

    /** A character trie over special-token texts, to find in one pass which of them occur in a text. */
    private static final class SpecialTrie {
        private final Map<Character, SpecialTrie> next = new HashMap<>(4);
        private int id = -1;

        void add(String text, int tokenId) {
            SpecialTrie node = this;
            for (int i = 0; i < text.length(); i++) {
                node = node.next.computeIfAbsent(text.charAt(i), c -> new SpecialTrie());
            }
            node.id = tokenId;
        }

        /** The ids of the tokens that occur somewhere in {@code text}. */
        BitSet occurring(String text) {
            BitSet found = new BitSet();
            if (next.isEmpty()) {
                return found;
            }
            for (int start = 0; start < text.length(); start++) {
                SpecialTrie node = next.get(text.charAt(start));
                for (int i = start + 1; node != null; i++) {
                    if (node.id >= 0) {
                        found.set(node.id);
                    }
                    node = i < text.length() ? node.next.get(text.charAt(i)) : null;
                }
            }
            return found;
        }
    }
}
