/*
 * The CPU backend's vectorised activation conversion (Activations) against the reference activation
 * quantizers, bit for bit: for every vec_dot type, both forms (codes for the integer kernels,
 * dequantized values for the float tiles) and both code orders, on awkward rows (AwkwardRows: ties,
 * zeros, subnormals, near FLT_MAX, NaN and infinities, which take the scalar fallback). Expected
 * arrays are read straight from the reference bytes.
 */
package dev.vireo.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.tensor.quant.ActivationQuantizers;
import dev.vireo.tensor.quant.VecDotType;
import dev.vireo.testing.AwkwardRows;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CpuActivationsTest {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest
    @EnumSource(VecDotType.class)
    void matchesTheReferenceQuantizer(VecDotType type) {
        int rows = 5;
        int cols = 1024;
        Random r = new Random(17L * type.ordinal() + 1);
        float[] x = new float[rows * cols];
        for (int t = 0; t < rows; t++) {
            System.arraycopy(AwkwardRows.row(r, cols, t % 2 == 1), 0, x, t * cols, cols);
        }
        MemorySegment xs = MemorySegment.ofArray(x.clone());
        Activations a = new Activations();
        for (Activations.Form form : Activations.Form.values()) {
            for (Activations.Order order : Activations.Order.values()) {
                // Reuse one instance across calls, as CpuOps does: stale contents must not leak.
                a.convert(xs, rows, cols, type, form, order);
                check(type, form, order, x, rows, cols, a);
            }
        }
    }

    private static void check(VecDotType type, Activations.Form form, Activations.Order order, float[] x, int rows,
            int cols, Activations a) {
        String what = type + " " + form + " " + order;
        int n = type.blockSize();
        int blocksPerRow = cols / n;
        for (int t = 0; t < rows; t++) {
            MemorySegment ref = ActivationQuantizers.of(type).quantize(java.util.Arrays.copyOfRange(x, t * cols,
                    (t + 1) * cols));
            for (int i = 0; i < cols; i++) {
                int at = t * cols + i;
                if (!type.isQuantized()) {
                    float expected = switch (type) {
                        case F32 -> ref.get(F32, 4L * i);
                        case F16 -> Float.float16ToFloat(ref.get(I16, 2L * i));
                        default -> Float.intBitsToFloat((ref.get(I16, 2L * i) & 0xFFFF) << 16);
                    };
                    same(what + " value " + at + " of " + x[at], expected, a.values[at]);
                    continue;
                }
                long b = (long) (i / n) * type.blockBytes();
                int j = i % n;
                int qs = type == VecDotType.Q8_0 ? 2 : 4;
                int q = ref.get(ValueLayout.JAVA_BYTE, b + qs + j);
                float d = type == VecDotType.Q8_K ? ref.get(F32, b) : Float.float16ToFloat(ref.get(I16, b));
                if (form == Activations.Form.VALUES) {
                    same(what + " value " + at, d * q, a.values[at]);
                } else {
                    int pos = order == Activations.Order.NATURAL || n != 32 ? j : j < 16 ? 2 * j : 2 * (j - 16) + 1;
                    assertEquals(q, a.codes[at - j + pos], what + " code " + at);
                }
            }
            for (int k = 0; k < blocksPerRow; k++) {
                long b = (long) k * type.blockBytes();
                int block = t * blocksPerRow + k;
                if (!type.isQuantized()) {
                    continue;
                }
                float d = type == VecDotType.Q8_K ? ref.get(F32, b) : Float.float16ToFloat(ref.get(I16, b));
                int total = 0;
                for (int j = 0; j < n; j++) {
                    total += ref.get(ValueLayout.JAVA_BYTE, b + (type == VecDotType.Q8_0 ? 2 : 4) + j);
                }
                if (form == Activations.Form.CODES) {
                    same(what + " scale " + block, d, a.scales[block]);
                }
                if (type == VecDotType.Q8_1) {
                    float s = Float.float16ToFloat(ref.get(I16, b + 2));
                    same(what + " s " + block, form == Activations.Form.CODES ? s : (float) (s - (double) d * total),
                            a.sums[block]);
                }
                if (type == VecDotType.Q8_K && form == Activations.Form.CODES) {
                    for (int s = 0; s < 8; s++) {
                        int sum = ref.get(I16, b + 260 + 4L * s) + ref.get(I16, b + 262 + 4L * s);
                        assertEquals(sum, a.subBlockSums[8 * block + s], what + " sub-block sum " + (8 * block + s));
                    }
                }
            }
        }
    }

    private static void same(String what, float expected, float actual) {
        if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(actual)) {
            fail(what + ": expected " + expected + " (0x" + Integer.toHexString(Float.floatToRawIntBits(expected))
                    + ") but was " + actual + " (0x" + Integer.toHexString(Float.floatToRawIntBits(actual)) + ")");
        }
    }
}
