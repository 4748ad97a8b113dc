/*
 * Quantize → dequantize with Vireo's own codecs: normalized error bounds per type on seeded inputs,
 * values each format represents exactly survive unchanged, and the MXFP4 decoder follows the E2M1 /
 * E8M0 definition in model-spec.md §2.1 (table value · 2^(scale − 127)), computed independently here.
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuantRoundTripTest {

    /**
     * Error of a round trip over 64 rows × 256 Gaussian values whose scale varies by row over six
     * decades (block scales adapt, so the normalized error does not depend on the row scale). The
     * bounds follow from each format's rounding step (uniform rounding error: step²/12), with the
     * measured value for this seed in brackets:
     *   F16   step 2^-10 relative to the binade, ≈ 2^-20/12 · E[2^2e]/E[x²] ≈ 4e-8       [4.3e-8]
     *   BF16  step 2^-7 relative: ≈ 2^-14/12 · 0.5 ≈ 2.5e-6                            [2.7e-6]
     *   Q8_0  step amax/127, E[amax²] ≈ 5.9σ² for 32 Gaussians: 5.9/127²/12 ≈ 3.0e-5     [2.8e-5]
     *   Q4_0  step amax/8: 5.9/64/12 ≈ 7.7e-3 (the block maximum itself is exact)        [7.3e-3]
     *   MXFP4 E2M1 steps 0.5/1/2 under a power-of-two scale putting amax in [4, 8)·s,
     *         values above 6·s clamped                                                 [1.33e-2]
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"F32, 0", "F16, 6e-8", "BF16, 4e-6", "Q8_0, 3.5e-5", "Q4_0, 9e-3", "MXFP4, 1.6e-2"})
    void normalizedErrorIsWithinTheFormatsStep(DType type, double bound) {
        Random rnd = new Random(42);
        int rows = 64;
        int cols = 256;
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double scale = Math.pow(10, -3 + 6.0 * r / rows);
            for (int c = 0; c < cols; c++) {
                x[r * cols + c] = (float) (rnd.nextGaussian() * scale);
            }
        }
        float[] y = roundTrip(type, x);
        double nmse = 0;
        for (int r = 0; r < rows; r++) {
            double err = 0;
            double pow = 0;
            for (int c = 0; c < cols; c++) {
                double d = (double) x[r * cols + c] - y[r * cols + c];
                err += d * d;
                pow += (double) x[r * cols + c] * x[r * cols + c];
            }
            nmse += err / pow / rows;
        }
        double measured = nmse;
        assertTrue(measured <= bound, () -> type + " NMSE " + measured + " above " + bound);
    }

    /** Values on each format's grid come back bit for bit. */
    @Test
    void representableValuesSurvive() {
        // Q8_0: amax 127·2^-5 gives d = 2^-5 exactly; every multiple q·d is on the grid.
        float[] q8 = new float[32];
        for (int j = 0; j < 32; j++) {
            q8[j] = (j * 8 - 127) * 0x1p-5f;
        }
        q8[31] = 127 * 0x1p-5f;
        assertArrayEquals(q8, roundTrip(DType.Q8_0, q8));
        // Q4_0: max −8·2^3 gives d = 2^3; codes 0..15 are (q − 8)·d.
        float[] q4 = new float[32];
        for (int j = 0; j < 32; j++) {
            q4[j] = ((j % 16) - 8) * 8.0f;
        }
        assertArrayEquals(q4, roundTrip(DType.Q4_0, q4));
        // MXFP4: every E2M1 value, both signs, at a scale whose block maximum is 6 · 2^-3 (no −0:
        // ggml's doubled code table has no negative zero, so −0 comes back as +0).
        float[] mx = new float[32];
        float[] e2m1 = {0, 0.5f, 1, 1.5f, 2, 3, 4, 6};
        for (int j = 0; j < 32; j++) {
            mx[j] = e2m1[j % 8] * 0x1p-3f * (j < 16 || j % 8 == 0 ? 1 : -1);
        }
        assertArrayEquals(mx, roundTrip(DType.MXFP4, mx));
        // F16 and BF16: values already of that precision.
        float[] h = {1.0f, -0x1.ffcp15f, 0x1p-24f, -0x1.554p-3f, 0.0f, -0.0f, Float.POSITIVE_INFINITY};
        assertArrayEquals(h, roundTrip(DType.F16, h));
        float[] b = {1.0f, -0x1.fep127f, Float.MIN_VALUE * 0x10000, 0x1.0ap-100f, -0.0f};
        assertArrayEquals(b, roundTrip(DType.BF16, b));
    }

    /** model-spec.md §2.1: E2M1 code table (bit 3 = sign) and E8M0 scale 2^(s − 127). */
    private static final double[] SPEC_E2M1 =
            {+0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0};

    @Test
    void mxfp4DecodesAsTheSpecTable() {
        for (int s : new int[] {0, 1, 2, 3, 100, 126, 127, 128, 200, 253, 254}) {
            byte[] block = new byte[17];
            block[0] = (byte) s;
            for (int j = 0; j < 16; j++) {
                block[1 + j] = (byte) (j | ((15 - j) << 4)); // element j: code j; element j+16: code 15−j
            }
            float[] got = Codecs.decoder(DType.MXFP4).decode(MemorySegment.ofArray(block), 0, 32);
            for (int j = 0; j < 32; j++) {
                int code = j < 16 ? j : 15 - (j - 16);
                float want = (float) Math.scalb(SPEC_E2M1[code], s - 127);
                // ggml stores no negative zero: its doubled table has 0 for code 8, so −0 decodes as +0.
                if (code == 8) {
                    want = 0.0f;
                }
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[j]),
                        "scale byte " + s + ", code " + code + ": " + want + " vs " + got[j]);
            }
        }
    }

    private static float[] roundTrip(DType type, float[] x) {
        MemorySegment q = Codecs.quantizer(type).orElseThrow().quantize(x);
        return Codecs.decoder(type).decode(q, 0, x.length);
    }
}
