/*
 * Exp: the vector and scalar forms give the same bits, and both are within 2 ulp of the correctly
 * rounded e^x over the whole float range where the result is normal (and within 2 subnormal ulp below).
 */
package dev.vireo.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExpTest {
    private static final int L = Vec.FL;

    /** Bit patterns of every 1009th float in [−110, 95], both signs, plus the special values. */
    private static float[] inputs() {
        SplittableRandom random = new SplittableRandom(17);
        float[] special = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 88.72283f, 88.7229f, -87.33654f, -103.97208f, -103.9721f, -104f, 89f, 0.34657359f,
            -0.34657359f, 1e-8f, -1e-8f};
        int top = Float.floatToRawIntBits(110f);
        int count = special.length + 2 * (top / 1009) + 4096;
        float[] xs = new float[count - count % L + L];
        int i = 0;
        for (float s : special) {
            xs[i++] = s;
        }
        for (int bits = 0; bits < top && i + 1 < xs.length; bits += 1009) {
            xs[i++] = Float.intBitsToFloat(bits);
            xs[i++] = -Float.intBitsToFloat(bits);
        }
        while (i < xs.length) {
            xs[i++] = (float) (random.nextDouble() * 210 - 110);
        }
        return xs;
    }

    @Test
    void vectorAndScalarGiveTheSameBits() {
        float[] xs = inputs();
        float[] v = xs.clone();
        Exp.exp(v, 0, v.length - 3);   // the vector loop and a scalar tail
        Exp.exp(v, v.length - 3, v.length);
        for (int i = 0; i < xs.length; i++) {
            int expected = Float.floatToIntBits(Exp.exp(xs[i]));
            assertEquals(expected, Float.floatToIntBits(v[i]), "e^" + xs[i]);
        }
    }

    @Test
    void withinTwoUlpOfTheCorrectlyRoundedValue() {
        float[] xs = inputs();
        for (float x : xs) {
            float got = Exp.exp(x);
            float want = (float) Math.exp(x); // the double result rounded once: within 0.5 ulp + 1 ulp of double
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(got));
                continue;
            }
            if (Float.isInfinite(want) || want == 0) {
                // at the ends of the range: the same limit, or the float next to it
                assertTrue(got == want || Math.abs(Math.log(got) - x) < 1e-6 * Math.abs(x) || got <= Float.MIN_VALUE * 2,
                        "e^" + x + " = " + got + ", expected " + want);
                continue;
            }
            float ulp = Math.ulp(want);
            assertTrue(Math.abs(got - want) <= 2 * ulp, "e^" + x + " = " + got + ", expected " + want + " (ulp " + ulp + ")");
        }
    }
}
