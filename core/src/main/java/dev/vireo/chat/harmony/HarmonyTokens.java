/*
 * The special tokens of OpenAI's harmony format in the o200k_harmony vocabulary (model-spec.md §4.1):
 * their ids, their text, which of them end sampling (§4.4), and a check that a tokenizer really is
 * o200k_harmony before ids are rendered or parsed by number. Tested in HarmonyTokensTest.
 */
package dev.vireo.chat.harmony;

import dev.vireo.io.ModelFormatException;
import dev.vireo.tokenizer.Tokenizer;

import java.util.Map;
import java.util.Set;

/** Ids and texts of the harmony special tokens (o200k_harmony, the gpt-oss vocabulary). */
public final class HarmonyTokens {
    private HarmonyTokens() {}

    /** {@code <|endoftext|>}: not part of harmony, but a base-model end; stopped on for safety. */
    public static final int END_OF_TEXT = 199_999;
    /** {@code <|return|>}: the final answer is complete; a sampling stop. */
    public static final int RETURN = 200_002;
    /** {@code <|constrain|>}: introduces the content type of a tool call ({@code <|constrain|>json}). */
    public static final int CONSTRAIN = 200_003;
    /** {@code <|channel|>}: introduces the channel name in a header. */
    public static final int CHANNEL = 200_005;
    /** {@code <|start|>}: starts a message; the header follows. */
    public static final int START = 200_006;
    /** {@code <|end|>}: ends a message; not a sampling stop (more messages may follow in the turn). */
    public static final int END = 200_007;
    /** {@code <|message|>}: separates the header from the content. */
    public static final int MESSAGE = 200_008;
    /** {@code <|call|>}: ends a tool-call message; a sampling stop. */
    public static final int CALL = 200_012;

    private static final Map<Integer, String> TEXT = Map.of(
            END_OF_TEXT, "<|endoftext|>",
            RETURN, "<|return|>",
            CONSTRAIN, "<|constrain|>",
            CHANNEL, "<|channel|>",
            START, "<|start|>",
            END, "<|end|>",
            MESSAGE, "<|message|>",
            CALL, "<|call|>");

    // <|end|> is deliberately absent: the model writes it between its analysis and its answer.
    private static final Set<Integer> SAMPLING_STOPS = Set.of(RETURN, CALL, END_OF_TEXT);

    /**
     * The ids that end sampling of an assistant turn: {@code <|return|>} (answer done), {@code <|call|>}
     * (a tool must run) and {@code <|endoftext|>}. Not {@code <|end|>}.
     */
    public static Set<Integer> samplingStops() {
        return SAMPLING_STOPS;
    }

    /** Whether sampling {@code id} ends the assistant's turn (see {@link #samplingStops()}). */
    public static boolean isSamplingStop(int id) {
        return id == RETURN || id == CALL || id == END_OF_TEXT;
    }

    /** The text of a harmony special token ({@code <|start|>}, ...), or null for any other id. */
    public static String text(int id) {
        return TEXT.get(id);
    }

    /**
     * Checks that {@code tokenizer} has the harmony special tokens at their o200k_harmony ids.
     *
     * @throws ModelFormatException naming the first id whose token is not the expected one
     */
    public static void requireHarmony(Tokenizer tokenizer) {
        String problem = mismatch(tokenizer);
        if (problem != null) {
            throw new ModelFormatException(problem);
        }
    }

    /** Whether {@code tokenizer} has the harmony special tokens at their o200k_harmony ids (see {@link #requireHarmony}). */
    public static boolean isHarmony(Tokenizer tokenizer) {
        return mismatch(tokenizer) == null;
    }

    /** What keeps {@code tokenizer} from being o200k_harmony, or null when nothing does. */
    private static String mismatch(Tokenizer tokenizer) {
        if (tokenizer.vocabularySize() <= CALL) {
            return "not an o200k_harmony vocabulary (gpt-oss): it has " + tokenizer.vocabularySize()
                    + " tokens, harmony needs ids up to " + CALL;
        }
        for (Map.Entry<Integer, String> e : TEXT.entrySet()) {
            String actual = tokenizer.tokenText(e.getKey());
            if (!e.getValue().equals(actual)) {
                return "not an o200k_harmony vocabulary (gpt-oss): token " + e.getKey() + " is '" + actual
                        + "', expected '" + e.getValue() + "'";
            }
        }
        return null;
    }
}
