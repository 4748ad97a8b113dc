/*
 * Normalised mean squared error, NMSE = Σ(a−b)² / Σb², the one error measure of the op tests: it
 * does not care about the scale of the data, and a threshold on it says how many correct bits a
 * result keeps (NMSE 1e-10 ≈ relative RMS error 1e-5). A NaN anywhere (for example a poisoned output
 * element an op forgot to write) makes it NaN, which fails every bound. On failure the first
 * mismatching elements are printed.
 */
package dev.vireo.testing;

import dev.vireo.tensor.Tensor;
import org.junit.jupiter.api.Assertions;

/** NMSE and assertions built on it. */
public final class Nmse {
    private Nmse() {}

    /** How many mismatching elements a failure message lists. */
    private static final int SHOWN = 10;

    /** Σ(a−b)² / Σb²; 0 when both are all zeros, NaN if either holds a NaN or lengths differ. */
    public static double nmse(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            return Double.NaN;
        }
        double err = 0;
        double ref = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = (double) actual[i] - expected[i];
            err += d * d;
            ref += (double) expected[i] * expected[i];
        }
        if (err == 0 && ref == 0) {
            return 0;
        }
        return err / ref;
    }

    /** Fails unless NMSE(actual, expected) ≤ bound, listing the first mismatching elements. */
    public static void assertBelow(String what, float[] actual, float[] expected, double bound) {
        double e = nmse(actual, expected);
        if (e <= bound) {
            return;
        }
        Assertions.fail(what + ": NMSE " + e + " > " + bound + "\n" + mismatches(actual, expected, bound));
    }

    /** Tensor form of {@link #assertBelow(String, float[], float[], double)}. */
    public static void assertBelow(String what, Tensor actual, Tensor expected, double bound) {
        assertBelow(what, actual.toFloatArray(), expected.toFloatArray(), bound);
    }

    /**
     * The first elements whose squared error is large against the mean square of the expected
     * values (more than {@code bound} times it), or that are NaN; lengths first if they differ.
     */
    public static String mismatches(float[] actual, float[] expected, double bound) {
        if (actual.length != expected.length) {
            return "length " + actual.length + " != expected " + expected.length;
        }
        double meanSq = 0;
        for (float v : expected) {
            meanSq += (double) v * v;
        }
        meanSq /= Math.max(1, expected.length);
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        int bad = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = (double) actual[i] - expected[i];
            if (Double.isNaN(d) || d * d > bound * Math.max(meanSq, Double.MIN_NORMAL)) {
                bad++;
                if (shown++ < SHOWN) {
                    sb.append(String.format("  [%d] actual %.9g expected %.9g diff %.3g%n", i, actual[i],
                            expected[i], d));
                }
            }
        }
        return sb.append("  ").append(bad).append(" of ").append(actual.length).append(" elements off").toString();
    }
}
