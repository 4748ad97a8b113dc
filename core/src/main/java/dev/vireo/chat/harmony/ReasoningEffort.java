/*
 * The reasoning effort a harmony system message asks for (model-spec.md §4.3: "Reasoning: low|medium|
 * high", medium by default). Tested in HarmonyRendererTest.
 */
package dev.vireo.chat.harmony;

import java.util.Locale;

/** How much chain of thought gpt-oss should spend. */
public enum ReasoningEffort {
    LOW,
    MEDIUM,
    HIGH;

    /** The word written in the system message: {@code low}, {@code medium} or {@code high}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The effort named {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException for anything but low, medium and high
     */
    public static ReasoningEffort parse(String text) {
        for (ReasoningEffort e : values()) {
            if (e.text().equalsIgnoreCase(text.strip())) {
                return e;
            }
        }
        throw new IllegalArgumentException("reasoning effort must be low, medium or high, got '" + text + "'");
    }
}
