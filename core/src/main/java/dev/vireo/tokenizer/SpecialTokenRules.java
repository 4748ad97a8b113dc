/*
 * llama.cpp's conventions for special tokens that files do not spell out (llama_vocab::impl::load,
 * "auto-detect special tokens by text" and the end-of-generation list): an end-of-turn / end-of-message
 * token found by its text when the file names none, tokens that end generation found by their text, and
 * all of them made CONTROL if the file typed them otherwise. Shared by the GGUF and tokenizer.json
 * loaders. Deliberate differences: candidates are tried in list order rather than hash order, and
 * llama.cpp's gpt-oss workaround that retypes <|channel|>, <|message|>, <|start|>, <|constrain|> (and
 * <|end|>) as user-defined, which makes them match even in text parsed without specials, is not copied.
 * Tested in GgufVocabularyTest (end-of-turn detection, the <|end|> rule) and O200kTest (o200k_harmony).
 */
package dev.vireo.tokenizer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

final class SpecialTokenRules {
    private SpecialTokenRules() {}

    /** Texts that mark an end-of-turn token, tried in order when the file names none. */
    private static final List<String> EOT_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>");

    private static final List<String> EOM_TEXTS = List.of("<|eom_id|>");

    /** Fill-in-the-middle pad / repository / file-separator markers: llama.cpp ends generation on them. */
    private static final List<String> FIM_END_TEXTS = List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]",
            "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>", "<|file_sep|>");

    /** Texts of tokens that end generation. */
    private static final List<String> EOG_TEXTS = List.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "</s>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>",
            "[e~[");

    /** The outcome: end-of-turn and end-of-message ids (possibly found by text) and the end-of-generation set. */
    record Result(int eot, int eom, Set<Integer> endOfGeneration) {}

    /**
     * Applies the conventions; {@code types} is updated in place (detected tokens become CONTROL).
     *
     * @param lookup token text → id (last id of a repeated text), or -1
     */
    static Result apply(TextLookup lookup, TokenType[] types, int eos, int eot, int eom) {
        // Tokens found by their text are made CONTROL; ids the file gave keep the file's type.
        Set<Integer> foundByText = new LinkedHashSet<>();
        if (eot == Vocabulary.NONE) {
            eot = firstPresent(lookup, EOT_TEXTS);
            addIfPresent(eot, foundByText);
        }
        if (eom == Vocabulary.NONE) {
            eom = firstPresent(lookup, EOM_TEXTS);
            addIfPresent(eom, foundByText);
        }
        Set<Integer> eog = new LinkedHashSet<>();
        for (String t : FIM_END_TEXTS) {
            addIfPresent(lookup.id(t), eog);
        }
        for (String t : EOG_TEXTS) {
            addIfPresent(lookup.id(t), eog);
        }
        foundByText.addAll(eog);
        addIfPresent(eos, eog);
        addIfPresent(eot, eog);
        addIfPresent(eom, eog);
        // o200k_harmony (and solar-open): <|end|> closes every message, only <|return|>/<|call|> end generation.
        int end = lookup.id("<|end|>");
        boolean hasReturn = contains(eog, lookup.id("<|return|>"));
        boolean hasCall = contains(eog, lookup.id("<|call|>")) || contains(eog, lookup.id("<|calls|>"));
        boolean hasFlush = contains(eog, lookup.id("<|flush|>"));
        if (end >= 0 && ((hasReturn && hasCall) || (hasCall && hasFlush))) {
            eog.remove(end);
        }
        for (int id : foundByText) {
            types[id] = TokenType.CONTROL;
        }
        // Gemma 4 (and PaddleOCR): with <|tool_response>, </s> is an ordinary token that ends nothing.
        int s = lookup.id("</s>");
        if (s >= 0 && contains(eog, lookup.id("<|tool_response>")) && eog.remove(s)) {
            types[s] = TokenType.NORMAL;
        }
        return new Result(eot, eom, eog);
    }

    private static boolean contains(Set<Integer> set, int id) {
        return id >= 0 && set.contains(id);
    }

    /** Token text → id, or -1. */
    @FunctionalInterface
    interface TextLookup {
        int id(String text);
    }

    private static int firstPresent(TextLookup lookup, List<String> texts) {
        for (String t : texts) {
            int id = lookup.id(t);
            if (id >= 0) {
                return id;
            }
        }
        return Vocabulary.NONE;
    }

    private static void addIfPresent(int id, Set<Integer> set) {
        if (id >= 0) {
            set.add(id);
        }
    }
}
