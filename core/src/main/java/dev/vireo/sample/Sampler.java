/*
 * Token selection from a row of logits, in llama.cpp's default chain order: penalties → top-k →
 * top-p → min-p → temperature → draw (common/sampling.cpp). Note top-p and min-p see the
 * un-tempered distribution, as in llama.cpp. Arrays are sized once per vocabulary and reused: nothing
 * is allocated per token. Tested by SamplerTest.
 */
package dev.vireo.sample;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from logits. One instance per sequence (it holds the random state). */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom random;
    private final float[] work;
    private final long[] order;      // (sortable logit bits << 32 | token) for sorting candidates
    private final int[] counts;      // occurrences of each token in the penalty window
    private final int[] seen;        // tokens with a nonzero count, to reset cheaply

    public Sampler(SamplingParams params, int vocabSize) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
        this.work = new float[vocabSize];
        this.order = new long[vocabSize];
        this.counts = new int[vocabSize];
        this.seen = new int[vocabSize];
    }

    public SamplingParams params() {
        return params;
    }

    /**
     * Chooses a token.
     *
     * @param logits [vocab] raw logits (not modified)
     * @param history tokens so far (prompt and generated), for the penalties; {@code historyLength} of them
     */
    public int sample(float[] logits, int[] history, int historyLength) {
        if (logits.length != work.length) {
            throw new IllegalArgumentException("expected " + work.length + " logits, got " + logits.length);
        }
        float[] l = work;
        System.arraycopy(logits, 0, l, 0, l.length);
        if (params.hasPenalties()) {
            applyPenalties(l, history, historyLength);
        }
        if (params.isGreedy()) {
            return argmax(l);
        }
        int n = sortCandidates(l);
        // top-k
        if (params.topK() > 0) {
            n = Math.min(n, params.topK());
        }
        // top-p and min-p on the softmax at temperature 1
        float max = l[token(order[0])];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(l[token(order[i])] - max);
        }
        if (params.topP() < 1) {
            double cum = 0;
            for (int i = 0; i < n; i++) {
                cum += Math.exp(l[token(order[i])] - max) / sum;
                if (cum >= params.topP()) {
                    n = i + 1;
                    break;
                }
            }
        }
        if (params.minP() > 0) {
            double threshold = max + Math.log(params.minP());
            int keep = 1;
            while (keep < n && l[token(order[keep])] >= threshold) {
                keep++;
            }
            n = keep;
        }
        // temperature, then a draw from the renormalised distribution
        double t = params.temperature();
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.exp((l[token(order[i])] - max) / t);
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            r -= Math.exp((l[token(order[i])] - max) / t);
            if (r <= 0) {
                return token(order[i]);
            }
        }
        return token(order[n - 1]);
    }

    private void applyPenalties(float[] l, int[] history, int historyLength) {
        int start = params.penaltyLastN() < 0 ? 0 : Math.max(0, historyLength - params.penaltyLastN());
        int distinct = 0;
        for (int i = start; i < historyLength; i++) {
            int tok = history[i];
            if (tok < 0 || tok >= counts.length) {
                continue;
            }
            if (counts[tok]++ == 0) {
                seen[distinct++] = tok;
            }
        }
        for (int i = 0; i < distinct; i++) {
            int tok = seen[i];
            float v = l[tok];
            v = v > 0 ? v / params.repeatPenalty() : v * params.repeatPenalty();
            v -= counts[tok] * params.frequencyPenalty() + params.presencePenalty();
            l[tok] = v;
            counts[tok] = 0;
        }
    }

    /** Sorts every finite-logit token by logit, descending (lower id first on ties); returns their number. */
    private int sortCandidates(float[] l) {
        int n = 0;
        for (int tok = 0; tok < l.length; tok++) {
            if (l[tok] > Float.NEGATIVE_INFINITY) {
                // Descending logit = ascending key of the negated, order-preserving bits.
                order[n++] = ((long) ~sortableBits(l[tok]) << 32) | tok;
            }
        }
        if (n == 0) {
            throw new IllegalStateException("every logit is -inf or NaN: nothing to sample");
        }
        Arrays.sort(order, 0, n);
        return n;
    }

    /** Float bits mapped so that signed int comparison orders them like the floats. */
    private static int sortableBits(float f) {
        int b = Float.floatToIntBits(f);
        return b >= 0 ? b : b ^ 0x7FFFFFFF;
    }

    private static int token(long packed) {
        return (int) packed;
    }

    /** Index of the largest logit, the lowest index on ties. */
    public static int argmax(float[] l) {
        int best = 0;
        for (int i = 1; i < l.length; i++) {
            if (l[i] > l[best]) {
                best = i;
            }
        }
        return best;
    }
}
