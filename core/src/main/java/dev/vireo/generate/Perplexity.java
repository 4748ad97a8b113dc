/*
 * Perplexity of a text under a model, with the definition of llama.cpp's llama-perplexity
 * (tools/perplexity/perplexity.cpp, without --ppl-stride), so figures compare directly:
 *   - the text is tokenized with the model's BOS in front when its vocabulary adds one;
 *   - the ids are cut into floor(n / nCtx) chunks of nCtx tokens (at least two are needed);
 *   - each chunk is evaluated from an empty KV cache, its first token replaced by BOS when the
 *     vocabulary adds one;
 *   - only the second half is scored: the logits at positions nCtx/2 .. nCtx-2 against the tokens
 *     that follow them, nCtx - nCtx/2 - 1 tokens per chunk;
 *   - PPL = exp(mean negative log-likelihood), reported after every chunk (running) and at the end
 *     with llama.cpp's uncertainty, PPL · sqrt(var(log p) / (count - 1)).
 * Log-probabilities are taken in double from the float logits, as llama.cpp does. Tested by
 * PerplexityTest (against llama-perplexity on a tiny model, and on hand-made logits).
 */
package dev.vireo.generate;

import java.util.Objects;

/** Computes llama.cpp-style perplexity over a {@link Session}. */
public final class Perplexity {
    private Perplexity() {}

    /** Receives the running estimate after each chunk. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param chunk 1-based number of the chunk just scored
         * @param chunks chunks in the whole run
         * @param perplexity the estimate over every token scored so far
         */
        void onChunk(int chunk, int chunks, double perplexity);
    }

    /**
     * The outcome of a run.
     *
     * @param perplexity exp of the mean negative log-likelihood
     * @param uncertainty llama.cpp's "+/-" figure (NaN when fewer than two tokens were scored)
     * @param chunks chunks evaluated
     * @param contextLength tokens per chunk
     * @param scoredTokens tokens whose log-likelihood was counted
     * @param meanNll the mean negative log-likelihood (natural log)
     */
    public record Result(double perplexity, double uncertainty, int chunks, int contextLength, long scoredTokens,
            double meanNll) {}

    /**
     * Scores {@code ids} chunk by chunk.
     *
     * @param session a session holding at least {@code contextLength} positions; it is reset before each chunk
     * @param ids the whole text's ids, BOS included where the vocabulary adds one
     * @param bos the id written over each chunk's first token, or a negative value to leave it as is
     * @param contextLength tokens per chunk (llama.cpp's -c), even and at least 2
     * @param maxChunks at most this many chunks (llama.cpp's --chunks); 0 or negative for all
     * @param progress receives the running estimate after each chunk, or null
     * @throws IllegalArgumentException if the text is shorter than two chunks or the session too small
     */
    public static Result compute(Session session, int[] ids, int bos, int contextLength, int maxChunks,
            Progress progress) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(ids, "ids");
        if (contextLength < 2) {
            throw new IllegalArgumentException("the context must hold at least 2 tokens, got " + contextLength);
        }
        if (contextLength > session.options().contextLength()) {
            throw new IllegalArgumentException("a chunk of " + contextLength + " tokens does not fit the session's "
                    + session.options().contextLength() + " positions");
        }
        if (ids.length < 2 * contextLength) {
            throw new IllegalArgumentException("perplexity with a context of " + contextLength + " needs at least "
                    + 2 * contextLength + " tokens; the text has only " + ids.length);
        }
        int available = ids.length / contextLength;
        int chunks = maxChunks > 0 ? Math.min(maxChunks, available) : available;
        int first = contextLength / 2;
        double[] sums = new double[2]; // sum of -log p, sum of (log p)^2
        long[] count = {0};
        for (int c = 0; c < chunks; c++) {
            int start = c * contextLength;
            int[] chunk = java.util.Arrays.copyOfRange(ids, start, start + contextLength);
            if (bos >= 0) {
                chunk[0] = bos;
            }
            session.reset();
            session.append(chunk, (pos, logits) -> {
                if (pos >= first && pos < contextLength - 1) {
                    double lp = logProbability(logits, chunk[pos + 1]);
                    sums[0] -= lp;
                    sums[1] += lp * lp;
                    count[0]++;
                }
            });
            if (progress != null) {
                progress.onChunk(c + 1, chunks, Math.exp(sums[0] / count[0]));
            }
        }
        session.reset();
        double mean = sums[0] / count[0];
        double ppl = Math.exp(mean);
        double variance = sums[1] / count[0] - mean * mean;
        double uncertainty = count[0] > 1 && variance > 0 ? Math.sqrt(variance / (count[0] - 1)) * ppl : Double.NaN;
        return new Result(ppl, uncertainty, chunks, contextLength, count[0], mean);
    }

    /**
     * log softmax(logits)[token], as llama.cpp computes it: the maximum subtracted, the exponentials
     * summed in double.
     */
    static double logProbability(float[] logits, int token) {
        if (token < 0 || token >= logits.length) {
            throw new IllegalArgumentException("token id " + token + " outside the " + logits.length + " logits");
        }
        float max = logits[0];
        for (int i = 1; i < logits.length; i++) {
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return logits[token] - max - Math.log(sum);
    }
}
