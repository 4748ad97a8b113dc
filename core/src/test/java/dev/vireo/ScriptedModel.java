/*
 * Test-only: LanguageModels over a ScriptedDecoder, for tests of the chat plumbing in core and in the
 * CLI: a gpt-oss (architecture gpt-oss, the real o200k_harmony vocabulary) and a ChatML model with a
 * byte-level vocabulary and Qwen3-style <think> tokens.
 */
package dev.vireo;

import dev.vireo.chat.ChatTemplate;
import dev.vireo.chat.harmony.HarmonyTokens;
import dev.vireo.ops.ref.RefOps;
import dev.vireo.reference.TinyGptOss;
import dev.vireo.tokenizer.TokenType;
import dev.vireo.tokenizer.Tokenizer;
import dev.vireo.tokenizer.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Scripted models. */
public final class ScriptedModel {
    private ScriptedModel() {}

    /** Ids of the special tokens of {@link #byteTokenizer()}. */
    public static final int IM_START = 256;
    public static final int IM_END = 257;
    public static final int THINK = 258;
    public static final int END_THINK = 259;

    private static Tokenizer harmony;

    /**
     * A gpt-oss whose decoder writes {@code replies[i]} (harmony text, special tokens included) after
     * a context ending with {@code afters[i]}; given as pairs after, reply, after, reply, ...
     */
    public static LanguageModel gptOss(String... afterReplyPairs) {
        RefOps ops = new RefOps();
        return new LanguageModel(Path.of("scripted-gpt-oss"), new ScriptedDecoder("gpt-oss", ops, harmonyTokenizer(),
                HarmonyTokens.END_OF_TEXT, cues(afterReplyPairs)), harmonyTokenizer(), null, ops);
    }

    /** A template model (architecture qwen3) over {@link #byteTokenizer()} with {@code template}. */
    public static LanguageModel templated(String template, String... afterReplyPairs) {
        Tokenizer t = byteTokenizer();
        RefOps ops = new RefOps();
        return new LanguageModel(Path.of("scripted-qwen3"), new ScriptedDecoder("qwen3", ops, t, IM_END,
                cues(afterReplyPairs)), t, ChatTemplate.of("scripted", template, Map.of("eos_token", "<|im_end|>")), ops);
    }

    /** o200k_harmony, gpt-oss's vocabulary (built once, about two seconds). */
    public static synchronized Tokenizer harmonyTokenizer() {
        if (harmony == null) {
            try {
                harmony = Tokenizer.of(TinyGptOss.harmonyVocabulary());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return harmony;
    }

    /**
     * A byte-level BPE vocabulary without merges: the 256 byte tokens, then {@code <|im_start|>} and
     * {@code <|im_end|>} (control, end of generation) and {@code <think>}, {@code </think>} (user-defined,
     * as Qwen3 has them: written out when decoded).
     */
    public static Tokenizer byteTokenizer() {
        List<String> tokens = new ArrayList<>(List.of(byteChars()));
        tokens.addAll(List.of("<|im_start|>", "<|im_end|>", "<think>", "</think>"));
        List<TokenType> types = new ArrayList<>(Collections.nCopies(256, TokenType.NORMAL));
        types.addAll(List.of(TokenType.CONTROL, TokenType.CONTROL, TokenType.USER_DEFINED, TokenType.USER_DEFINED));
        return Tokenizer.of(Vocabulary.builder(Vocabulary.MODEL_BYTE_LEVEL_BPE, tokens).pre("gpt-2").types(types)
                .eos(IM_END).endOfGeneration(Set.of(IM_END)).build());
    }

    private static List<ScriptedDecoder.Cue> cues(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("cues come in pairs: after, reply");
        }
        List<ScriptedDecoder.Cue> cues = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            cues.add(new ScriptedDecoder.Cue(pairs[i], pairs[i + 1]));
        }
        return cues;
    }

    /** GPT-2's byte-to-character table: printable bytes stand for themselves, the rest map to U+0100 on. */
    private static String[] byteChars() {
        String[] chars = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            chars[b] = Character.toString(printable ? b : next++);
        }
        return chars;
    }
}
