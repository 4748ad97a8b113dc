/*
 * `vireo perplexity`: the perplexity of a text file under a model, defined and printed as llama.cpp's
 * llama-perplexity does (dev.vireo.generate.Perplexity has the definition), so the numbers compare
 * directly: running values "[1]12.3456,[2]..." then "Final estimate: PPL = ... +/- ...".
 */
package dev.vireo.cli;

import dev.vireo.LanguageModel;
import dev.vireo.generate.Perplexity;
import dev.vireo.generate.Session;
import dev.vireo.tokenizer.Vocabulary;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints the perplexity of a text. */
@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = {"Print the perplexity of a text file, as llama.cpp's llama-perplexity computes it:",
            "the text is tokenized (BOS in front if the model adds one; one trailing newline dropped) and cut "
                + "into chunks of -c tokens; each chunk is evaluated from an empty cache with its first token "
                + "replaced by BOS; only the second half of each chunk is scored (the logits at positions c/2 .. c-2 "
                + "predict the next token); PPL = exp(mean negative log-likelihood). -c defaults to 512 here, "
                + "as in llama.cpp."})
final class PerplexityCommand implements Callable<Integer> {
    static final int DEFAULT_CONTEXT = 512;

    @Mixin
    ModelOptions model;

    @Option(names = {"-f", "--file"}, paramLabel = "TEXT", required = true, description = "the text (UTF-8)")
    Path file;

    @Option(names = "--chunks", paramLabel = "N", defaultValue = "-1",
            description = "score at most N chunks (default: all)")
    int chunks;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean contextGiven = spec.commandLine().getParseResult().hasMatchedOption("-c");
        int ctx = contextGiven ? model.contextSize : DEFAULT_CONTEXT;
        String text = Utf8.readStrict(file);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1); // llama.cpp's -f drops one trailing newline
        }
        try (LanguageModel m = model.load()) {
            Vocabulary v = m.tokenizer().vocabulary();
            if (v.addEos()) {
                throw new IllegalArgumentException("the model's vocabulary appends EOS to every text; "
                        + "perplexity chunks would be scored against it (llama.cpp refuses such models too)");
            }
            if (ctx > m.shape().contextLength()) {
                throw new IllegalArgumentException("-c " + ctx + " exceeds the model's trained context of "
                        + m.shape().contextLength() + " tokens");
            }
            int[] ids = m.tokenizer().encode(text, true, false);
            System.err.printf(Locale.ROOT, "perplexity: %d tokens, %d chunks of %d%n", ids.length,
                    chunks > 0 ? Math.min(chunks, ids.length / ctx) : ids.length / ctx, ctx);
            long t0 = System.nanoTime();
            Perplexity.Result r;
            try (Session session = m.newSession(ctx)) {
                r = Perplexity.compute(session, ids, v.addBos() ? v.bos() : -1, ctx, chunks,
                        (c, n, ppl) -> out.printf(Locale.ROOT, "[%d]%.4f,", c, ppl));
            }
            out.println();
            out.printf(Locale.ROOT, "Final estimate: PPL = %.4f +/- %.5f%n", r.perplexity(), r.uncertainty());
            System.err.printf(Locale.ROOT, "perplexity: %d tokens scored in %.2f s%n", r.scoredTokens(),
                    (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
