/*
 * The sampler's chain on small hand-made distributions: greedy, penalties, each filter, seeding, and
 * draws that follow the softmax.
 */
package dev.vireo.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final float[] LOGITS = {1f, 3f, 2f, 3f, -1f};

    private static SamplingParams params(float temp, int topK, float topP, float minP) {
        return new SamplingParams(temp, topK, topP, minP, 1f, 0f, 0f, 64, 42);
    }

    @Test
    void greedyPicksFirstMaximum() {
        assertEquals(1, new Sampler(SamplingParams.greedy(), 5).sample(LOGITS, new int[0], 0));
    }

    @Test
    void repeatPenaltyDemotesSeenTokens() {
        SamplingParams p = new SamplingParams(0f, 0, 1f, 0f, 2f, 0f, 0f, 64, 0);
        // token 1 (3 → 1.5) and 3 (3 → 1.5) seen: token 2 (2) wins
        assertEquals(2, new Sampler(p, 5).sample(LOGITS, new int[] {1, 3}, 2));
        // a window of the last 1 token penalises only token 3
        SamplingParams last1 = new SamplingParams(0f, 0, 1f, 0f, 2f, 0f, 0f, 1, 0);
        assertEquals(1, new Sampler(last1, 5).sample(LOGITS, new int[] {1, 3}, 2));
    }

    @Test
    void presenceAndFrequencyPenaltiesSubtract() {
        SamplingParams p = new SamplingParams(0f, 0, 1f, 0f, 1f, 0.5f, 0.4f, -1, 0);
        // token 1 seen twice: 3 − 0.5 − 0.8 = 1.7; token 3 unseen stays 3
        assertEquals(3, new Sampler(p, 5).sample(LOGITS, new int[] {1, 1}, 2));
        SamplingParams q = new SamplingParams(0f, 0, 1f, 0f, 1f, 0f, 0f, -1, 0);
        assertEquals(1, new Sampler(q, 5).sample(LOGITS, new int[] {1, 1}, 2));
    }

    @Test
    void topKOfOneIsGreedy() {
        Sampler s = new Sampler(params(1f, 1, 1f, 0f), 5);
        for (int i = 0; i < 50; i++) {
            assertEquals(1, s.sample(LOGITS, new int[0], 0));
        }
    }

    @Test
    void topPAndMinPKeepOnlyTheHead() {
        float[] logits = {10f, 9.9f, 0f, 0f, 0f};
        Sampler topP = new Sampler(params(1f, 0, 0.5f, 0f), 5);
        Sampler minP = new Sampler(params(1f, 0, 1f, 0.5f), 5);
        for (int i = 0; i < 200; i++) {
            assertEquals(0, topP.sample(logits, new int[0], 0));
            int t = minP.sample(logits, new int[0], 0);
            assertTrue(t == 0 || t == 1, "min-p kept token " + t);
        }
    }

    @Test
    void sameSeedSameTokens() {
        int[] a = draw(7, 100);
        int[] b = draw(7, 100);
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, draw(8, 100)));
    }

    private static int[] draw(long seed, int n) {
        Sampler s = new Sampler(params(1f, 0, 1f, 0f).withSeed(seed), 5);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.sample(LOGITS, new int[0], 0);
        }
        return out;
    }

    @Test
    void drawsFollowTheTemperedSoftmax() {
        float temp = 0.7f;
        Sampler s = new Sampler(params(temp, 0, 1f, 0f), 5);
        int n = 200_000;
        int[] hist = new int[5];
        for (int i = 0; i < n; i++) {
            hist[s.sample(LOGITS, new int[0], 0)]++;
        }
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l / temp);
        }
        for (int t = 0; t < 5; t++) {
            double p = Math.exp(LOGITS[t] / temp) / z;
            double sigma = Math.sqrt(n * p * (1 - p));
            assertEquals(n * p, hist[t], 5 * sigma + 1, "token " + t);
        }
    }

    @Test
    void rejectsWrongLengthAndAllMasked() {
        Sampler s = new Sampler(params(1f, 0, 1f, 0f), 5);
        assertThrows(IllegalArgumentException.class, () -> s.sample(new float[4], new int[0], 0));
        float[] masked = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        assertThrows(IllegalStateException.class, () -> s.sample(masked, new int[0], 0));
        assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 1f, 0f, 0f, 0f, 0f, 64, 0));
    }
}
