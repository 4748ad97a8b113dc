/*
 * The test utilities themselves: random blocks decode to finite weights of ordinary size for every
 * type (so NMSE comparisons are meaningful), NMSE is scale-free and fails on NaN (so poisoned
 * outputs cannot pass), and failure messages list the mismatching elements.
 */
package dev.vireo.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.Codecs;
import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;

class TestingUtilitiesTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
        "MXFP4", "Q4_K", "Q5_K", "Q6_K"})
    void randomBlocksDecodeToOrdinaryFiniteWeights(DType type) {
        try (Arena arena = Arena.ofConfined()) {
            Tensor w = TestTensors.weight(arena, "w", type, 8, 512, new Random(1));
            float[] v = Codecs.decoder(type).decode(w.data(), 0, 8 * 512);
            double sumSq = 0;
            for (float f : v) {
                assertTrue(Float.isFinite(f) && Math.abs(f) < 1e3, type + " weight " + f);
                sumSq += (double) f * f;
            }
            double rms = Math.sqrt(sumSq / v.length);
            assertTrue(rms > 1e-3 && rms < 1e2, type + " rms " + rms);
        }
    }

    @Test
    void nmseIsScaleFreeAndFailsOnNaN() {
        float[] b = {1, -2, 3};
        float[] a = {1.1f, -2, 3};
        double e = Nmse.nmse(a, b);
        assertEquals(0.01 / 14, e, 1e-9);
        assertEquals(e, Nmse.nmse(new float[] {110, -200, 300}, new float[] {100, -200, 300}), 1e-9);
        assertTrue(Double.isNaN(Nmse.nmse(new float[] {Float.NaN, -2, 3}, b)));
        assertThrows(AssertionFailedError.class, () -> Nmse.assertBelow("nan", new float[] {Float.NaN, -2, 3}, b, 1));
    }

    @Test
    void failuresListTheMismatches() {
        AssertionFailedError err = assertThrows(AssertionFailedError.class,
                () -> Nmse.assertBelow("op", new float[] {1, 5, 3, Float.NaN}, new float[] {1, 2, 3, 4}, 1e-6));
        String m = err.getMessage();
        assertTrue(m.contains("[1] actual 5") && m.contains("[3] actual NaN") && m.contains("2 of 4"), m);
    }
}
