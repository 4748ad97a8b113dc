/*
 * A custom pipeline on the ops: rank candidate answers by their log-probability under the model,
 * the way multiple-choice benchmarks are scored. It evaluates question + answer once per candidate and
 * sums log-softmax(logits)[next token] over the answer's tokens — no sampling involved.
 *   examples/run ScoreAnswers MODEL.gguf
 */
package dev.vireo.examples;

import dev.vireo.LanguageModel;
import dev.vireo.Vireo;
import dev.vireo.generate.Session;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Scores answers by log-likelihood. */
public final class ScoreAnswers {
    public static void main(String[] args) throws Exception {
        String question = "Question: What is the capital of France?\nAnswer:";
        List<String> answers = List.of(" Paris", " Lyon", " Berlin", " a city of cheese");
        try (LanguageModel m = Vireo.load(Path.of(args[0])); Session session = m.newSession(512)) {
            int[] q = m.tokenize(question, true);
            for (String answer : answers) {
                double logProb = score(session, q, m.tokenize(answer, false));
                System.out.printf("%-20s log p = %8.3f%n", "\"" + answer.strip() + "\"", logProb);
            }
        }
    }

    /** Σ log p(answer token | everything before it). */
    static double score(Session session, int[] question, int[] answer) {
        int[] all = Arrays.copyOf(question, question.length + answer.length);
        System.arraycopy(answer, 0, all, question.length, answer.length);
        double[] total = {0};
        session.reset();
        session.append(all, (pos, logits) -> {
            int next = pos + 1;
            if (next >= question.length && next < all.length) {
                total[0] += logSoftmax(logits, all[next]);
            }
        });
        return total[0];
    }

    static double logSoftmax(float[] logits, int token) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return logits[token] - max - Math.log(sum);
    }
}
