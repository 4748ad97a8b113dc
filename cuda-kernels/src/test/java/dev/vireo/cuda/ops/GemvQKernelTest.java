/*
 * gemv_q.cu against core's reference (tag `cuda`), over MatmulConformanceTest's Q8_0 shapes: output
 * rows 1, 31, 33 (and 4097), row lengths 32, 256, 4352, tokens 1, 3, 17 (and 37); random valid
 * weights (RandomBlocks), N(0,1) activations, poisoned outputs.
 *
 * The activation quantization must be exact (Ops.matmul: it moves results by ~1% of their scale),
 * so codes and scales are compared for equality with ActivationQuantizers; the product is held to
 * MatmulConformanceTest.BOUND (NMSE ≤ 1e-10: the only freedom is the order of a float sum).
 */
package dev.vireo.cuda.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.vireo.cuda.DeviceBuffer;
import dev.vireo.ops.ref.RefOps;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.ActivationQuantizers;
import dev.vireo.tensor.quant.VecDotType;
import dev.vireo.testing.Nmse;
import dev.vireo.testing.TestTensors;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GemvQKernelTest extends CudaKernelTestBase {
    static final double BOUND = 1e-10;
    static final RefOps REF = new RefOps();

    private static GemvQ kernels;

    @BeforeAll
    static void load() {
        if (context != null) {
            kernels = new GemvQ(CudaKernels.load(context, "gemv_q"));
        }
    }

    @AfterAll
    static void unload() {
        if (kernels != null) {
            kernels.close();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (int in : new int[] {32, 256, 4352}) {
            for (int out : new int[] {1, 31, 33}) {
                for (int n : new int[] {1, 3, 17}) {
                    all.add(Arguments.of(out, in, n));
                }
            }
        }
        all.add(Arguments.of(4097, 256, 3));
        all.add(Arguments.of(33, 4352, 37));
        return all.stream();
    }

    @ParameterizedTest(name = "Q8_0 [{0}x{1}] x {2} tokens")
    @MethodSource("cases")
    void matchesTheReference(int outDim, int inDim, int n) {
        // MatmulConformanceTest's seed for Q8_0, so both suites see the same data
        Random r = new Random(31L * DType.Q8_0.ordinal() + 1009L * outDim + 17L * inDim + n);
        Tensor w = TestTensors.weight(arena, "w", DType.Q8_0, outDim, inDim, r);
        Tensor x = TestTensors.gaussian(arena, "x", r, 1.0, n, inDim);
        Tensor expected = TestTensors.poisoned(arena, "expected", n, outDim);
        REF.matmul(w, x, expected);
        try (DeviceBuffer dw = upload(w); DeviceBuffer dx = upload(x);
             DeviceBuffer codes = poisoned(GemvQ.codesBytes(n, inDim));
             DeviceBuffer scales = poisoned(GemvQ.scalesBytes(n, inDim));
             DeviceBuffer out = poisoned(4L * n * outDim)) {
            kernels.quantizeQ8_0(stream, dx, n, inDim, codes, scales);
            checkQuantization(x, codes, scales, n, inDim);
            kernels.gemvQ8_0(stream, dw, outDim, inDim, codes, scales, n, out);
            Nmse.assertBelow("gemv_q8_0 [" + outDim + "x" + inDim + "] x" + n, download(out, n, outDim), expected, BOUND);
        }
    }

    /** The device's codes and scales equal ActivationQuantizers' Q8_0 blocks {f16 d, int8 q[32]}. */
    private void checkQuantization(Tensor x, DeviceBuffer codes, DeviceBuffer scales, int n, int k) {
        MemorySegment q = arena.allocate(GemvQ.codesBytes(n, k));
        MemorySegment d = arena.allocate(GemvQ.scalesBytes(n, k));
        stream.download(codes, q);
        stream.download(scales, d);
        stream.synchronize();
        int nb = k / 32;
        byte[] expectedCodes = new byte[n * k];
        float[] expectedScales = new float[n * nb];
        for (int t = 0; t < n; t++) {
            MemorySegment blocks = ActivationQuantizers.of(VecDotType.Q8_0).quantize(x.select(t).toFloatArray());
            for (int b = 0; b < nb; b++) {
                long off = 34L * b;
                expectedScales[t * nb + b] = Float.float16ToFloat(blocks.get(ValueLayout.JAVA_SHORT_UNALIGNED, off));
                MemorySegment.copy(blocks, ValueLayout.JAVA_BYTE, off + 2, expectedCodes, t * k + 32 * b, 32);
            }
        }
        assertArrayEquals(expectedCodes, q.toArray(ValueLayout.JAVA_BYTE), "quantize_q8_0_f32 codes");
        assertArrayEquals(expectedScales, d.toArray(ValueLayout.JAVA_FLOAT), "quantize_q8_0_f32 scales");
    }
}
