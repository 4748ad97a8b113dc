/*
 * Reads a harmony message header (the text between <|start|> and <|message|>, special tokens written
 * as their text) into role, name, recipient, channel and content type. The model is not consistent
 * about the order (model-spec.md §4.2: "the recipient might be defined in the role or channel section
 * of the header"), so the header is read as words: the word after <|channel|> is the channel, a word
 * "to=X" the recipient wherever it stands, a word starting with <|constrain|> the content type, and a
 * remaining bare word (as in "commentary json") the content type. Words that fit nowhere are returned
 * for the parser to report. Tested in HarmonyParserTest.
 */
package dev.vireo.chat.harmony;

import java.util.ArrayList;
import java.util.List;

final class HeaderParser {
    private HeaderParser() {}

    private static final String CHANNEL = HarmonyTokens.text(HarmonyTokens.CHANNEL);
    private static final String CONSTRAIN = HarmonyTokens.text(HarmonyTokens.CONSTRAIN);

    /**
     * A parsed header.
     *
     * @param header   the message with empty content
     * @param leftover words that fit nowhere, or null
     */
    record Parsed(HarmonyMessage header, String leftover) {}

    /**
     * @param text       the header text
     * @param knownRole  the role when the prompt already wrote it ({@code <|start|>assistant}), else null
     */
    static Parsed parse(String text, Role knownRole) {
        String channel = null;
        int c = text.indexOf(CHANNEL);
        if (c >= 0) {
            String after = text.substring(c + CHANNEL.length());
            int end = 0;
            while (end < after.length() && !Character.isWhitespace(after.charAt(end)) && after.charAt(end) != '<') {
                end++;
            }
            channel = end == 0 ? null : after.substring(0, end);
            text = text.substring(0, c) + " " + after.substring(end);
        }
        // A content type glued to the previous word ("to=functions.x<|constrain|>json") becomes a word of its own.
        String[] words = text.replace(CONSTRAIN, " " + CONSTRAIN).strip().split("\\s+");
        if (words.length == 1 && words[0].isEmpty()) {
            words = new String[0];
        }

        Role role = knownRole;
        String name = null;
        int i = 0;
        if (role == null && words.length > 0 && !words[0].startsWith("to=") && !words[0].startsWith(CONSTRAIN)) {
            String first = words[0];
            i = 1;
            int colon = first.indexOf(':');
            if (colon > 0 && Role.ofHeader(first.substring(0, colon)) != null) {
                role = Role.ofHeader(first.substring(0, colon));
                name = first.substring(colon + 1);
            } else if (Role.ofHeader(first) != null) {
                role = Role.ofHeader(first);
            } else {
                role = Role.TOOL;   // a tool writes its own name where the role goes: functions.get_weather
                name = first;
            }
        } else if (role != null && words.length > 0 && words[0].equals(role.text())) {
            i = 1;   // the role written again
        }
        if (role == null) {
            role = Role.ASSISTANT;   // no role at all: this parser reads assistant output
        }

        String recipient = null;
        String contentType = null;
        List<String> leftover = new ArrayList<>();
        for (; i < words.length; i++) {
            String w = words[i];
            if (w.startsWith("to=") && w.length() > 3 && recipient == null) {
                recipient = w.substring(3);
            } else if (w.startsWith(CONSTRAIN) && contentType == null) {
                // "<|constrain|> json" with a space still names json.
                if (w.equals(CONSTRAIN) && i + 1 < words.length && !words[i + 1].startsWith("to=")) {
                    w += words[++i];
                }
                contentType = w;
            } else if (contentType == null && !w.startsWith("to=")) {
                contentType = w;
            } else {
                leftover.add(w);
            }
        }
        HarmonyMessage header = new HarmonyMessage(role, name, recipient, channel, contentType, "");
        return new Parsed(header, leftover.isEmpty() ? null : String.join(" ", leftover));
    }
}
