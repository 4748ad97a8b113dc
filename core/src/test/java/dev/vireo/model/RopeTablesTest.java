/*
 * RoPE tables against the values worked out in model-spec.md §1.4 (gpt-oss YaRN) and the llama3
 * scaling rules of §6.
 */
package dev.vireo.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;
import org.junit.jupiter.api.Test;

class RopeTablesTest {

    private static RopeTable gptOss(boolean truncate) {
        return RopeTables.yarn(64, 150000, 32, 4096, 32, 1, truncate, 1, RopeLayout.NEOX);
    }

    @Test
    void yarnCorrectionRangeMatchesReference() {
        assertEquals(8.092779115512402, RopeTables.yarnCorrectionDim(64, 150000, 4096, 32), 1e-12);
        assertEquals(17.39802450158856, RopeTables.yarnCorrectionDim(64, 150000, 4096, 1), 1e-12);
    }

    @Test
    void yarnUnroundedMatchesReferenceSamples() {
        RopeTable t = gptOss(false);
        assertEquals(1.3465735902799727, t.attentionFactor(), 1e-6);
        double[][] samples = {{0, 1.0}, {8, 0.0508133}, {9, 0.0317057}, {12, 0.0067950}, {17, 1.29319e-4},
            {18, 3.83088e-5}, {31, 3.02351e-7}};
        for (double[] s : samples) {
            int i = (int) s[0];
            assertEquals(s[1], t.invFreq(i), s[1] * 2e-5, "inv_freq[" + i + "]");
        }
    }

    @Test
    void yarnTruncatedUsesWholeDimensions() {
        RopeTable t = gptOss(true);
        double ext17 = Math.pow(150000, -34.0 / 64);
        // With the range rounded to [8, 18], i = 17 sits at ramp 0.9: 0.1·θ + 0.9·θ/32.
        assertEquals(0.1 * ext17 + 0.9 * ext17 / 32, t.invFreq(17), 1e-9);
        assertEquals(2.28e-4, t.invFreq(17), 0.01e-4);
        assertEquals((float) Math.pow(150000, -16.0 / 64), t.invFreq(8), 1e-9);
    }

    @Test
    void llama3KeepsHighAndDividesLowFrequencies() {
        RopeTable t = RopeTables.llama3(128, 500000, 8, 1, 4, 8192, RopeLayout.NEOX);
        double[] base = RopeTables.baseFrequencies(128, 500000);
        assertEquals((float) base[0], t.invFreq(0), 0);
        assertEquals((float) (base[63] / 8), t.invFreq(63), 0);
        for (int i = 0; i < 64; i++) {
            double wavelen = 2 * Math.PI / base[i];
            if (wavelen >= 8192.0 / 4 && wavelen <= 8192) {
                double smooth = (8192 / wavelen - 1) / 3;
                assertEquals((float) ((1 - smooth) * base[i] / 8 + smooth * base[i]), t.invFreq(i), 0);
            }
        }
    }

    @Test
    void divisorsApplyPerDimension() {
        float[] div = new float[32];
        java.util.Arrays.fill(div, 1f);
        div[31] = 8f;
        RopeTable t = RopeTables.withDivisors(64, 10000, div, RopeLayout.NORM);
        assertEquals((float) (Math.pow(10000, -62.0 / 64) / 8), t.invFreq(31), 0);
        assertEquals(1f, t.invFreq(0), 0);
    }
}
