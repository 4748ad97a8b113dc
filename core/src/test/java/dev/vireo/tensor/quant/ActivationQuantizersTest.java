/*
 * The activation quantizers against ggml's CPU backend, byte for byte: seeded rows whose blocks are
 * ordinary, spread over the float range, exact rounding ties, zeros and −0.0, subnormals, near
 * FLT_MAX, with both signs of the maximum, and with NaN and infinities (AwkwardRows), converted by
 * Vireo and by ggml's own from_float (GgmlCpu: the prebuilt libggml-cpu variant llama.cpp loads
 * here). F16 NaNs are compared as NaN only: ggml's vector and scalar conversions differ in the
 * payload they give (see ActivationQuantizers). Also checks the vec_dot pairing and the layouts.
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.tensor.DType;
import dev.vireo.testing.AwkwardRows;
import dev.vireo.testing.GgmlCpu;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationQuantizersTest {

    static final List<DType> WEIGHT_TYPES = List.of(DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0,
            DType.Q4_1, DType.Q5_0, DType.Q5_1, DType.Q4_K, DType.Q5_K, DType.Q6_K, DType.MXFP4);

    @Test
    void vecDotTypesAreGgmls() {
        GgmlCpu ggml = GgmlCpu.require();
        for (DType t : WEIGHT_TYPES) {
            assertEquals(ggml.vecDotType(t), VecDotType.forWeight(t), t + " (ggml " + ggml.variant() + ")");
        }
        assertThrows(IllegalArgumentException.class, () -> VecDotType.forWeight(DType.I32));
    }

    @ParameterizedTest
    @EnumSource(VecDotType.class)
    void bytesMatchGgmlFromFloat(VecDotType type) {
        GgmlCpu ggml = GgmlCpu.require();
        Random r = new Random(4099L * type.ordinal() + 7);
        StringBuilder report = new StringBuilder();
        int mismatches = 0;
        for (int row = 0; row < 24; row++) {
            float[] x = AwkwardRows.row(r, 1024, row % 3 == 2);
            if (row == 0) {
                Arrays.fill(x, 0, 256, 0f); // an all-zero Q8_K super-block
            }
            byte[] ours = ActivationQuantizers.of(type).quantize(x).toArray(ValueLayout.JAVA_BYTE);
            byte[] theirs = ggml.fromFloat(type, x);
            assertEquals(theirs.length, ours.length);
            for (int b = 0; b < ours.length / type.blockBytes(); b++) {
                int from = b * type.blockBytes();
                byte[] o = Arrays.copyOfRange(ours, from, from + type.blockBytes());
                byte[] t = Arrays.copyOfRange(theirs, from, from + type.blockBytes());
                if (!Arrays.equals(o, t) && !(type == VecDotType.F16 && bothNaN(o, t))) {
                    if (mismatches++ < 4) {
                        int e0 = b * type.blockSize();
                        report.append(String.format("  row %d block %d%n    ggml  %s%n    Vireo %s%n    input %s%n", row,
                                b, hex(t), hex(o), Arrays.toString(Arrays.copyOfRange(x, e0, e0 + type.blockSize()))));
                    }
                }
            }
        }
        if (mismatches > 0) {
            fail(type + ": " + mismatches + " blocks differ from ggml's from_float (" + ggml.variant() + ")\n"
                    + report);
        }
    }

    @Test
    void q8KBsumsAreSumsOfSixteenCodes() {
        float[] x = AwkwardRows.row(new Random(5), 512, false);
        MemorySegment q = ActivationQuantizers.of(VecDotType.Q8_K).quantize(x);
        for (int b = 0; b < 2; b++) {
            for (int g = 0; g < 16; g++) {
                int sum = 0;
                for (int l = 0; l < 16; l++) {
                    sum += q.get(ValueLayout.JAVA_BYTE, 292L * b + 4 + 16 * g + l);
                }
                assertEquals(sum, q.get(Bytes.I16, 292L * b + 260 + 2 * g));
            }
        }
    }

    @Test
    void rejectsPartialBlocksAndShortDestinations() {
        ActivationQuantizer q = ActivationQuantizers.of(VecDotType.Q8_0);
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[33]));
        MemorySegment small = MemorySegment.ofArray(new byte[33]);
        assertThrows(IndexOutOfBoundsException.class, () -> q.quantize(new float[32], 0, 32, small, 0));
    }

    private static boolean bothNaN(byte[] a, byte[] b) {
        short ha = (short) ((a[0] & 0xFF) | (a[1] << 8));
        short hb = (short) ((b[0] & 0xFF) | (b[1] << 8));
        return Float.isNaN(Float.float16ToFloat(ha)) && Float.isNaN(Float.float16ToFloat(hb));
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xFF));
        }
        return s.toString();
    }
}
