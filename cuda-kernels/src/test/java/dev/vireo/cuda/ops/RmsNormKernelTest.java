/*
 * rms_norm.cu against RefOps (tag `cuda`) over the CPU conformance suite's shapes — rows 1, 3, 17 ×
 * widths 1, 31, 33, 4097 — with seeded inputs and poisoned outputs. Bounds are the CPU suite's:
 * NMSE ≤ 1e-12 for the norm (VectorOpsConformanceTest.RMS_NORM: float sums of ≤ 4097 squares), and
 * ≤ 1e-14 for the fused kernel's residual (ONE_ROUNDING: one float addition per element).
 */
package dev.vireo.cuda.ops;

import dev.vireo.cuda.DeviceBuffer;
import dev.vireo.ops.ref.RefOps;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.Nmse;
import dev.vireo.testing.TestTensors;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RmsNormKernelTest extends CudaKernelTestBase {
    static final double RMS_NORM = 1e-12;
    static final double ONE_ROUNDING = 1e-14;
    static final float EPS = 1e-5f;
    static final RefOps REF = new RefOps();

    private static RmsNorm kernels;

    @BeforeAll
    static void load() {
        if (context != null) {
            kernels = new RmsNorm(CudaKernels.load(context, "rms_norm"));
        }
    }

    @AfterAll
    static void unload() {
        if (kernels != null) {
            kernels.close();
        }
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"1,1", "3,1", "17,1", "1,31", "3,31", "17,31", "1,33", "3,33", "17,33", "1,4097", "3,4097", "17,4097"})
    void rmsNormMatchesTheReference(int rows, int dim) {
        Random r = new Random(7919L * rows + dim);
        Tensor x = TestTensors.gaussian(arena, "x", r, 3.0, rows, dim);
        Tensor g = TestTensors.weight(arena, "g", DType.F32, 1, dim, r).reshape(dim);
        Tensor expected = TestTensors.poisoned(arena, "expected", rows, dim);
        REF.rmsNorm(x, g, EPS, expected);
        try (DeviceBuffer dx = upload(x); DeviceBuffer dg = upload(g); DeviceBuffer out = poisoned(4L * rows * dim)) {
            kernels.rmsNorm(stream, dx, dg, EPS, out, rows, dim);
            Nmse.assertBelow("rms_norm_f32 " + rows + "x" + dim, download(out, rows, dim), expected, RMS_NORM);
            kernels.rmsNorm(stream, dx, dg, EPS, dx, rows, dim); // in place
            Nmse.assertBelow("rms_norm_f32 in place " + rows + "x" + dim, download(dx, rows, dim), expected, RMS_NORM);
        }
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"1,1", "3,1", "17,1", "1,31", "3,31", "17,31", "1,33", "3,33", "17,33", "1,4097", "3,4097", "17,4097"})
    void fusedAddRmsNormMatchesAddThenRmsNorm(int rows, int dim) {
        Random r = new Random(104729L * rows + dim);
        Tensor x = TestTensors.gaussian(arena, "x", r, 3.0, rows, dim);
        Tensor delta = TestTensors.gaussian(arena, "delta", r, 1.0, rows, dim);
        Tensor g = TestTensors.weight(arena, "g", DType.F32, 1, dim, r).reshape(dim);
        Tensor residual = TestTensors.poisoned(arena, "residual", rows, dim);
        Tensor expected = TestTensors.poisoned(arena, "expected", rows, dim);
        REF.add(x, delta, residual);
        REF.rmsNorm(residual, g, EPS, expected);
        try (DeviceBuffer dx = upload(x); DeviceBuffer dd = upload(delta); DeviceBuffer dg = upload(g);
             DeviceBuffer out = poisoned(4L * rows * dim)) {
            kernels.addRmsNorm(stream, dx, dd, dg, EPS, out, rows, dim);
            Nmse.assertBelow("add_rms_norm_f32 " + rows + "x" + dim, download(out, rows, dim), expected, RMS_NORM);
            Nmse.assertBelow("add_rms_norm_f32 residual " + rows + "x" + dim, download(dx, rows, dim), residual,
                    ONE_ROUNDING);
        }
    }
}
