/*
 * cuBLASLt (libcublasLt), optional: loaded only where it is installed, for the dense BF16 GEMM of
 * long prefills where a tuned library beats a hand-written tensor-core kernel. For now only the
 * version query is bound, to report what is there.
 *
 * TODO(cuda): bind cublasLtCreate/Destroy, cublasLtMatmulDescCreate/SetAttribute/Destroy,
 * cublasLtMatrixLayoutCreate/Destroy, cublasLtMatmulPreference*, cublasLtMatmulAlgoGetHeuristic and
 * cublasLtMatmul once the prefill GEMM is measured against our own kernel; each entry goes into
 * PROTOTYPES in cublasLt.h's spelling, with its handle and enum types added to CPrototype's table.
 */
package dev.vireo.cuda.ffi;

import java.lang.invoke.MethodHandle;
import java.util.List;

/** Raw downcalls into cuBLASLt, where installed. */
public final class CublasLt {
    private CublasLt() {}

    /** Every bound function, as cublasLt.h declares it. */
    public static final List<CPrototype> PROTOTYPES = List.of(
            "size_t cublasLtGetVersion(void)"
    ).stream().map(CPrototype::parse).toList();

    /** The library, opened on first use (never throws). CUDA 13's name first, then CUDA 12's. */
    public static NativeLibrary library() {
        return Library.INSTANCE;
    }

    private static final class Library {
        static final NativeLibrary INSTANCE = NativeLibrary.load("cuBLASLt",
                List.of("libcublasLt.so.13", "libcublasLt.so.12"), "optional: it comes with the CUDA toolkit's cuBLAS package");
    }

    /** {@code size_t cublasLtGetVersion(void)} */
    public static long cublasLtGetVersion() {
        try {
            return (long) cublasLtGetVersion.HANDLE.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a downcall threw a checked exception", t);
        }
    }

    private static final class cublasLtGetVersion {
        static final MethodHandle HANDLE = library().downcall(PROTOTYPES.getFirst());
    }
}
