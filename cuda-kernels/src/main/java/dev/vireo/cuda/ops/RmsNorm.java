/*
 * Launcher of rms_norm.cu: checks shapes and buffer sizes, picks the grid (one block per row) and
 * the block (the row length rounded up to a warp, at most 1024 threads), and launches.
 * Reference: Ops.rmsNorm and Ops.add. Tested against RefOps by RmsNormKernelTest (tag `cuda`) and,
 * for the shape rules, by LaunchShapesTest.
 */
package dev.vireo.cuda.ops;

import static dev.vireo.cuda.KernelArgs.Kind.F32;
import static dev.vireo.cuda.KernelArgs.Kind.I32;
import static dev.vireo.cuda.KernelArgs.Kind.PTR;

import dev.vireo.cuda.CudaFunction;
import dev.vireo.cuda.CudaModule;
import dev.vireo.cuda.CudaStream;
import dev.vireo.cuda.DeviceBuffer;
import dev.vireo.cuda.Dim3;
import dev.vireo.cuda.KernelArgs;
import java.util.List;

/** RMSNorm kernels, plain and fused with the residual add. Not thread-safe: one per stream. */
public final class RmsNorm implements AutoCloseable {
    static final KernelSignature RMS_NORM_F32 = new KernelSignature("rms_norm_f32", PTR, PTR, PTR, I32, F32);
    static final KernelSignature ADD_RMS_NORM_F32 = new KernelSignature("add_rms_norm_f32", PTR, PTR, PTR, PTR, I32, F32);
    /** Every kernel of rms_norm.cu. */
    static final List<KernelSignature> KERNELS = List.of(RMS_NORM_F32, ADD_RMS_NORM_F32);

    private final CudaFunction plain;
    private final CudaFunction fused;
    private final KernelArgs args = new KernelArgs(6);

    /** @param module the loaded rms_norm module (CudaKernels.load(context, "rms_norm")) */
    public RmsNorm(CudaModule module) {
        this.plain = module.function(RMS_NORM_F32.name());
        this.fused = module.function(ADD_RMS_NORM_F32.name());
    }

    /** Threads per block for rows of {@code dim}: a whole number of warps, at most 1024. */
    static int threadsFor(int dim) {
        return Math.min(1024, (dim + 31) / 32 * 32);
    }

    /**
     * {@code out = x / sqrt(mean(x²) + eps) · w} per row. x, out [rows, dim] F32 (out may be x); w [dim] F32.
     */
    public void rmsNorm(CudaStream stream, DeviceBuffer x, DeviceBuffer w, float eps, DeviceBuffer out, int rows,
            int dim) {
        checkShape(rows, dim);
        checkF32("x", x, (long) rows * dim);
        checkF32("weight", w, dim);
        checkF32("out", out, (long) rows * dim);
        plain.launch(stream, Dim3.of(rows), Dim3.of(threadsFor(dim)), 0,
                RMS_NORM_F32.check(args.clear().ptr(x).ptr(w).ptr(out).i32(dim).f32(eps)));
    }

    /**
     * {@code x += delta}, then {@code out = x / sqrt(mean(x²) + eps) · w} per row, in one pass.
     * x, delta, out [rows, dim] F32 (out may be delta, not x); w [dim] F32.
     */
    public void addRmsNorm(CudaStream stream, DeviceBuffer x, DeviceBuffer delta, DeviceBuffer w, float eps,
            DeviceBuffer out, int rows, int dim) {
        checkShape(rows, dim);
        checkF32("x", x, (long) rows * dim);
        checkF32("delta", delta, (long) rows * dim);
        checkF32("weight", w, dim);
        checkF32("out", out, (long) rows * dim);
        if (out.address() == x.address()) {
            throw new IllegalArgumentException("addRmsNorm: out may not alias x (x is the updated residual)");
        }
        fused.launch(stream, Dim3.of(rows), Dim3.of(threadsFor(dim)), 0,
                ADD_RMS_NORM_F32.check(args.clear().ptr(x).ptr(delta).ptr(w).ptr(out).i32(dim).f32(eps)));
    }

    static void checkShape(int rows, int dim) {
        if (rows < 1 || dim < 1) {
            throw new IllegalArgumentException("rmsNorm of " + rows + " rows of " + dim + " values");
        }
    }

    static void checkF32(String what, DeviceBuffer b, long elements) {
        checkBytes(what, b.byteSize(), 4 * elements);
    }

    /** @throws IllegalArgumentException if a buffer of {@code have} bytes is smaller than {@code need} */
    static void checkBytes(String what, long have, long need) {
        if (have < need) {
            throw new IllegalArgumentException(what + ": buffer of " + have + " bytes, needs " + need);
        }
    }

    @Override
    public void close() {
        args.close();
    }
}
