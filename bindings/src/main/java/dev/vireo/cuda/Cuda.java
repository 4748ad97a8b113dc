/*
 * The entry point of the safe CUDA layer: whether CUDA can be used here (probed once: the driver
 * library loads, cuInit succeeds, a device is visible), the one check every driver call goes
 * through, and the debug switch.
 *
 * Debug switch: -Dvireo.cuda.sync=true synchronises the stream after every kernel launch (outside
 * graph capture) and checks it, so an asynchronous fault (an illegal address, a trap) is reported
 * against the kernel that caused it instead of a later, innocent call.
 *
 * Tested without a GPU by CudaAvailabilityTest (status and messages where no driver is installed);
 * with one by the `cuda`-tagged tests.
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.CUDA_SUCCESS;

import dev.vireo.cuda.ffi.CudaDriver;
import dev.vireo.cuda.ffi.NativeLibrary;
import dev.vireo.cuda.ffi.SymbolUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** CUDA availability, error checking and switches. */
public final class Cuda {
    private Cuda() {}

    /** System property: synchronise and check after every kernel launch (debugging). */
    public static final String SYNC_PROPERTY = "vireo.cuda.sync";

    private static final boolean SYNC_AFTER_LAUNCH = Boolean.getBoolean(SYNC_PROPERTY);

    /** Whether {@link #SYNC_PROPERTY} is on. */
    public static boolean syncAfterLaunch() {
        return SYNC_AFTER_LAUNCH;
    }

    /** What probing the driver found; probed on the first call, then remembered. */
    public static CudaStatus status() {
        return Probe.STATUS;
    }

    /** Whether CUDA can be used: the driver loads and reports at least one device. */
    public static boolean available() {
        return status().available();
    }

    /**
     * Returns normally if CUDA can be used.
     *
     * @throws CudaUnavailableException with {@link CudaStatus#reason()} otherwise
     */
    public static void require() {
        CudaStatus s = status();
        if (!s.available()) {
            throw new CudaUnavailableException(s.reason());
        }
    }

    /**
     * Throws a {@link CudaException} naming the call, its arguments and the error unless
     * {@code result} is CUDA_SUCCESS.
     *
     * @param function the C name of the call, as in CudaDriver.PROTOTYPES
     * @param args its arguments, in order (for the message only)
     */
    public static void check(int result, String function, Object... args) {
        if (result != CUDA_SUCCESS) {
            throw failure(result, CudaException.describeCall(function, args));
        }
    }

    /** The exception for a failed call described in words (a kernel launch, a synchronisation). */
    static CudaException failure(int result, String call) {
        return new CudaException(result, errorText(result, true), errorText(result, false), call);
    }

    /** cuGetErrorName / cuGetErrorString of a code, or null if the driver cannot name it. */
    @SuppressWarnings("restricted") // the driver returns a pointer to a static NUL-terminated string
    private static String errorText(int code, boolean name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = name ? CudaDriver.cuGetErrorName(code, out) : CudaDriver.cuGetErrorString(code, out);
            MemorySegment text = out.get(ValueLayout.ADDRESS, 0);
            return rc == CUDA_SUCCESS && !text.equals(MemorySegment.NULL)
                    ? text.reinterpret(Long.MAX_VALUE).getString(0) : null;
        } catch (SymbolUnavailableException e) {
            return null; // a CUresult came back, so the library is there; no name is still an answer
        }
    }

    private static final class Probe {
        static final CudaStatus STATUS = probe(CudaDriver.library());
    }

    /**
     * Loads and initialises the driver, then counts devices. Every failure becomes the reason of an
     * unavailable status: this never throws for a machine without CUDA. The three calls are linked
     * from {@code library} itself, so that a test can probe a library that is not the driver.
     */
    static CudaStatus probe(NativeLibrary library) {
        if (!library.isLoaded()) {
            return unavailable(library.failure().orElseThrow(), 0);
        }
        int version = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            if ((int) link(library, "cuDriverGetVersion").invokeExact(out) == CUDA_SUCCESS) {
                version = out.get(ValueLayout.JAVA_INT, 0);
            }
            int rc = (int) link(library, "cuInit").invokeExact(0);
            if (rc != CUDA_SUCCESS) {
                String found = "the CUDA driver (" + library.name()
                        + (version > 0 ? ", CUDA " + CudaStatus.versionText(version) : "") + ") did not initialise";
                return unavailable(found + ": " + failure(rc, CudaException.describeCall("cuInit", 0)).getMessage(), version);
            }
            out.set(ValueLayout.JAVA_INT, 0, 0);
            check((int) link(library, "cuDeviceGetCount").invokeExact(out), "cuDeviceGetCount", out);
            int devices = out.get(ValueLayout.JAVA_INT, 0);
            if (devices == 0) {
                return unavailable("the CUDA driver (" + library.name() + ") reports no GPU", version);
            }
            return new CudaStatus(true, "", version, devices);
        } catch (SymbolUnavailableException | CudaException e) {
            return unavailable(e.getMessage(), version);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError("a downcall threw a checked exception", t);
        }
    }

    private static MethodHandle link(NativeLibrary library, String function) {
        return library.downcall(CudaDriver.prototype(function).orElseThrow());
    }

    private static CudaStatus unavailable(String reason, int version) {
        return new CudaStatus(false, reason, version, 0);
    }
}
