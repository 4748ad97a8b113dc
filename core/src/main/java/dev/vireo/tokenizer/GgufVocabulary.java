/*
 * Builds a Vocabulary from GGUF metadata (the tokenizer.ggml.* keys), with llama.cpp's defaults and
 * derivations (llama_vocab::impl::load in src/llama-vocab.cpp): default special ids per tokenizer model,
 * add_bos / ignore_merges implied by the pre-tokenizer name, the file's flags and ids on top, then the
 * special-token conventions of SpecialTokenRules. It reads a GgufFile's metadata (dev.vireo.io), or a
 * plain map from key to value (String, Number, Boolean, or an array as a Java array or List) for other
 * sources. Every value is checked; a bad one is a ModelFormatException naming the file and key.
 * Tested in GgufVocabularyTest and LlamaCppVocabTest.
 */
package dev.vireo.tokenizer;

import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufMetadata;
import dev.vireo.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a tokenizer vocabulary out of GGUF metadata. */
public final class GgufVocabulary {
    private GgufVocabulary() {}

    public static final String MODEL = "tokenizer.ggml.model";
    public static final String PRE = "tokenizer.ggml.pre";
    public static final String TOKENS = "tokenizer.ggml.tokens";
    public static final String SCORES = "tokenizer.ggml.scores";
    public static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    public static final String MERGES = "tokenizer.ggml.merges";
    public static final String BOS_ID = "tokenizer.ggml.bos_token_id";
    public static final String EOS_ID = "tokenizer.ggml.eos_token_id";
    public static final String EOT_ID = "tokenizer.ggml.eot_token_id";
    public static final String EOM_ID = "tokenizer.ggml.eom_token_id";
    public static final String UNK_ID = "tokenizer.ggml.unknown_token_id";
    public static final String PAD_ID = "tokenizer.ggml.padding_token_id";
    public static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    public static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    public static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

    /**
     * The vocabulary of a GGUF file (only its metadata is read).
     *
     * @throws ModelFormatException if the file is not a valid GGUF or its tokenizer keys are unusable
     * @throws IOException if the file cannot be read
     */
    public static Vocabulary load(Path gguf) throws IOException {
        try (GgufFile file = GgufFile.open(gguf)) {
            return fromGguf(file);
        }
    }

    /** The vocabulary in an open GGUF file's metadata; the result does not refer to the file. */
    public static Vocabulary fromGguf(GgufFile file) {
        return fromMetadata(file.metadata(), file.source());
    }

    /** The vocabulary in GGUF metadata; a value of the wrong GGUF type is a ModelFormatException. */
    public static Vocabulary fromMetadata(GgufMetadata metadata, String source) {
        Map<String, Object> kv = new HashMap<>();
        for (String key : List.of(MODEL, PRE)) {
            metadata.findString(key).ifPresent(v -> kv.put(key, v));
        }
        for (String key : List.of(TOKENS, MERGES)) {
            metadata.findStringArray(key).ifPresent(v -> kv.put(key, v));
        }
        metadata.findFloatArray(SCORES).ifPresent(v -> kv.put(SCORES, v));
        metadata.findIntArray(TOKEN_TYPE).ifPresent(v -> kv.put(TOKEN_TYPE, v));
        for (String key : List.of(BOS_ID, EOS_ID, EOT_ID, EOM_ID, UNK_ID, PAD_ID)) {
            metadata.findLong(key).ifPresent(v -> kv.put(key, v));
        }
        for (String key : List.of(ADD_BOS, ADD_EOS, ADD_SPACE_PREFIX)) {
            metadata.findBool(key).ifPresent(v -> kv.put(key, v));
        }
        return fromMetadata(kv, source);
    }

