/*
 * Builders of RoPE frequency tables for every scaling scheme the supported families use: plain,
 * linear, llama3 (HF _compute_llama3_parameters, or llama.cpp's baked `rope_freqs` divisors) and YaRN
 * (gpt-oss reference _compute_concentration_and_inv_freq; model-spec.md §1.4, §6). The rope op itself
 * only multiplies positions by the table, so every scheme runs on every backend unchanged.
 * Tested by RopeTablesTest against the sample values in model-spec.md.
 */
package dev.vireo.model;

import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;

/** Factory methods for {@link RopeTable}s. */
public final class RopeTables {
    private RopeTables() {}

    /** θ_i = base^(−2i/rotaryDim), in double, for i in [0, rotaryDim/2). */
    static double[] baseFrequencies(int rotaryDim, double base) {
        if (rotaryDim <= 0 || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException("rotary dimension must be even and positive, got " + rotaryDim);
        }
        double[] f = new double[rotaryDim / 2];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.pow(base, -2.0 * i / rotaryDim);
        }
        return f;
    }

    private static RopeTable table(double[] inv, double attentionFactor, RopeLayout layout) {
        float[] out = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            out[i] = (float) inv[i];
        }
        return new RopeTable(out, (float) attentionFactor, layout);
    }

    /** Unscaled RoPE. */
    public static RopeTable plain(int rotaryDim, double base, RopeLayout layout) {
        return table(baseFrequencies(rotaryDim, base), 1, layout);
    }

    /** Linear position interpolation: every frequency divided by {@code factor}. */
    public static RopeTable linear(int rotaryDim, double base, double factor, RopeLayout layout) {
        double[] f = baseFrequencies(rotaryDim, base);
        for (int i = 0; i < f.length; i++) {
            f[i] /= factor;
        }
        return table(f, 1, layout);
    }

    /**
     * Llama 3 scaling: long wavelengths divided by {@code factor}, short ones kept, a smooth blend
     * between {@code originalContext/lowFreqFactor} and {@code originalContext/highFreqFactor}.
     */
    public static RopeTable llama3(int rotaryDim, double base, double factor, double lowFreqFactor,
            double highFreqFactor, int originalContext, RopeLayout layout) {
        double[] f = baseFrequencies(rotaryDim, base);
        double lowWavelen = originalContext / lowFreqFactor;
        double highWavelen = originalContext / highFreqFactor;
        for (int i = 0; i < f.length; i++) {
            double wavelen = 2 * Math.PI / f[i];
            if (wavelen > lowWavelen) {
                f[i] = f[i] / factor;
            } else if (wavelen >= highWavelen) {
                double smooth = (originalContext / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                f[i] = (1 - smooth) * f[i] / factor + smooth * f[i];
            }
        }
        return table(f, 1, layout);
    }

    /**
     * Per-dimension divisors as llama.cpp bakes them into a GGUF's {@code rope_freqs} tensor
     * (llama3 scaling): θ_i = base^(−2i/d) / divisors[i].
     */
    public static RopeTable withDivisors(int rotaryDim, double base, float[] divisors, RopeLayout layout) {
        double[] f = baseFrequencies(rotaryDim, base);
        if (divisors.length != f.length) {
            throw new IllegalArgumentException("rope_freqs has " + divisors.length + " entries, expected "
                    + f.length + " (rotary dimension / 2)");
        }
        for (int i = 0; i < f.length; i++) {
            if (!(divisors[i] > 0) || !Float.isFinite(divisors[i])) {
                throw new IllegalArgumentException("rope_freqs[" + i + "] = " + divisors[i] + " is not a positive number");
            }
            f[i] /= divisors[i];
        }
        return table(f, 1, layout);
    }

    /**
     * YaRN: frequencies blended between extrapolation (θ_i) and interpolation (θ_i/factor) by a linear
     * ramp over the correction range [low, high] of dimension-pair indices, and cos/sin scaled by the
     * concentration 0.1·ln(factor) + 1 (times {@code extraAttentionFactor}, usually 1).
     *
     * @param truncate round the correction range to whole dimensions (floor low, ceil high) as llama.cpp
     *     does; the gpt-oss reference and Hugging Face do not ({@code truncate=false})
     */
    public static RopeTable yarn(int rotaryDim, double base, double factor, int originalContext,
            double betaFast, double betaSlow, boolean truncate, double extraAttentionFactor, RopeLayout layout) {
        double[] ext = baseFrequencies(rotaryDim, base);
        double low = yarnCorrectionDim(rotaryDim, base, originalContext, betaFast);
        double high = yarnCorrectionDim(rotaryDim, base, originalContext, betaSlow);
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        // Hugging Face clamps the range to [0, rotaryDim − 1] (the full dimension, not the pair count).
        low = Math.max(low, 0);
        high = Math.min(high, rotaryDim - 1);
        double span = Math.max(high - low, 0.001); // a degenerate range would divide by zero
        double[] inv = new double[ext.length];
        for (int i = 0; i < ext.length; i++) {
            double ramp = Math.clamp((i - low) / span, 0.0, 1.0); // 0: keep θ_i, 1: θ_i / factor
            double interp = ext[i] / factor;
            inv[i] = interp * ramp + ext[i] * (1 - ramp);
        }
        double concentration = factor > 1 ? 0.1 * Math.log(factor) + 1 : 1;
        return table(inv, concentration * extraAttentionFactor, layout);
    }

    /** The dimension-pair index at which the wavelength equals originalContext / beta turns. */
    static double yarnCorrectionDim(int rotaryDim, double base, int originalContext, double beta) {
        return (rotaryDim / 2.0) * Math.log(originalContext / (beta * 2 * Math.PI)) / Math.log(base);
    }
}
