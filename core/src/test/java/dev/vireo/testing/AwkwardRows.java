/*
 * Seeded activation rows that take every path of the activation quantizers: each 32-value block is
 * drawn from a list of kinds — ordinary Gaussians; Gaussians scaled across the float range; exact
 * rounding ties for the 127/max multiplier (max 127, the rest k + ½); all zeros, −0.0, one non-zero
 * value, a constant; float subnormals (where 127/max overflows); values near FLT_MAX; the largest
 * magnitude with both signs; and, when asked for, NaN and infinities. Used by the quantizer and
 * matmul comparisons with ggml (ActivationQuantizersTest, LlamaCppMatmulTest).
 */
package dev.vireo.testing;

import java.util.Arrays;
import java.util.Random;

/** Generators of awkward activation rows. */
public final class AwkwardRows {
    private AwkwardRows() {}

    /** The number of block kinds {@link #block} knows; kinds at or above {@link #FINITE_KINDS} are not finite. */
    public static final int KINDS = 14;
    /** Kinds below this produce finite values only. */
    public static final int FINITE_KINDS = 12;

    /** A row of {@code n} values (a multiple of 32) with random block kinds, non-finite ones only if asked. */
    public static float[] row(Random r, int n, boolean nonFinite) {
        float[] x = new float[n];
        for (int b = 0; b < n; b += 32) {
            block(r, r.nextInt(nonFinite ? KINDS : FINITE_KINDS), x, b);
        }
        return x;
    }

    /** Writes 32 values of the given kind into {@code x[o ..]}. */
    public static void block(Random r, int kind, float[] x, int o) {
        switch (kind) {
            case 0, 1, 2 -> fill(r, x, o, 1);
            case 3 -> fill(r, x, o, (float) Math.pow(10, -30 + 60 * r.nextDouble()));
            case 4 -> {
                // With max 127 the multiplier is exactly 1 (Q8_K: −1), so k + ½ is an exact tie.
                for (int j = 0; j < 32; j++) {
                    x[o + j] = (r.nextInt(253) - 126) + 0.5f;
                }
                x[o + r.nextInt(32)] = r.nextBoolean() ? 127 : -127;
            }
            case 5 -> Arrays.fill(x, o, o + 32, 0f);
            case 6 -> Arrays.fill(x, o, o + 32, -0f);
            case 7 -> {
                Arrays.fill(x, o, o + 32, 0f);
                x[o + r.nextInt(32)] = (float) r.nextGaussian();
            }
            case 8 -> Arrays.fill(x, o, o + 32, (float) r.nextGaussian());
            case 9 -> {
                for (int j = 0; j < 32; j++) {
                    x[o + j] = Float.intBitsToFloat(r.nextInt(0x0080_0000)) * (r.nextBoolean() ? 1 : -1);
                }
            }
            case 10 -> fill(r, x, o, 1e37f);
            case 11 -> {
                fill(r, x, o, 1);
                float m = 4 + r.nextFloat();
                x[o + r.nextInt(16)] = -m;
                x[o + 16 + r.nextInt(16)] = m;
            }
            case 12 -> {
                fill(r, x, o, 1);
                x[o + r.nextInt(32)] = r.nextBoolean() ? Float.NaN : Float.intBitsToFloat(0xFFC0_1234);
            }
            case 13 -> {
                fill(r, x, o, 1);
                x[o + r.nextInt(32)] = r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            }
            default -> throw new IllegalArgumentException("kind " + kind);
        }
    }

    private static void fill(Random r, float[] x, int o, float scale) {
        for (int j = 0; j < 32; j++) {
            x[o + j] = (float) r.nextGaussian() * scale;
        }
    }
}
