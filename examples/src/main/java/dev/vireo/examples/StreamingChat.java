/*
 * A streaming chat through the model's own template. The session keeps the conversation's KV cache,
 * so each turn only evaluates the new messages.
 *   examples/run StreamingChat MODEL.gguf
 */
package dev.vireo.examples;

import dev.vireo.Completion;
import dev.vireo.LanguageModel;
import dev.vireo.Vireo;
import dev.vireo.chat.ChatMessage;
import dev.vireo.generate.GenerationOptions;
import dev.vireo.generate.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Two turns of a conversation, streamed. */
public final class StreamingChat {
    public static void main(String[] args) throws Exception {
        try (LanguageModel m = Vireo.load(Path.of(args[0])); Session session = m.newSession(4096)) {
            List<ChatMessage> conversation = new ArrayList<>(List.of(
                    ChatMessage.system("You are a concise assistant.")));
            for (String question : List.of("Name three birds of the Americas.", "Which of them is the smallest?")) {
                System.out.println("> " + question);
                conversation.add(ChatMessage.user(question));
                Completion answer = m.chat(session, conversation, Map.of(), GenerationOptions.of(128, 7),
                        System.out::print);
                System.out.println();
                conversation.add(ChatMessage.assistant(answer.text()));
            }
        }
    }
}
