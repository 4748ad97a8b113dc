/*
 * Finds the kernels this build packaged (the fatbins cuda-kernels/build.sh wrote under
 * dev/vireo/cuda/kernels, and kernels.properties saying what they were built with) and loads them
 * into a context. Where a kernel cannot run the message says why and what to do: the build had no
 * nvcc, the GPU is older than the architectures compiled for, or the driver is older than the
 * toolkit that compiled them.
 *
 * Tested without a GPU by KernelResourcesTest (what was packaged), with one by the kernel tests.
 */
package dev.vireo.cuda.ops;

import dev.vireo.cuda.CudaContext;
import dev.vireo.cuda.CudaException;
import dev.vireo.cuda.CudaModule;
import dev.vireo.cuda.CudaUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/** The packaged CUDA kernels. */
public final class CudaKernels {
    private CudaKernels() {}

    /** The resource directory of the fatbins. */
    static final String DIR = "/dev/vireo/cuda/kernels/";

    /** CUresults of cuModuleLoadData that mean "this image cannot run here". */
    private static final int NO_BINARY_FOR_GPU = 209;
    private static final int UNSUPPORTED_PTX_VERSION = 222;

    private static final String HOW_TO_BUILD = "install the CUDA toolkit (nvcc 12.0 or newer; set CUDA_HOME if it is"
            + " not on the PATH) and rebuild: ./mvnw -pl cuda-kernels -am package";

    /** What build.sh recorded (nvcc, sass, ptx, modules), or empty if the build had no nvcc. */
    public static Optional<Properties> buildInfo() {
        try (InputStream in = CudaKernels.class.getResourceAsStream(DIR + "kernels.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(in);
            return Optional.of(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fatbin of module {@code stem} ("rms_norm"), if this build has it. */
    static Optional<byte[]> image(String stem) {
        try (InputStream in = CudaKernels.class.getResourceAsStream(DIR + stem + ".fatbin")) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads module {@code stem} (the .cu file's name without extension) into {@code context}.
     *
     * @throws CudaUnavailableException if this build has no such kernels, or they cannot run on
     *     this GPU or driver; the message says what to do
     */
    public static CudaModule load(CudaContext context, String stem) {
        byte[] image = image(stem).orElseThrow(() -> new CudaUnavailableException(buildInfo().isEmpty()
                ? "this build of Vireo has no CUDA kernels (nvcc was not found when vireo-cuda-kernels was built): "
                        + HOW_TO_BUILD
                : "this build of Vireo has no CUDA module " + stem + " (built: " + buildInfo().get().getProperty("modules")
                        + ")"));
        try {
            return context.loadModule(stem, image);
        } catch (CudaException e) {
            String built = buildInfo().map(p -> "SASS for " + p.getProperty("sass") + " and PTX for " + p.getProperty("ptx")
                    + ", by nvcc " + p.getProperty("nvcc")).orElse("unknown targets");
            if (e.code() == NO_BINARY_FOR_GPU) {
                throw new CudaUnavailableException("Vireo's CUDA kernels cannot run on " + context.device() + ": they hold "
                        + built + ". Vireo's kernels need an sm_80 (Ampere) or newer GPU");
            }
            if (e.code() == UNSUPPORTED_PTX_VERSION) {
                throw new CudaUnavailableException("the NVIDIA driver is older than the CUDA toolkit that built Vireo's"
                        + " kernels (" + built + "): update the driver, or rebuild the kernels with an older toolkit");
            }
            throw e;
        }
    }
}
