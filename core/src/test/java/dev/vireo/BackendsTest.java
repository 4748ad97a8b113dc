/*
 * Backend selection (Backends) for every backend with stand-in CUDA probes and providers — no driver,
 * a driver without the CUDA module, both — and on this machine: cuda without CUDA is one
 * BackendUnavailableException naming what is missing, auto quietly picks the CPU, and the driver is
 * not even probed where no CUDA backend could use it.
 */
package dev.vireo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vireo.cuda.Cuda;
import dev.vireo.cuda.CudaStatus;
import dev.vireo.cuda.ffi.CudaDriver;
import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.ops.ref.RefOps;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BackendsTest {
    private static final CudaStatus NO_DRIVER = new CudaStatus(false,
            "the CUDA driver is not available: libcuda.so.1 could not be loaded (install it)", 0, 0);
    private static final CudaStatus ONE_GPU = new CudaStatus(true, "", 13000, 1);
    private static final Supplier<CudaStatus> NOT_PROBED = () -> fail("the CUDA driver was probed");
    private static final Supplier<Optional<BackendProvider>> NO_PROVIDER = Optional::empty;

    /** A stand-in for the CUDA backend that hands out the reference backend. */
    private static final class FakeCuda implements BackendProvider {
        final RefOps ops = new RefOps();

        @Override
        public Backend backend() {
            return Backend.CUDA;
        }

        @Override
        public Ops open(LoadOptions options) {
            return ops;
        }
    }

    private static LoadOptions options(Backend b) {
        return new LoadOptions(b, 1);
    }

    @Test
    void cpuAndReferenceNeverTouchTheDriver() {
        try (Ops cpu = Backends.open(options(Backend.CPU), NOT_PROBED, NO_PROVIDER);
             Ops ref = Backends.open(options(Backend.REFERENCE), NOT_PROBED, NO_PROVIDER)) {
            assertInstanceOf(CpuOps.class, cpu);
            assertInstanceOf(RefOps.class, ref);
        }
    }

    @Test
    void cudaWithoutADriverNamesTheDriver() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.open(options(Backend.CUDA), () -> NO_DRIVER, () -> Optional.of(new FakeCuda())));
        assertEquals("the CUDA backend cannot run here: the CUDA driver is not available: libcuda.so.1 could not be"
                + " loaded (install it). The cpu backend (--backend cpu) runs anywhere.", e.getMessage());
    }

    @Test
    void cudaWithADriverButNoBackendModuleNamesTheModule() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.open(options(Backend.CUDA), () -> ONE_GPU, NO_PROVIDER));
        assertEquals("CUDA 13.0 with 1 GPU(s) found, but this build has no CUDA backend (the vireo-cuda-kernels module"
                + " is not on the class path). Use --backend cpu.", e.getMessage());
    }

    @Test
    void cudaWithBothOpensTheProvider() {
        FakeCuda cuda = new FakeCuda();
        assertSame(cuda.ops, Backends.open(options(Backend.CUDA), () -> ONE_GPU, () -> Optional.of(cuda)));
        assertSame(cuda.ops, Backends.open(options(Backend.AUTO), () -> ONE_GPU, () -> Optional.of(cuda)));
    }

    @Test
    void autoFallsBackToTheCpuQuietly() {
        try (Ops noModule = Backends.open(options(Backend.AUTO), NOT_PROBED, NO_PROVIDER);
             Ops noDriver = Backends.open(options(Backend.AUTO), () -> NO_DRIVER, () -> Optional.of(new FakeCuda()))) {
            assertInstanceOf(CpuOps.class, noModule);
            assertInstanceOf(CpuOps.class, noDriver);
        }
    }

    @Test
    void onThisMachine() {
        try (Ops auto = Backends.open(options(Backend.AUTO))) {
            // no CUDA backend module is on core's class path, so auto is the CPU everywhere
            assertInstanceOf(CpuOps.class, auto);
        }
        assumeFalse(Cuda.available(), "this machine has CUDA");
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.open(options(Backend.CUDA)));
        assertTrue(e.getMessage().contains(Cuda.status().reason()), e.getMessage());
        if (!CudaDriver.library().isLoaded()) {
            assertTrue(e.getMessage().contains("libcuda.so.1"), e.getMessage());
        }
    }
}
