/*
 * Launcher of gemv_q.cu: quantized matrix-vector products for decode, computed as Ops.matmul
 * defines them (activations quantized on the device to the weight's vec_dot type first). Checks
 * shapes and buffer sizes and picks the grids; the activation codes and scales are scratch buffers
 * the caller owns and reuses (codesBytes / scalesBytes say how big).
 * Reference: Ops.matmul, ActivationQuantizers. Tested against RefOps by GemvQKernelTest (tag `cuda`)
 * and, for the shape rules, by LaunchShapesTest.
 */
package dev.vireo.cuda.ops;

import static dev.vireo.cuda.KernelArgs.Kind.I32;
import static dev.vireo.cuda.KernelArgs.Kind.I64;
import static dev.vireo.cuda.KernelArgs.Kind.PTR;
import static dev.vireo.cuda.ops.RmsNorm.checkBytes;

import dev.vireo.cuda.CudaFunction;
import dev.vireo.cuda.CudaModule;
import dev.vireo.cuda.CudaStream;
import dev.vireo.cuda.DeviceBuffer;
import dev.vireo.cuda.Dim3;
import dev.vireo.cuda.KernelArgs;
import java.util.List;

/** Quantized GEMV kernels. Not thread-safe: one per stream. */
public final class GemvQ implements AutoCloseable {
    /** Output rows per thread block of gemv_q8_0 (GEMV_ROWS in gemv_q.cu). */
    static final int ROWS_PER_BLOCK = 4;
    /** Q8_0 blocks quantized per thread block of quantize_q8_0_f32 (one per warp of 256 threads). */
    static final int QUANT_BLOCKS_PER_BLOCK = 8;
    /** Bytes of a ggml Q8_0 block: f16 scale and 32 codes. */
    static final int Q8_0_BLOCK_BYTES = 34;

    static final KernelSignature QUANTIZE_Q8_0_F32 = new KernelSignature("quantize_q8_0_f32", PTR, PTR, PTR, I64);
    static final KernelSignature GEMV_Q8_0 = new KernelSignature("gemv_q8_0", PTR, PTR, PTR, PTR, I32, I32);
    /** Every kernel of gemv_q.cu. */
    static final List<KernelSignature> KERNELS = List.of(QUANTIZE_Q8_0_F32, GEMV_Q8_0);

    private final CudaFunction quantizeQ8_0;
    private final CudaFunction gemvQ8_0;
    private final KernelArgs args = new KernelArgs(6);

    /** @param module the loaded gemv_q module (CudaKernels.load(context, "gemv_q")) */
    public GemvQ(CudaModule module) {
        this.quantizeQ8_0 = module.function(QUANTIZE_Q8_0_F32.name());
        this.gemvQ8_0 = module.function(GEMV_Q8_0.name());
    }

    /** Bytes of the activation codes of {@code rows} rows of {@code k} values. */
    public static long codesBytes(int rows, int k) {
        return (long) rows * k;
    }

    /** Bytes of the activation scales of {@code rows} rows of {@code k} values. */
    public static long scalesBytes(int rows, int k) {
        return 4L * rows * (k / 32);
    }

    /**
     * Quantizes {@code x} [rows, k] F32 to Q8_0 codes [rows, k] int8 and scales [rows, k/32] F32,
     * bit for bit as ggml's CPU backend does.
     */
    public void quantizeQ8_0(CudaStream stream, DeviceBuffer x, int rows, int k, DeviceBuffer codes, DeviceBuffer scales) {
        checkQ8_0(rows, k);
        checkBytes("x", x.byteSize(), 4L * rows * k);
        checkBytes("codes", codes.byteSize(), codesBytes(rows, k));
        checkBytes("scales", scales.byteSize(), scalesBytes(rows, k));
        long blocks = (long) rows * (k / 32);
        quantizeQ8_0.launch(stream, Dim3.of(quantizeGrid(blocks)), Dim3.of(32 * QUANT_BLOCKS_PER_BLOCK), 0,
                QUANTIZE_Q8_0_F32.check(args.clear().ptr(x).ptr(codes).ptr(scales).i64(blocks)));
    }

    /**
     * {@code out[t, o] = Σ w[o, :]·x[t, :]} for Q8_0 weights w [m, k] (ggml's layout) and the n
     * activation rows quantized by {@link #quantizeQ8_0}; out [n, m] F32.
     */
    public void gemvQ8_0(CudaStream stream, DeviceBuffer w, int m, int k, DeviceBuffer codes, DeviceBuffer scales, int n,
            DeviceBuffer out) {
        checkGemv(m, k, n);
        checkBytes("weight", w.byteSize(), weightBytes(m, k));
        checkBytes("codes", codes.byteSize(), codesBytes(n, k));
        checkBytes("scales", scales.byteSize(), scalesBytes(n, k));
        checkBytes("out", out.byteSize(), 4L * n * m);
        gemvQ8_0.launch(stream, Dim3.of((m + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, n), new Dim3(32, ROWS_PER_BLOCK, 1), 0,
                GEMV_Q8_0.check(args.clear().ptr(w).ptr(codes).ptr(scales).ptr(out).i32(m).i32(k)));
    }

    /** Bytes of a Q8_0 weight [m, k]. */
    static long weightBytes(int m, int k) {
        return (long) m * (k / 32) * Q8_0_BLOCK_BYTES;
    }

    static int quantizeGrid(long blocks) {
        long grid = (blocks + QUANT_BLOCKS_PER_BLOCK - 1) / QUANT_BLOCKS_PER_BLOCK;
        if (grid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("quantize_q8_0: " + blocks + " blocks is too many for one launch");
        }
        return (int) grid;
    }

    static void checkQ8_0(int rows, int k) {
        if (rows < 1 || k < 32 || k % 32 != 0) {
            throw new IllegalArgumentException("Q8_0 rows must hold whole 32-value blocks: " + rows + " rows of " + k);
        }
    }

    static void checkGemv(int m, int k, int n) {
        checkQ8_0(n, k);
        if (m < 1) {
            throw new IllegalArgumentException("gemv_q8_0 with " + m + " output rows");
        }
        if (n > 65535) {
            throw new IllegalArgumentException("gemv_q8_0 takes at most 65535 tokens per launch (the grid's y limit), got " + n);
        }
    }

    @Override
    public void close() {
        args.close();
    }
}
