/*
 * Shared set-up of the kernel tests (tag `cuda`): a context and a stream on device 0 for the class,
 * opened only where CUDA is available (each test is then skipped with the reason, so the report shows
 * why, and fails instead with -Dvireo.cuda.required=true; subclasses load their kernels only if
 * context is not null); helpers that upload a core Tensor, allocate NaN-poisoned
 * outputs (every byte 0xFF is a NaN float, so an element a kernel forgets to write fails the
 * comparison), and download results as Tensors for Nmse.
 */
package dev.vireo.cuda.ops;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vireo.cuda.Cuda;
import dev.vireo.cuda.CudaContext;
import dev.vireo.cuda.CudaStream;
import dev.vireo.cuda.DeviceBuffer;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

@Tag("cuda")
abstract class CudaKernelTestBase {
    static CudaContext context;
    static CudaStream stream;
    Arena arena;

    /** Set on GPU machines (tools/gpu/cuda-tests.sh): a skip for want of CUDA is then a failure. */
    static final String REQUIRED = "vireo.cuda.required";

    @BeforeAll
    static void openContext() {
        if (!Cuda.available() && Boolean.getBoolean(REQUIRED)) {
            fail("-D" + REQUIRED + "=true but no CUDA: " + Cuda.status().reason());
        }
        if (Cuda.available()) {
            context = CudaContext.open(0);
            stream = context.newStream();
        }
    }

    @AfterAll
    static void closeContext() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @BeforeEach
    void openArena() {
        assumeTrue(context != null, () -> "no CUDA: " + Cuda.status().reason());
        arena = Arena.ofConfined();
    }

    @AfterEach
    void closeArena() {
        if (arena != null) {
            arena.close();
        }
    }

    /** A device copy of {@code t}'s bytes. */
    static DeviceBuffer upload(Tensor t) {
        DeviceBuffer b = context.allocate(t.data().byteSize());
        stream.upload(t.data(), b);
        return b;
    }

    /** {@code bytes} of device memory, every byte 0xFF (NaN as F32). */
    static DeviceBuffer poisoned(long bytes) {
        DeviceBuffer b = context.allocate(bytes);
        stream.fill(b, (byte) 0xFF);
        return b;
    }

    /** Waits for the stream, then copies an F32 [rows, cols] result back. */
    Tensor download(DeviceBuffer b, int rows, int cols) {
        Tensor t = Tensor.allocateF32(arena, "device", rows, cols);
        stream.download(b.slice(0, t.data().byteSize()), t.data());
        stream.synchronize();
        return t;
    }
}
