/*
 * NVRTC (libnvrtc, the runtime CUDA C++ compiler), optional: loaded only where it is installed, so
 * that a later kernel variant can be compiled on the user's machine for a GPU the shipped fatbin
 * has no code for. For now only the version query is bound, to report what is there.
 *
 * TODO(cuda): bind nvrtcCreateProgram, nvrtcCompileProgram, nvrtcGetProgramLog(Size),
 * nvrtcGetCUBIN(Size), nvrtcDestroyProgram when a kernel needs run-time compilation; each entry
 * goes into PROTOTYPES in nvrtc.h's spelling, as in CudaDriver.
 */
package dev.vireo.cuda.ffi;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** Raw downcalls into NVRTC, where installed. */
public final class Nvrtc {
    private Nvrtc() {}

    /** Every bound function, as nvrtc.h declares it. */
    public static final List<CPrototype> PROTOTYPES = List.of(
            "nvrtcResult nvrtcVersion(int *major, int *minor)"
    ).stream().map(CPrototype::parse).toList();

    public static final int NVRTC_SUCCESS = 0;

    /** The library, opened on first use (never throws). CUDA 13's name first, then CUDA 12's. */
    public static NativeLibrary library() {
        return Library.INSTANCE;
    }

    private static final class Library {
        static final NativeLibrary INSTANCE = NativeLibrary.load("NVRTC", List.of("libnvrtc.so.13", "libnvrtc.so.12"),
                "optional: it comes with the CUDA toolkit's nvrtc package");
    }

    /** {@code nvrtcResult nvrtcVersion(int *major, int *minor)} */
    public static int nvrtcVersion(MemorySegment major, MemorySegment minor) {
        try {
            return (int) nvrtcVersion.HANDLE.invokeExact(major, minor);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a downcall threw a checked exception", t);
        }
    }

    private static final class nvrtcVersion {
        static final MethodHandle HANDLE = library().downcall(PROTOTYPES.getFirst());
    }
}
