/*
 * Everything a tokenizer needs, as plain Java collections, so that it can be filled from GGUF metadata
 * (GgufVocabulary, the tokenizer.ggml.* keys) or from a Hugging Face tokenizer.json (HfTokenizerJson)
 * and handed to Tokenizer.of. The fields follow llama.cpp's llama_vocab: token strings, scores, token
 * types, merges, special ids and the add-BOS/EOS and space-prefix flags. Validated on construction;
 * tested through every tokenizer test.
 */
package dev.vireo.tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A tokenizer vocabulary.
 *
 * @param model the tokenizer algorithm, as GGUF's {@code tokenizer.ggml.model} names it:
 *     {@value #MODEL_BYTE_LEVEL_BPE} (byte-level BPE) or {@value #MODEL_SENTENCE_PIECE} (SentencePiece BPE)
 * @param pre the pre-tokenizer name ({@code tokenizer.ggml.pre}: {@code llama-bpe}, {@code qwen2},
 *     {@code gpt-2}, {@code gpt-4o}, ...); {@code "default"} when the file names none. Ignored when
 *     {@code preRegexes} is not empty
 * @param preRegexes explicit pre-tokenizer split patterns, applied in order (from a tokenizer.json);
 *     empty to use the table entry for {@code pre}
 * @param tokens the token strings, by id (byte-level BPE: in GPT-2's byte-to-unicode encoding;
 *     SentencePiece: with {@code ▁} for a space)
 * @param scores per-token scores (SentencePiece merge priority), by id; empty when the file has none
 * @param types per-token types, by id
 * @param merges byte-level BPE merges as {@code "left right"}, highest priority first
 * @param bos beginning-of-sequence id, or {@value #NONE}
 * @param eos end-of-sequence id, or {@value #NONE}
 * @param eot end-of-turn id, or {@value #NONE}
 * @param eom end-of-message id, or {@value #NONE}
 * @param pad padding id, or {@value #NONE}
 * @param unk unknown-token id, or {@value #NONE}
 * @param addBos whether {@code encode(..., addSpecial=true, ...)} prepends BOS
 * @param addEos whether {@code encode(..., addSpecial=true, ...)} appends EOS
 * @param addSpacePrefix SentencePiece: a space is put before text that starts the input or follows a
 *     special token, and decoding drops the first token's leading space
 * @param ignoreMerges byte-level BPE: a pre-tokenized word that is itself a token is emitted whole,
 *     without running merges (llama.cpp's {@code ignore_merges}; tiktoken always does this)
 * @param endOfGeneration the ids that end generation (EOS, EOT and the end-of-turn markers)
 * @param normalizer Unicode normalization applied to input text outside special tokens: {@code ""}
 *     for none (every GGUF vocabulary), {@value #NORMALIZER_NFC} for NFC (some tokenizer.json files)
 */
public record Vocabulary(
        String model,
        String pre,
        List<String> preRegexes,
        List<String> tokens,
        float[] scores,
        List<TokenType> types,
        List<String> merges,
        int bos,
        int eos,
        int eot,
        int eom,
        int pad,
        int unk,
        boolean addBos,
        boolean addEos,
        boolean addSpacePrefix,
        boolean ignoreMerges,
        Set<Integer> endOfGeneration,
        String normalizer) {

    /** {@code tokenizer.ggml.model} of byte-level BPE (GPT-2, Llama 3, Qwen, o200k). */
    public static final String MODEL_BYTE_LEVEL_BPE = "gpt2";
    /** {@code tokenizer.ggml.model} of SentencePiece BPE (Llama 1/2, Mistral v0.1-v0.3). */
    public static final String MODEL_SENTENCE_PIECE = "llama";
    /** The id of an absent special token. */
    public static final int NONE = -1;
    /** {@link #normalizer()} value for Unicode NFC. */
    public static final String NORMALIZER_NFC = "NFC";

    public Vocabulary {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pre, "pre");
        Objects.requireNonNull(normalizer, "normalizer");
        if (!normalizer.isEmpty() && !normalizer.equals(NORMALIZER_NFC)) {
            throw new IllegalArgumentException("normalizer '" + normalizer + "' is not supported; supported: none, NFC");
        }
        preRegexes = List.copyOf(preRegexes);
        tokens = List.copyOf(tokens);
        scores = scores.clone();
        types = List.copyOf(types);
        merges = List.copyOf(merges);
        endOfGeneration = Collections.unmodifiableSet(new LinkedHashSet<>(endOfGeneration));
        int n = tokens.size();
        if (types.size() != n) {
            throw new IllegalArgumentException("token types: " + types.size() + " entries for " + n + " tokens");
        }
        if (scores.length != 0 && scores.length != n) {
            throw new IllegalArgumentException("token scores: " + scores.length + " entries for " + n + " tokens");
        }
        checkId("bos", bos, n);
        checkId("eos", eos, n);
        checkId("eot", eot, n);
        checkId("eom", eom, n);
        checkId("pad", pad, n);
        checkId("unk", unk, n);
        if (addBos && bos == NONE) {
            throw new IllegalArgumentException("the vocabulary asks for a BOS token but has none");
        }
        if (addEos && eos == NONE) {
            throw new IllegalArgumentException("the vocabulary asks for an EOS token but has none");
        }
        for (int id : endOfGeneration) {
            if (id < 0 || id >= n) {
                throw new IllegalArgumentException("end-of-generation id " + id + " outside the vocabulary [0, " + n + ")");
            }
        }
    }

    private static void checkId(String what, int id, int n) {
        if (id != NONE && (id < 0 || id >= n)) {
            throw new IllegalArgumentException(what + " id " + id + " outside the vocabulary [0, " + n + ")");
        }
    }

    /** A copy of the scores (the array itself stays private to the record). */
    @Override
    public float[] scores() {
        return scores.clone();
    }

    /** The number of tokens. */
    public int size() {
        return tokens.size();
    }

    /** A builder with these values, to derive a changed vocabulary. */
    public Builder toBuilder() {
        Builder b = new Builder(model, tokens);
        b.pre = pre;
        b.preRegexes = preRegexes;
        b.scores = scores;
        b.types = types;
        b.merges = merges;
        b.bos = bos;
        b.eos = eos;
        b.eot = eot;
        b.eom = eom;
        b.pad = pad;
        b.unk = unk;
        b.addBos = addBos;
        b.addEos = addEos;
        b.addSpacePrefix = addSpacePrefix;
        b.ignoreMerges = ignoreMerges;
        b.endOfGeneration = endOfGeneration;
        b.normalizer = normalizer;
        return b;
    }

    /** A builder for {@code model} over {@code tokens}: all types NORMAL, no scores, merges or specials. */
    public static Builder builder(String model, List<String> tokens) {
        return new Builder(model, tokens);
    }

    /** Fills a {@link Vocabulary} step by step; unset fields keep the defaults of {@link #builder}. */
    public static final class Builder {
        private final String model;
        private final List<String> tokens;
        private String pre = "default";
        private List<String> preRegexes = List.of();
        private float[] scores = new float[0];
        private List<TokenType> types;
        private List<String> merges = List.of();
        private int bos = NONE;
        private int eos = NONE;
        private int eot = NONE;
        private int eom = NONE;
        private int pad = NONE;
        private int unk = NONE;
        private boolean addBos;
        private boolean addEos;
        private boolean addSpacePrefix;
        private boolean ignoreMerges;
        private Set<Integer> endOfGeneration;
        private String normalizer = "";

        private Builder(String model, List<String> tokens) {
            this.model = model;
            this.tokens = tokens;
        }

        public Builder pre(String v) { pre = v; return this; }
        public Builder preRegexes(List<String> v) { preRegexes = v; return this; }
        public Builder scores(float[] v) { scores = v; return this; }
        public Builder types(List<TokenType> v) { types = v; return this; }
        public Builder merges(List<String> v) { merges = v; return this; }
        public Builder bos(int v) { bos = v; return this; }
        public Builder eos(int v) { eos = v; return this; }
        public Builder eot(int v) { eot = v; return this; }
        public Builder eom(int v) { eom = v; return this; }
        public Builder pad(int v) { pad = v; return this; }
        public Builder unk(int v) { unk = v; return this; }
        public Builder addBos(boolean v) { addBos = v; return this; }
        public Builder addEos(boolean v) { addEos = v; return this; }
        public Builder addSpacePrefix(boolean v) { addSpacePrefix = v; return this; }
        public Builder ignoreMerges(boolean v) { ignoreMerges = v; return this; }

        /** The ids that end generation; when never set, {@link #build} uses EOS, EOT and EOM. */
        public Builder endOfGeneration(Set<Integer> v) { endOfGeneration = v; return this; }

        /** {@code ""} (none) or {@value Vocabulary#NORMALIZER_NFC}. */
        public Builder normalizer(String v) { normalizer = v; return this; }

        public Vocabulary build() {
            List<TokenType> t = types != null ? types : Collections.nCopies(tokens.size(), TokenType.NORMAL);
            Set<Integer> eog = endOfGeneration;
            if (eog == null) {
                List<Integer> ids = new ArrayList<>();
                for (int id : new int[] {eos, eot, eom}) {
                    if (id != NONE) {
                        ids.add(id);
                    }
                }
                eog = new LinkedHashSet<>(ids);
            }
            return new Vocabulary(model, pre, preRegexes, tokens, scores, t, merges, bos, eos, eot, eom, pad, unk,
                    addBos, addEos, addSpacePrefix, ignoreMerges, eog, normalizer);
        }
    }
}
