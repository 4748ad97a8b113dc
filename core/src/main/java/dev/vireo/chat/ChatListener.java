/*
 * The streaming callback of LanguageModel.chat: a turn arrives as reasoning (gpt-oss's analysis
 * channel, or a <think> block of Qwen3 / DeepSeek-R1 style models), content (the answer) and tool
 * calls, each as soon as it is known. Tested in LanguageModelChatTest.
 */
package dev.vireo.chat;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Receives an assistant turn as it is generated. Every method has an empty default, so a listener
 * overrides only what it shows. Callbacks run on the generating thread, in the order the model wrote
 * the text; calling {@link dev.vireo.generate.Session#cancel()} from one stops the generation.
 */
public interface ChatListener {

    /**
     * More of the model's reasoning (chain of thought). It is for the developer, not necessarily for
     * end users: gpt-oss's is not held to the safety standards of its answers.
     */
    default void reasoning(String text) {}

    /** More of the answer, the text meant for the user (with gpt-oss, also a preamble to tool calls). */
    default void content(String text) {}

    /**
     * The model called a tool. Arguments are the JSON text the model wrote (not checked). Run the
     * tool, append {@link ChatReply#message()} and a {@link ChatMessage#tool} message with the result,
     * and chat again for the model to go on.
     */
    default void toolCall(ToolCall call) {}

    /** A listener that ignores everything. */
    ChatListener NONE = new ChatListener() {};

    /** A listener that passes the content to {@code onContent} and ignores reasoning and tool calls. */
    static ChatListener ofContent(Consumer<String> onContent) {
        Objects.requireNonNull(onContent, "onContent");
        return new ChatListener() {
            @Override
            public void content(String text) {
                onContent.accept(text);
            }
        };
    }
}
