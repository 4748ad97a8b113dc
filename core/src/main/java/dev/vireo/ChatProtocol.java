/*
 * The seam between LanguageModel.chat's generation loop and a model family's chat format: a format
 * renders the conversation into prompt ids and reads the generated ids back into reasoning, content and
 * tool calls. Two formats: HarmonyProtocol (gpt-oss) and TemplateProtocol (a Jinja chat template, with
 * <think> blocks). Tested through LanguageModelChatTest.
 */
package dev.vireo;

import dev.vireo.chat.ChatListener;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatOptions;
import dev.vireo.chat.ChatReply;
import dev.vireo.generate.GenerationResult;
import java.util.List;

/** A model's chat format, as LanguageModel drives it. Implementations are immutable. */
sealed interface ChatProtocol permits HarmonyProtocol, TemplateProtocol {

    /**
     * Renders the conversation and prepares to read the answer.
     *
     * @param listener receives the turn as it is generated
     * @throws IllegalArgumentException when the conversation cannot be expressed in the format
     */
    Turn start(List<ChatMessage> messages, ChatOptions options, ChatListener listener);

    /** One assistant turn: its prompt, then the generated ids as Session.generate hands them out. */
    interface Turn {
        /** The prompt ids, ending with the assistant's generation prompt. */
        int[] prompt();

        /** For the end-of-generation test: whether {@code id} ends the turn (it is then not passed to accept). */
        boolean endsTurn(int id);

        /**
         * Reads one generated id.
         *
         * @return false once a stop string has completed (generation should end)
         */
        boolean accept(int id);

        /** Generation is over: flushes what was held back and returns the turn. */
        ChatReply finish(GenerationResult result);
    }
}
