/*
 * Test-only: the tools and conversations several harmony tests share, and the loader of the expected
 * renderings under resources/chat/harmony (hand-written from the format's rules; see the README there).
 */
package dev.vireo.chat.harmony;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

final class Fixtures {
    private Fixtures() {}

    /** A tool with every kind of parameter the renderer knows: required and optional, defaults, enum, array, nullable. */
    static final ToolDefinition FIND_TRAINS = ToolDefinition.fromJson("""
            {"type": "function", "function": {
              "name": "find_trains",
              "description": "Finds train connections between two stations.",
              "parameters": {
                "type": "object",
                "properties": {
                  "from": {"type": "string", "description": "Departure station, e.g. Zürich HB"},
                  "to": {"type": "string", "description": "Arrival station"},
                  "date": {"type": "string", "description": "Travel date as YYYY-MM-DD"},
                  "max_changes": {"type": "integer", "description": "Most changes of train allowed", "default": 2},
                  "class": {"type": "string", "enum": ["first", "second"], "default": "second"},
                  "bikes": {"type": "boolean", "default": false},
                  "via": {"type": "array", "items": {"type": "string"}, "description": "Stations to pass through"},
                  "max_price": {"type": "number", "nullable": true},
                  "seat": {"type": "string", "default": "window"}
                },
                "required": ["from", "to", "date"]
              }
            }}""");

    /** A tool without parameters. */
    static final ToolDefinition SERVER_TIME = new ToolDefinition("get_server_time", "Returns the server's current time.", null);

    static final SystemOptions SYSTEM = SystemOptions.defaults().withCurrentDate("2025-11-03")
            .withReasoningEffort(ReasoningEffort.HIGH);

    static final String INSTRUCTIONS = "Answer in the language of the question.\nKeep answers short.";

    static final HarmonyMessage QUESTION = HarmonyMessage.user("Gibt es morgen früh einen Zug von Zürich nach Lugano?");
    static final HarmonyMessage THINK_1 = HarmonyMessage.analysis("The user wants a train tomorrow morning. Today is "
            + "2025-11-03, so the date is 2025-11-04. I should call find_trains.");
    static final HarmonyMessage CALL = HarmonyMessage.toolCall("find_trains",
            "{\"from\":\"Zürich HB\",\"to\":\"Lugano\",\"date\":\"2025-11-04\"}");
    static final HarmonyMessage RESULT = HarmonyMessage.toolResult("find_trains",
            "[{\"departs\":\"07:09\",\"arrives\":\"09:08\",\"changes\":0}]");
    static final HarmonyMessage THINK_2 = HarmonyMessage.analysis("There is a direct train at 07:09.");
    static final HarmonyMessage ANSWER = HarmonyMessage.finalAnswer("Ja: 07:09 ab Zürich HB, an 09:08 in Lugano, ohne Umsteigen.");
    static final HarmonyMessage FOLLOW_UP = HarmonyMessage.user("Danke! 🚆 Und zurück am Abend?");

    /** The train conversation up to the user's question. */
    static HarmonyConversation trains() {
        return new HarmonyConversation(SYSTEM, INSTRUCTIONS, List.of(FIND_TRAINS, SERVER_TIME), List.of(QUESTION));
    }

    /** An expected rendering from resources/chat/harmony, without the file's final newline. */
    static String expected(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/chat/harmony/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource chat/harmony/" + name);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!text.endsWith("\n")) {
                throw new IOException("chat/harmony/" + name + " must end with one newline (not part of the text)");
            }
            return text.substring(0, text.length() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