    /**
     * The vocabulary described by {@code metadata}.
     *
     * @param metadata GGUF key → value: strings as String, integers as any Number, booleans as Boolean,
     *     arrays as Java arrays (String[], int[], float[], ...) or Lists
     * @param source the file name, for messages
     * @throws ModelFormatException if a key is missing, has the wrong type, or holds an impossible value
     */
    public static Vocabulary fromMetadata(Map<String, ?> metadata, String source) {
        Reader r = new Reader(metadata, source);
        String model = r.string(MODEL, null);
        String pre = r.string(PRE, "");
        List<String> tokens = r.strings(TOKENS);
        int n = tokens.size();
        if (n == 0) {
            throw r.error(TOKENS, "is empty");
        }
        tokens = new ArrayList<>(tokens);
        for (int i = 0; i < n; i++) {
            if (tokens.get(i).isEmpty()) {
                tokens.set(i, "[EMPTY_" + i + "]"); // llama.cpp's stand-in, so every id keeps a distinct text
            }
        }
        float[] scores = r.floats(SCORES, n);
        TokenType[] types = new TokenType[n];
        int[] typeCodes = r.ints(TOKEN_TYPE, n);
        for (int i = 0; i < n; i++) {
            types[i] = typeCodes == null ? TokenType.NORMAL : TokenType.fromGguf(typeCodes[i]);
        }

        List<String> merges = List.of();
        int bos;
        int eos;
        int unk = Vocabulary.NONE;
        boolean addBos;
        boolean addSpacePrefix;
        boolean ignoreMerges = false;
        switch (model) {
            case Vocabulary.MODEL_BYTE_LEVEL_BPE -> {
                merges = r.strings(MERGES);
                PreTokenizers.Spec spec = PreTokenizers.forName(pre);
                bos = 11; // llama.cpp's defaults for BPE files that name no BOS/EOS
                eos = 11;
                addBos = spec.addBos();
                ignoreMerges = spec.ignoreMerges();
                addSpacePrefix = false;
                if (pre.isEmpty()) {
                    pre = "default";
                }
            }
            case Vocabulary.MODEL_SENTENCE_PIECE -> {
                bos = 1;
                eos = 2;
                unk = 0;
                addBos = true;
                addSpacePrefix = true;
                pre = "default";
            }
            default -> throw r.error(MODEL, "is '" + model + "'; supported: " + Vocabulary.MODEL_BYTE_LEVEL_BPE
                    + " (byte-level BPE), " + Vocabulary.MODEL_SENTENCE_PIECE + " (SentencePiece BPE)");
        }
        // Defaults that do not fit the vocabulary are dropped, as llama.cpp drops them.
        bos = bos < n ? bos : Vocabulary.NONE;
        eos = eos < n ? eos : Vocabulary.NONE;
        unk = unk < n ? unk : Vocabulary.NONE;
        addSpacePrefix = r.bool(ADD_SPACE_PREFIX, addSpacePrefix);
        bos = r.id(BOS_ID, bos, n);
        eos = r.id(EOS_ID, eos, n);
        int eot = r.id(EOT_ID, Vocabulary.NONE, n);
        int eom = r.id(EOM_ID, Vocabulary.NONE, n);
        unk = r.id(UNK_ID, unk, n);
        int pad = r.id(PAD_ID, Vocabulary.NONE, n);
        addBos = r.bool(ADD_BOS, addBos);
        boolean addEos = r.bool(ADD_EOS, false);
        if (addBos && bos == Vocabulary.NONE) {
            throw r.error(ADD_BOS, "asks for a BOS token but the file names none that fits the vocabulary");
        }
        if (addEos && eos == Vocabulary.NONE) {
            throw r.error(ADD_EOS, "asks for an EOS token but the file names none that fits the vocabulary");
        }

        Map<String, Integer> ids = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            ids.put(tokens.get(i), i);
        }
        SpecialTokenRules.Result rules = SpecialTokenRules.apply(t -> ids.getOrDefault(t, -1), types, eos, eot, eom);

