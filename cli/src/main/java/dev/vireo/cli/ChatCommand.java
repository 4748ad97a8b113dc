/*
 * `vireo chat`: an interactive conversation through the model's own chat template. The session keeps
 * the KV cache between turns, so each turn only evaluates what is new. Commands: /reset, /exit.
 */
package dev.vireo.cli;

import dev.vireo.Completion;
import dev.vireo.LanguageModel;
import dev.vireo.chat.ChatMessage;
import dev.vireo.generate.Session;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Interactive chat. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a model through its chat template. Type /reset to start over, /exit or Ctrl-D to quit.")
final class ChatCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    SamplingOptions sampling;

    @Option(names = {"-sys", "--system"}, paramLabel = "TEXT", description = "a system prompt")
    String system;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (LanguageModel m = model.load(); Session session = m.newSession(model.contextSize)) {
            if (m.chatTemplate().isEmpty()) {
                System.err.println("note: the model has no chat template; using ChatML");
            }
            List<ChatMessage> messages = new ArrayList<>();
            if (system != null) {
                messages.add(ChatMessage.system(system));
            }
            var options = sampling.toOptions();
            while (true) {
                out.print("> ");
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) {
                    break;
                }
                if (line.strip().equals("/reset")) {
                    messages.subList(system != null ? 1 : 0, messages.size()).clear();
                    session.reset();
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                messages.add(ChatMessage.user(line));
                Completion c = m.chat(session, messages, Map.of(), options, out::print);
                out.println();
                messages.add(ChatMessage.assistant(c.text()));
                System.err.println("[" + c.timings() + "]");
            }
        }
        return 0;
    }
}
