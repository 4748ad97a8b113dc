/*
 * How a model family talks in chat: how a conversation (with tool definitions) becomes prompt ids,
 * and how the generated tokens are read back as content, reasoning and tool calls. A strategy per
 * model: TemplateChatFormat renders the model's own Jinja template and reads Hermes/Qwen, Llama 3.x
 * and Mistral tool-call conventions from the text; HarmonyChatFormat reads gpt-oss's harmony format
 * (token-level channels). ChatFormats.forModel chooses.
 */
package dev.vireo.serve;

import dev.vireo.chat.ChatMessage;
import java.util.List;
import java.util.Map;

/** A model family's chat protocol. Implementations are immutable and thread-safe. */
public interface ChatFormat {

    /** Receives the visible parts of an answer as it is generated. */
    interface Sink {
        /** More answer text. */
        void content(String delta);

        /** More reasoning text. */
        void reasoning(String delta);
    }

    /** Reads one answer token by token. Not thread-safe: one per generation. */
    interface Parser {
        /**
         * Feeds the next generated token.
         *
         * @return false once a stop string has appeared, or the format's own end of the answer
         *     when it {@linkplain ChatFormat#parsesEndOfGeneration() reads end-of-generation tokens}
         *     (generation should end)
         */
        boolean push(int token);

        /** Generation ended: flushes what was held back and returns the whole message. */
        ParsedMessage finish();
    }

    /** A short name for logs and /v1/models ("template", "harmony"). */
    String name();

    /**
     * The prompt ids of a conversation, ending with the assistant's generation prompt.
     *
     * @param tools OpenAI-style tool definitions ({"type": "function", "function": {...}}), may be empty
     * @param options template variables such as enable_thinking or reasoning_effort
     * @throws IllegalArgumentException when the conversation cannot be rendered (bad roles, ...)
     */
    int[] prompt(List<ChatMessage> messages, List<Map<String, Object>> tools, Map<String, Object> options);

    /**
     * A parser for one answer.
     *
     * @param stop strings that end the answer (not included in it)
     * @param toolsOffered whether tools were given (only then is text read as tool calls)
     */
    Parser parser(List<String> stop, boolean toolsOffered, Sink sink);

    /**
     * Whether the parser must also be fed the tokenizer's end-of-generation tokens and ends the answer
     * itself (push returns false). Harmony does: {@code <|call|>} and {@code <|return|>} both end
     * generation, and only the token tells a finished tool call from a finished answer. Otherwise
     * (the default) the engine stops on those tokens without passing them on.
     */
    default boolean parsesEndOfGeneration() {
        return false;
    }
}