        return Vocabulary.builder(model, tokens)
                .pre(pre)
                .scores(scores == null ? new float[0] : scores)
                .types(Arrays.asList(types))
                .merges(merges)
                .bos(bos).eos(eos).eot(rules.eot()).eom(rules.eom()).pad(pad).unk(unk)
                .addBos(addBos).addEos(addEos).addSpacePrefix(addSpacePrefix).ignoreMerges(ignoreMerges)
                .endOfGeneration(rules.endOfGeneration())
                .build();
    }

    /** Typed, checked access to the metadata map. */
    private record Reader(Map<String, ?> kv, String source) {

        ModelFormatException error(String key, String problem) {
            return new ModelFormatException(source + ": " + key + " " + problem);
        }

        String string(String key, String fallback) {
            Object v = kv.get(key);
            if (v == null) {
                if (fallback == null) {
                    throw error(key, "is missing");
                }
                return fallback;
            }
            if (!(v instanceof String s)) {
                throw error(key, "should be a string, found " + describe(v));
            }
            return s;
        }

        boolean bool(String key, boolean fallback) {
            Object v = kv.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Boolean b)) {
                throw error(key, "should be a boolean, found " + describe(v));
            }
            return b;
        }

        /** A token id: absent → fallback; present → must lie in [0, n). */
        int id(String key, int fallback, int n) {
            Object v = kv.get(key);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Number num) || v instanceof Float || v instanceof Double) {
                throw error(key, "should be an integer, found " + describe(v));
            }
            long id = num.longValue();
            if (id < 0 || id >= n) {
                throw error(key, "= " + id + " is outside the vocabulary of " + n + " tokens");
            }
            return (int) id;
        }

        List<String> strings(String key) {
            Object v = kv.get(key);
            if (v == null) {
                throw error(key, "is missing");
            }
            int len = length(key, v);
            List<String> out = new ArrayList<>(len);
            for (int i = 0; i < len; i++) {
                Object e = element(v, i);
                if (!(e instanceof String s)) {
                    throw error(key, "should be an array of strings, element " + i + " is " + describe(e));
                }
                out.add(s);
            }
            return out;
        }

        /** The first n numbers of an optional array as floats; null if absent; shorter than n is an error. */
        float[] floats(String key, int n) {
            Object v = kv.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof float[] fs) {
                checkLength(key, fs.length, n);
                return Arrays.copyOf(fs, n);
            }
            checkLength(key, length(key, v), n);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                if (!(element(v, i) instanceof Number num)) {
                    throw error(key, "should be an array of numbers, element " + i + " is " + describe(element(v, i)));
                }
                out[i] = num.floatValue();
            }
            return out;
        }

        /** The first n integers of an optional array; null if absent; shorter than n is an error. */
        int[] ints(String key, int n) {
            Object v = kv.get(key);
            if (v == null) {
                return null;
            }
            if (v instanceof int[] is) {
                checkLength(key, is.length, n);
                return Arrays.copyOf(is, n);
            }
            checkLength(key, length(key, v), n);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                Object e = element(v, i);
                if (!(e instanceof Number num) || e instanceof Float || e instanceof Double) {
                    throw error(key, "should be an array of integers, element " + i + " is " + describe(e));
                }
                out[i] = num.intValue();
            }
            return out;
        }

        private void checkLength(String key, int len, int n) {
            if (len < n) {
                throw error(key, "has " + len + " entries for " + n + " tokens");
            }
        }

        private int length(String key, Object v) {
            return switch (v) {
                case List<?> l -> l.size();
                case Object[] a -> a.length;
                case int[] a -> a.length;
                case long[] a -> a.length;
                case float[] a -> a.length;
                case double[] a -> a.length;
                default -> throw error(key, "should be an array, found " + describe(v));
            };
        }

        private static Object element(Object v, int i) {
            return switch (v) {
                case List<?> l -> l.get(i);
                case Object[] a -> a[i];
                case int[] a -> a[i];
                case long[] a -> a[i];
                case float[] a -> a[i];
                case double[] a -> a[i];
                default -> throw new IllegalStateException("not an array: " + v.getClass());
            };
        }

        private static String describe(Object v) {
            return v == null ? "nothing" : v.getClass().getSimpleName();
        }
    }
}
