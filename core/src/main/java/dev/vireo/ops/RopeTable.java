/*
 * RoPE as data: the per-dimension inverse frequencies and a scale on cos/sin. Plain RoPE, llama3
 * scaling and YaRN are all just different tables (model-spec.md §1.4, §6), built by the model
 * config; the rope op only multiplies positions by them.
 */
package dev.vireo.ops;

import java.util.Objects;

/**
 * The rotation of one attention layer.
 *
 * @param invFreq per rotated pair i, the angle per position θ_i (radians); {@code 2·invFreq.length}
 *     leading dimensions of each head are rotated, the rest pass through
 * @param attentionFactor multiplies both cos and sin (YaRN's concentration; 1 otherwise)
 * @param layout which dimensions form a pair
 */
public record RopeTable(float[] invFreq, float attentionFactor, RopeLayout layout) {

    public RopeTable {
        Objects.requireNonNull(layout, "layout");
        invFreq = invFreq.clone();
        if (invFreq.length == 0) {
            throw new IllegalArgumentException("empty RoPE frequency table");
        }
    }

    /** Standard RoPE: θ_i = base^(−2i/rotaryDim). */
    public static RopeTable standard(int rotaryDim, double base, RopeLayout layout) {
        float[] inv = new float[rotaryDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) Math.pow(base, -2.0 * i / rotaryDim);
        }
        return new RopeTable(inv, 1f, layout);
    }

    @Override
    public float[] invFreq() {
        return invFreq.clone();
    }

    /** θ_i without copying the table. */
    public float invFreq(int i) {
        return invFreq[i];
    }

    /** Number of rotated dimensions per head. */
    public int rotaryDim() {
        return 2 * invFreq.length;
    }
}
