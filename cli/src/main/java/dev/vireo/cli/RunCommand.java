/*
 * `vireo run`: continue a prompt (text or token ids) and stream the result, like llama.cpp's
 * llama-completion; prompt and generation speed go to stderr at the end.
 */
package dev.vireo.cli;

import dev.vireo.Completion;
import dev.vireo.LanguageModel;
import dev.vireo.generate.Session;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Generates a continuation. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Continue a prompt and stream the output.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    SamplingOptions sampling;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompt prompt;

    static final class Prompt {
        @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT", description = "the prompt text")
        String text;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "read the prompt from FILE (UTF-8)")
        java.nio.file.Path file;

        @Option(names = "--ids", paramLabel = "1,2,3", description = "the prompt as token ids (no BOS added)")
        String ids;
    }

    @Option(names = "--print-ids", description = "print the generated ids as one JSON array instead of text")
    boolean printIds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (LanguageModel m = model.load(); Session session = m.newSession(model.contextSize)) {
            var options = sampling.toOptions();
            if (prompt.ids != null) {
                int[] ids = Ids.parse(prompt.ids);
                Ids.check(ids, m.shape().vocabSize());
                Completion c = m.generate(session, ids, options, printIds ? s -> { } : out::print);
                if (printIds) {
                    out.println(Ids.json(c.tokens()));
                } else {
                    out.println();
                }
                System.err.println(c.timings());
            } else {
                String text = prompt.text != null ? prompt.text : Utf8.readStrict(prompt.file);
                int[] ids = m.tokenize(text, true);
                if (ids.length >= session.options().contextLength()) {
                    throw new IllegalArgumentException("the prompt is " + ids.length + " tokens but the context holds "
                            + session.options().contextLength() + "; shorten it or raise -c");
                }
                if (!printIds) {
                    out.print(text);
                }
                Completion c = m.generate(session, ids, options, printIds ? s -> { } : out::print);
                out.println(printIds ? Ids.json(c.tokens()) : "");
                System.err.println(c.timings() + " | stop: " + c.stopReason().name().toLowerCase());
            }
        }
        return 0;
    }
}
