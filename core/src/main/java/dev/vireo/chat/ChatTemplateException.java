/*
 * The error of a chat template that cannot render: either the template itself refused
 * (raise_exception, e.g. "Conversation roles must alternate user/assistant/...") or the engine failed
 * on it. Tested by ChatTemplateTest.
 */
package dev.vireo.chat;

/** A chat template could not render the given conversation. */
public final class ChatTemplateException extends RuntimeException {
    private final String templateName;
    private final int line;
    private final boolean raisedByTemplate;
    private final String templateMessage;

    ChatTemplateException(String templateName, int line, boolean raisedByTemplate, String message, Throwable cause) {
        super(format(templateName, line, raisedByTemplate, message), cause);
        this.templateName = templateName;
        this.line = line;
        this.raisedByTemplate = raisedByTemplate;
        this.templateMessage = message;
    }

    private static String format(String templateName, int line, boolean raised, String message) {
        String where = "chat template " + templateName + (line > 0 ? " line " + line : "");
        return raised ? where + " raised: " + message : where + ": " + message;
    }

    /** The name the template was created with (a file, a model, "chatml fallback"). */
    public String templateName() {
        return templateName;
    }

    /** The template line the engine reported, or -1 when it did not say. */
    public int line() {
        return line;
    }

    /** True when the template called raise_exception; {@link #templateMessage()} is then its text. */
    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }

    /** The message without the template name and line: raise_exception's text, or the engine's error. */
    public String templateMessage() {
        return templateMessage;
    }
}
