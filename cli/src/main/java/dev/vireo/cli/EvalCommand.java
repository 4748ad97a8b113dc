/*
 * `vireo eval`: raw logits at every prompt position, the top K sorted descending, one JSON object per
 * line: {"pos": i, "top": [[id, logit], ...]}. For comparing engines and scoring.
 */
package dev.vireo.cli;

import dev.vireo.LanguageModel;
import dev.vireo.generate.Session;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints top-K logits per position. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Print the top-K raw logits at every prompt position.")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--ids", required = true, paramLabel = "1,2,3", description = "the prompt as token ids")
    String ids;

    @Option(names = "--top", paramLabel = "K", defaultValue = "10", description = "logits per position (default: ${DEFAULT-VALUE})")
    int top;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (LanguageModel m = model.load(); Session session = m.newSession(model.contextSize)) {
            int[] prompt = Ids.parse(ids);
            Ids.check(prompt, m.shape().vocabSize());
            session.append(prompt, (pos, logits) -> out.println(line(pos, logits, top)));
        }
        out.flush();
        return 0;
    }

    static String line(int pos, float[] logits, int k) {
        Integer[] idx = new Integer[logits.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        StringBuilder sb = new StringBuilder("{\"pos\": ").append(pos).append(", \"top\": [");
        for (int i = 0; i < Math.min(k, idx.length); i++) {
            sb.append(i == 0 ? "" : ", ").append('[').append(idx[i]).append(", ").append(logits[idx[i]]).append(']');
        }
        return sb.append("]}").toString();
    }
}
