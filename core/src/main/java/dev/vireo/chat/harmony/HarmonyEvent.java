/*
 * What HarmonyParser reports while it reads a generated harmony stream: a message begins (its header
 * known), its content grows, it ends, a tool call is complete, the turn ends, or something did not fit
 * the format (reported as text, never thrown). Tested in HarmonyParserTest.
 */
package dev.vireo.chat.harmony;

/** An event of a parsed harmony stream. */
public sealed interface HarmonyEvent {

    /**
     * A message header was read.
     *
     * @param header the message's role, name, recipient, channel and content type, with empty content
     */
    record MessageStart(HarmonyMessage header) implements HarmonyEvent {}

    /**
     * More content of the current message: whole characters only (a character split across tokens is
     * reported once complete).
     *
     * @param header the current message's header (empty content); its channel tells analysis from final,
     *               its recipient tool-call arguments from text
     * @param text   the new text
     */
    record ContentDelta(HarmonyMessage header, String text) implements HarmonyEvent {}

    /**
     * A message is complete.
     *
     * @param message    the whole message
     * @param terminator the token that ended it ({@link Terminator#NONE} when cut short)
     */
    record MessageEnd(HarmonyMessage message, Terminator terminator) implements HarmonyEvent {}

    /**
     * An assistant message addressed to a tool ended properly: the call can be made.
     *
     * @param recipient   the tool, e.g. {@code functions.get_weather} or {@code browser.search}
     * @param arguments   the message content: for function tools the arguments as JSON text (not checked)
     * @param channel     the channel it was sent on (commentary for functions, analysis for built-in tools)
     * @param contentType the content type, e.g. {@code <|constrain|>json}, or null
     */
    record ToolCallComplete(String recipient, String arguments, String channel, String contentType)
            implements HarmonyEvent {

        /** The function name without the {@code functions.} namespace; other recipients as they are. */
        public String functionName() {
            String prefix = HarmonyMessage.FUNCTIONS + ".";
            return recipient.startsWith(prefix) ? recipient.substring(prefix.length()) : recipient;
        }
    }

    /**
     * The assistant's turn is over.
     *
     * @param terminator {@link Terminator#RETURN} after an answer, {@link Terminator#CALL} after a tool
     *                   call, {@link Terminator#END_OF_TEXT}, or {@link Terminator#NONE} when the stream ended
     *                   without a stop token
     */
    record TurnEnd(Terminator terminator) implements HarmonyEvent {}

    /**
     * Output that does not fit the format, kept as text: words in a header that mean nothing, text
     * outside any message, a special token in the wrong place, a header that never ends.
     *
     * @param text   what the model wrote (special tokens as their text)
     * @param reason what was wrong
     */
    record Unparsed(String text, String reason) implements HarmonyEvent {}
}
