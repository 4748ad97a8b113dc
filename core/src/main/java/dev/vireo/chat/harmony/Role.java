/*
 * The authors of harmony messages, in the order of their authority (model-spec.md §4.2: system >
 * developer > user > assistant > tool). Tested through HarmonyRendererTest and HarmonyParserTest.
 */
package dev.vireo.chat.harmony;

/** Who wrote a harmony message. */
public enum Role {
    SYSTEM("system"),
    DEVELOPER("developer"),
    USER("user"),
    ASSISTANT("assistant"),
    /** A tool's output; in the header the tool's name (e.g. {@code functions.get_weather}) stands for the role. */
    TOOL("tool");

    private final String text;

    Role(String text) {
        this.text = text;
    }

    /** The role as written in a header ({@code assistant}, ...). */
    public String text() {
        return text;
    }

    /** The role written as {@code text}, or null when it is not one of the four named roles. */
    static Role ofHeader(String text) {
        for (Role r : values()) {
            if (r != TOOL && r.text.equals(text)) {
                return r;
            }
        }
        return null;
    }
}
