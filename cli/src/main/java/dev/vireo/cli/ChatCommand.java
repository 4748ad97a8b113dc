/*
 * `vireo chat`: an interactive conversation in the model's chat format: harmony for gpt-oss (with a
 * reasoning effort; its reasoning shown faint, or hidden), the model's own template otherwise. The
 * session keeps the KV cache between turns, so each turn only evaluates what is new; earlier reasoning
 * is left out of later prompts as each format prescribes. Commands: /reset, /exit. Tested in
 * ChatCommandTest.
 */
package dev.vireo.cli;

import dev.vireo.LanguageModel;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatOptions;
import dev.vireo.chat.ChatReply;
import dev.vireo.chat.harmony.ReasoningEffort;
import dev.vireo.generate.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Interactive chat. */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "Chat with a model in its chat format (harmony for gpt-oss, the model's template otherwise)."
                + " Type /reset to start over, /exit or Ctrl-D to quit.")
final class ChatCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    SamplingOptions sampling;

    @Option(names = {"-sys", "--system"}, paramLabel = "TEXT",
            description = "a system prompt (for gpt-oss: the developer instructions)")
    String system;

    @Option(names = "--reasoning-effort", paramLabel = "LEVEL", converter = EffortConverter.class,
            description = "how much gpt-oss thinks: low, medium or high (default: medium)")
    ReasoningEffort reasoningEffort;

    @Option(names = "--hide-reasoning", description = "do not show the model's reasoning (gpt-oss's analysis channel,"
            + " <think> blocks)")
    boolean hideReasoning;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (LanguageModel m = model.load(); Session session = m.newSession(model.contextSize)) {
            converse(m, session, in, out, Terminal.stdoutStyled());
        }
        return 0;
    }

    /**
     * The conversation loop: reads a line, answers it, until /exit or the end of input.
     *
     * @param styled show the reasoning faint (ANSI)
     */
    void converse(LanguageModel m, Session session, BufferedReader in, PrintStream out, boolean styled)
            throws IOException {
        if (!m.usesHarmony() && m.chatTemplate().isEmpty()) {
            System.err.println("note: the model has no chat template; using ChatML");
        }
        List<ChatMessage> messages = new ArrayList<>();
        if (system != null) {
            messages.add(ChatMessage.system(system));
        }
        // The date is what gpt-oss's own template tells it; templates of other models ask for it themselves.
        ChatOptions options = ChatOptions.of(sampling.toOptions()).withReasoningEffort(reasoningEffort)
                .withCurrentDate(LocalDate.now());
        while (true) {
            out.print("> ");
            out.flush();
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
            ChatPrinter printer = new ChatPrinter(out, !hideReasoning, styled);
            ChatReply reply = m.chat(session, messages, options, printer);
            printer.finish();
            messages.add(reply.message());
            System.err.println("[" + reply.timings() + "]");
        }
    }

    static final class EffortConverter implements picocli.CommandLine.ITypeConverter<ReasoningEffort> {
        @Override
        public ReasoningEffort convert(String value) {
            try {
                return ReasoningEffort.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
