/*
 * One harmony message: <|start|>{header}<|message|>{content}<|end|> (model-spec.md §4.2), the header
 * being the author, an optional recipient, an optional channel and an optional content type. The
 * factories build the shapes the format documents: user text, assistant analysis / commentary /
 * final messages, function calls and their results. Rendered by HarmonyRenderer, produced by
 * HarmonyParser; tested through both.
 */
package dev.vireo.chat.harmony;

import java.util.Objects;

/**
 * A harmony message.
 *
 * @param role        the author's role
 * @param name        the author's name: for {@link Role#TOOL} the tool ({@code functions.get_weather}),
 *                    written in place of the role; for other roles optional, written as {@code role:name}
 * @param recipient   whom the message is for ({@code functions.get_weather} for a call, {@code assistant}
 *                    for a tool's output), or null for everyone
 * @param channel     {@code analysis}, {@code commentary}, {@code final}, or null
 * @param contentType the content type, e.g. {@code <|constrain|>json} for a function call, or null
 * @param content     the text (never null)
 */
public record HarmonyMessage(Role role, String name, String recipient, String channel, String contentType,
                             String content) {

    /** The channel of chain-of-thought messages. */
    public static final String ANALYSIS = "analysis";
    /** The channel of function calls and of preambles shown to the user. */
    public static final String COMMENTARY = "commentary";
    /** The channel of the answer. */
    public static final String FINAL = "final";
    /** The namespace of developer-defined function tools. */
    public static final String FUNCTIONS = "functions";
    /** The content type of a function call whose arguments are JSON. */
    public static final String CONSTRAIN_JSON = "<|constrain|>json";

    public HarmonyMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
        if (role == Role.TOOL && (name == null || name.isEmpty())) {
            throw new IllegalArgumentException("a tool message needs the tool's name (e.g. functions.get_weather)");
        }
    }

    /** A user message. */
    public static HarmonyMessage user(String text) {
        return new HarmonyMessage(Role.USER, null, null, null, null, text);
    }

    /** An assistant message on the analysis channel (chain of thought). */
    public static HarmonyMessage analysis(String text) {
        return assistant(ANALYSIS, text);
    }

    /** An assistant message on the commentary channel without recipient (a preamble to tool calls). */
    public static HarmonyMessage commentary(String text) {
        return assistant(COMMENTARY, text);
    }

    /** An assistant message on the final channel (the answer). */
    public static HarmonyMessage finalAnswer(String text) {
        return assistant(FINAL, text);
    }

    /** An assistant message on {@code channel}. */
    public static HarmonyMessage assistant(String channel, String text) {
        return new HarmonyMessage(Role.ASSISTANT, null, null, channel, null, text);
    }

    /**
     * An assistant call of function {@code function} (without the {@code functions.} prefix): recipient
     * {@code functions.NAME}, channel commentary, content type {@code <|constrain|>json}.
     *
     * @param argumentsJson the arguments as JSON text, written as given
     */
    public static HarmonyMessage toolCall(String function, String argumentsJson) {
        return new HarmonyMessage(Role.ASSISTANT, null, FUNCTIONS + "." + function, COMMENTARY, CONSTRAIN_JSON,
                argumentsJson);
    }

    /**
     * The output of function {@code function} (without the {@code functions.} prefix), for the
     * assistant: author {@code functions.NAME}, recipient assistant, channel commentary.
     */
    public static HarmonyMessage toolResult(String function, String output) {
        return new HarmonyMessage(Role.TOOL, FUNCTIONS + "." + function, "assistant", COMMENTARY, null, output);
    }

    /** This message with another content type (e.g. {@code json} as some chat templates write it). */
    public HarmonyMessage withContentType(String type) {
        return new HarmonyMessage(role, name, recipient, channel, type, content);
    }

    /** This message with another content. */
    public HarmonyMessage withContent(String text) {
        return new HarmonyMessage(role, name, recipient, channel, contentType, text);
    }

    /** Whether this is an assistant message on {@code channelName}. */
    public boolean isAssistant(String channelName) {
        return role == Role.ASSISTANT && channelName.equals(channel);
    }

    /** Whether this is an assistant message addressed to a tool (rendered ending in {@code <|call|>}). */
    public boolean isToolCall() {
        return role == Role.ASSISTANT && recipient != null && !recipient.equals("all");
    }
}
