/*
 * RefOps' matmul against the most direct reading of Ops.matmul's definition: the weight dequantized
 * by the reference codec, the activation converted by the reference activation quantizer and
 * dequantized (d·q), and the two multiplied in double. Integer block arithmetic (BlockDots) and this
 * must agree: they are the same sum grouped differently, up to two known gaps — the float rounding
 * of the dequantized k-quant weights (d·sc·q − dmin·m, Q6_K's d·sc·q: ≤ 2^-24 relative each), and
 * Q4_1/Q5_1's bias, which ggml takes from the activation's stored s = f16(d·Σq) rather than d·Σq,
 * added here explicitly. Bound: NMSE ≤ 1e-12 (the weight rounding gives ~1e-15; a single wrongly
 * read code, ~1e-5).
 */
package dev.vireo.ops.ref;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.ActivationQuantizers;
import dev.vireo.tensor.quant.Codecs;
import dev.vireo.tensor.quant.VecDotType;
import dev.vireo.testing.Nmse;
import dev.vireo.testing.TestTensors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RefMatmulTest {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
        "MXFP4", "Q4_K", "Q5_K", "Q6_K"})
    void equalsDequantizedWeightTimesDequantizedActivation(DType type) {
        int rows = 19;
        int in = 1024;
        int n = 3;
        Random r = new Random(type.ordinal() * 101L + 3);
        try (Arena arena = Arena.ofConfined()) {
            Tensor w = TestTensors.weight(arena, "w", type, rows, in, r);
            Tensor x = TestTensors.gaussian(arena, "x", r, 1.0, n, in);
            Tensor out = TestTensors.poisoned(arena, "out", n, rows);
            new RefOps().matmul(w, x, out);

            VecDotType vt = VecDotType.forWeight(type);
            float[] expected = new float[n * rows];
            for (int t = 0; t < n; t++) {
                float[] xt = new float[in];
                MemorySegment.copy(x.data(), ValueLayout.JAVA_FLOAT, 4L * t * in, xt, 0, in);
                MemorySegment a = ActivationQuantizers.of(vt).quantize(xt);
                double[] xd = dequantize(vt, a, in);
                for (int o = 0; o < rows; o++) {
                    float[] wo = Codecs.decoder(type).decode(w.data(), o * w.rowBytes(), in);
                    double sum = 0;
                    for (int i = 0; i < in; i++) {
                        sum += wo[i] * xd[i];
                    }
                    if (vt == VecDotType.Q8_1) {
                        sum += q8_1BiasCorrection(type, w.data(), o * w.rowBytes(), a, in);
                    }
                    expected[t * rows + o] = (float) sum;
                }
            }
            Nmse.assertBelow("ref matmul " + type, out.toFloatArray(), expected, 1e-12);
        }
    }

    /** The activation values the codes stand for: d·q per block, or the rounded floats. */
    private static double[] dequantize(VecDotType vt, MemorySegment a, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            long block = (long) (i / vt.blockSize()) * vt.blockBytes();
            int j = i % vt.blockSize();
            v[i] = switch (vt) {
                case F32 -> a.get(F32, 4L * i);
                case F16 -> Float.float16ToFloat(a.get(I16, 2L * i));
                case BF16 -> Float.intBitsToFloat((a.get(I16, 2L * i) & 0xFFFF) << 16);
                case Q8_0 -> Float.float16ToFloat(a.get(I16, block)) * (double) a.get(ValueLayout.JAVA_BYTE, block + 2 + j);
                case Q8_1 -> Float.float16ToFloat(a.get(I16, block)) * (double) a.get(ValueLayout.JAVA_BYTE, block + 4 + j);
                case Q8_K -> a.get(F32, block) * (double) a.get(ValueLayout.JAVA_BYTE, block + 4 + j);
            };
        }
        return v;
    }

    /** Σ_b m_b·(s_b − d_b·Σq_b): the definition's bias term minus what dequantized products give. */
    private static double q8_1BiasCorrection(DType type, MemorySegment w, long row, MemorySegment a, int n) {
        double c = 0;
        for (int b = 0; b < n / 32; b++) {
            double m = Float.float16ToFloat(w.get(I16, row + (long) b * type.blockBytes() + 2));
            long ab = 36L * b;
            long sumQ = 0;
            for (int j = 0; j < 32; j++) {
                sumQ += a.get(ValueLayout.JAVA_BYTE, ab + 4 + j);
            }
            c += m * (Float.float16ToFloat(a.get(I16, ab + 2)) - Float.float16ToFloat(a.get(I16, ab)) * (double) sumQ);
        }
        return c;
    }
}
