/*
 * Backend selection: which Ops a LoadOptions.backend() gets.
 *
 *   cpu, reference  always available.
 *   cuda            the CUDA driver must load and report a GPU, and the CUDA backend
 *                   (vireo-cuda-kernels, found through BackendProvider) must be on the class path;
 *                   otherwise one BackendUnavailableException naming what is missing.
 *   auto            CUDA when both are there, the CPU otherwise, quietly: a machine without a GPU
 *                   is the normal case for automatic selection, not a condition worth a warning.
 *                   Once CUDA is chosen its failures are thrown, never hidden by a CPU fallback.
 *
 * The driver is probed only when a CUDA backend could use it (never for cpu/reference, and for auto
 * only if a provider is present), so CPU users never load libcuda.
 *
 * Tested by BackendsTest (every case with stand-in probes and providers, and this machine's own).
 */
package dev.vireo;

import dev.vireo.cuda.Cuda;
import dev.vireo.cuda.CudaStatus;
import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.ops.ref.RefOps;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/** Chooses and opens the backend for a model. */
final class Backends {
    private Backends() {}

    /** Opens the backend {@code options} asks for, on this machine. */
    static Ops open(LoadOptions options) {
        return open(options, Cuda::status, () -> provider(Backend.CUDA));
    }

    /** {@link #open(LoadOptions)} with the CUDA probe and the provider lookup supplied (for tests). */
    static Ops open(LoadOptions options, Supplier<CudaStatus> cuda, Supplier<Optional<BackendProvider>> cudaProvider) {
        return switch (options.backend()) {
            case CPU -> cpu(options);
            case REFERENCE -> new RefOps();
            case CUDA -> {
                CudaStatus status = cuda.get();
                if (!status.available()) {
                    throw new BackendUnavailableException("the CUDA backend cannot run here: " + status.reason()
                            + ". The cpu backend (--backend cpu) runs anywhere.");
                }
                BackendProvider p = cudaProvider.get().orElseThrow(() -> new BackendUnavailableException(
                        "CUDA " + status.driverVersionText() + " with " + status.deviceCount() + " GPU(s) found, but this"
                                + " build has no CUDA backend (the vireo-cuda-kernels module is not on the class path)."
                                + " Use --backend cpu."));
                yield p.open(options);
            }
            case AUTO -> {
                Optional<BackendProvider> p = cudaProvider.get();
                yield p.isPresent() && cuda.get().available() ? p.get().open(options) : cpu(options);
            }
        };
    }

    private static Ops cpu(LoadOptions options) {
        int threads = options.threads() == 0 ? Runtime.getRuntime().availableProcessors() : options.threads();
        return new CpuOps(threads, options.batchInvariant());
    }

    /** The provider of {@code backend} on the class path, if any (the first, if several). */
    static Optional<BackendProvider> provider(Backend backend) {
        return ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.backend() == backend).findFirst();
    }
}
