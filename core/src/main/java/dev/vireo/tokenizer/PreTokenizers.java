/*
 * What a byte-level BPE vocabulary's pre-tokenizer name (GGUF tokenizer.ggml.pre) implies, following
 * llama.cpp's llama_vocab::impl::load and llm_tokenizer_bpe (src/llama-vocab.cpp): the split patterns,
 * whether whole-word tokens skip the merges (ignore_merges) and whether BOS is added by default.
 *
 * Where llama.cpp matches a pattern with hand-written code (gpt-2, llama3, qwen2, qwen35 in
 * src/unicode.cpp) the pattern here is the one that code implements, and java.util.regex reproduces it
 * (checked on llama.cpp's reference tokenizations). Where llama.cpp runs std::regex over text with every
 * non-ASCII character collapsed to one stand-in per Unicode category (gpt-4o, tekken), it cannot tell
 * upper- from lower-case letters outside ASCII nor see combining marks; here the original patterns of
 * tiktoken / the Hugging Face tokenizer are used instead, so o200k splits exactly as tiktoken does.
 * Tested in PreTokenizerTest, LlamaCppVocabTest and O200kTest.
 */
package dev.vireo.tokenizer;

import dev.vireo.io.ModelFormatException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The table from pre-tokenizer name to split patterns and defaults. */
public final class PreTokenizers {
    private PreTokenizers() {}

    /**
     * What a pre-tokenizer name stands for.
     *
     * @param regexes split patterns, applied in order
     * @param ignoreMerges a word that is itself a token is emitted whole
     * @param addBos BOS is added by default (before the file's add_bos_token is read)
     * @param unicode15 classify characters with Unicode 15.1 as llama.cpp's tables do (see Unicode15);
     *     false for the tiktoken patterns, which follow the JDK's current Unicode data as jtokkit does
     */
    public record Spec(List<String> regexes, boolean ignoreMerges, boolean addBos, boolean unicode15) {
        public Spec {
            regexes = List.copyOf(regexes);
        }

        /** The pre-tokenizer this spec describes. */
        public PreTokenizer preTokenizer() {
            return PreTokenizer.of(regexes, unicode15);
        }
    }

    private static final String CONTRACTIONS_ANY_CASE = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

    /** GPT-2: contractions, letters, digits, other symbols, each with an optional leading space; whitespace. */
    static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** Llama 3 (cl100k-like): one non-letter may lead a letter run; digits in groups of up to three. */
    static final String LLAMA3 = CONTRACTIONS_ANY_CASE
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen2: as Llama 3 but every digit on its own. */
    static final String QWEN2 = CONTRACTIONS_ANY_CASE
            + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Qwen3.5: as Qwen2 but letter runs also take combining marks. */
    static final String QWEN35 = CONTRACTIONS_ANY_CASE
            + "|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final String UPPER_ISH = "[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]";
    private static final String LOWER_ISH = "[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]";
    private static final String CONTRACTION_SUFFIX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)?";

    /** tiktoken's o200k_base / o200k_harmony (model-spec.md §5): case-aware words, digits in threes. */
    static final String O200K = "[^\\r\\n\\p{L}\\p{N}]?" + UPPER_ISH + "*" + LOWER_ISH + "+" + CONTRACTION_SUFFIX
            + "|[^\\r\\n\\p{L}\\p{N}]?" + UPPER_ISH + "+" + LOWER_ISH + "*" + CONTRACTION_SUFFIX
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    /** Mistral's tekken: o200k's word shapes without contractions, single digits. */
    static final String TEKKEN = "[^\\r\\n\\p{L}\\p{N}]?" + UPPER_ISH + "*" + LOWER_ISH + "+"
            + "|[^\\r\\n\\p{L}\\p{N}]?" + UPPER_ISH + "+" + LOWER_ISH + "*"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final Spec DEFAULT = new Spec(
            List.of("[\\p{P}\\$\\+<=>\\^~\\|]+", GPT2, "\\p{N}+", "[0-9][0-9][0-9]"), false, false, true);

    private static final Map<String, Spec> TABLE = new LinkedHashMap<>();

    private static void put(Spec spec, String... names) {
        for (String n : names) {
            TABLE.put(n, spec);
        }
    }

    static {
        put(DEFAULT, "default");
        put(new Spec(List.of(LLAMA3), true, true, true),
                "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2", "jina-v5-nano");
        put(new Spec(List.of(LLAMA3), false, false, true), "dbrx", "smaug-bpe");
        put(new Spec(List.of(QWEN2), false, false, true),
                "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open", "grok-2");
        put(new Spec(List.of(QWEN35), false, false, true), "qwen35");
        put(new Spec(List.of(GPT2), false, false, true),
                "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de", "a.x-4.0", "mellum",
                "modern-bert", "exaone4", "mpt", "olmo", "jais", "trillion", "granite-docling", "jina-v1-en",
                "jina-v2-code", "roberta-bpe");
        put(new Spec(List.of("\\p{N}", GPT2), false, false, true),
                "starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b", "mellum2");
        put(new Spec(List.of("[\\p{P}\\$\\+<=>\\^~\\|`]+", GPT2, "[0-9][0-9][0-9]"), false, false, true), "falcon");
        put(new Spec(List.of("[\\r\\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[\\u4E00-\\u9FA5\\u0800-\\u4E00\\uAC00-\\uD7FF]+",
                "\\p{N}"), false, false, true), "deepseek-coder");
        // tiktoken encodes a word that is itself a token directly; so do we for o200k (llama.cpp does not).
        put(new Spec(List.of(O200K), true, false, false),
                "gpt-4o", "llama4", "kanana2", "talkie", "minimax-m2", "o200k", "o200k_base", "o200k_harmony");
        put(new Spec(List.of(TEKKEN), true, true, false), "tekken");
    }

    /** The names this table knows. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(TABLE.keySet());
    }

    /**
     * The spec for a pre-tokenizer name; an empty name means {@code default}, as in llama.cpp.
     *
     * @throws ModelFormatException for a name this library does not implement
     */
    public static Spec forName(String pre) {
        Spec spec = TABLE.get(pre.isEmpty() ? "default" : pre);
        if (spec == null) {
            throw new ModelFormatException("pre-tokenizer '" + pre + "' (tokenizer.ggml.pre) is not supported; supported: "
                    + String.join(", ", TABLE.keySet()));
        }
        return spec;
    }
}
