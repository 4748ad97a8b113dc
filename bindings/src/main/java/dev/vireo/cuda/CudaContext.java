/*
 * A device's primary context (cuDevicePrimaryCtxRetain: the context the CUDA runtime and libraries
 * such as cuBLASLt share) and the root of everything allocated on that device: buffers, streams,
 * events, modules, graphs and host registrations are created here and owned here, and closing the
 * context closes whatever of them is still open, newest first, then releases the context.
 *
 * A CUDA context is current per OS thread, and Java threads (virtual ones especially) need not stay
 * on one OS thread, so every operation of this layer makes the context current first
 * (cuCtxSetCurrent is a thread-local store in the driver) instead of relying on an earlier call.
 *
 * Tested on a GPU by CudaContextTest (tag `cuda`).
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** The primary context of one device, and the owner of what is allocated on it. */
public final class CudaContext implements AutoCloseable {
    private final CudaDevice device;
    private final int handleDevice;
    private final MemorySegment handle;
    private final Set<CudaResource> live = new LinkedHashSet<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private CudaContext(CudaDevice device, int handleDevice, MemorySegment handle) {
        this.device = device;
        this.handleDevice = handleDevice;
        this.handle = handle;
    }

    /**
     * Retains the primary context of device {@code ordinal} and makes it current.
     *
     * @throws CudaUnavailableException if CUDA cannot be used here
     * @throws IllegalArgumentException if there is no such device
     */
    public static CudaContext open(int ordinal) {
        CudaDevice device = CudaDevice.query(ordinal);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dev = arena.allocate(ValueLayout.JAVA_INT);
            Cuda.check(cuDeviceGet(dev, ordinal), "cuDeviceGet", dev, ordinal);
            int d = dev.get(ValueLayout.JAVA_INT, 0);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Cuda.check(cuDevicePrimaryCtxRetain(out, d), "cuDevicePrimaryCtxRetain", out, d);
            CudaContext context = new CudaContext(device, d, out.get(ValueLayout.ADDRESS, 0));
            context.makeCurrent();
            return context;
        }
    }

    /** The device. */
    public CudaDevice device() {
        return device;
    }

    /** Makes this the calling thread's current context. */
    public void makeCurrent() {
        checkOpen();
        Cuda.check(cuCtxSetCurrent(handle), "cuCtxSetCurrent", handle);
    }

    /** Waits for all work in the context to finish, reporting any asynchronous error. */
    public void synchronize() {
        makeCurrent();
        Cuda.check(cuCtxSynchronize(), "cuCtxSynchronize");
    }

    /** Free and total device memory, in bytes: {free, total}. */
    public long[] memoryInfo() {
        makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment free = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment total = arena.allocate(ValueLayout.JAVA_LONG);
            Cuda.check(cuMemGetInfo_v2(free, total), "cuMemGetInfo_v2", free, total);
            return new long[] {free.get(ValueLayout.JAVA_LONG, 0), total.get(ValueLayout.JAVA_LONG, 0)};
        }
    }

    /** Allocates {@code bytes} of device memory (uninitialised). */
    public DeviceBuffer allocate(long bytes) {
        return DeviceBuffer.allocate(this, bytes);
    }

    /** A new stream that does not synchronise with the legacy default stream. */
    public CudaStream newStream() {
        return CudaStream.create(this);
    }

    /** A new event; {@code timing} events can measure elapsed time, others are cheaper. */
    public CudaEvent newEvent(boolean timing) {
        return CudaEvent.create(this, timing);
    }

    /**
     * Loads a module from a fatbin, cubin or PTX image (copied; the array may be reused).
     *
     * @param name a name for messages ("rms_norm")
     */
    public CudaModule loadModule(String name, byte[] image) {
        return CudaModule.load(this, name, image);
    }

    /**
     * Page-locks host memory (for example a mapped model file) so that copies from it run at full
     * speed and asynchronously; closing the registration unlocks it.
     *
     * @param readOnly the device only reads it (required for read-only file mappings)
     */
    public HostRegistration registerHost(MemorySegment host, boolean readOnly) {
        return HostRegistration.register(this, host, readOnly);
    }

    synchronized void adopt(CudaResource r) {
        checkOpen();
        live.add(r);
    }

    synchronized void forget(CudaResource r) {
        live.remove(r);
    }

    void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the CUDA context of " + device + " is closed");
        }
    }

    /** The raw CUcontext, for calls this layer does not wrap. */
    public MemorySegment handle() {
        checkOpen();
        return handle;
    }

    /**
     * Closes every resource still open (newest first), then releases the primary context. The first
     * failure is thrown after everything has been attempted, later ones are suppressed into it.
     */
    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        List<CudaResource> open;
        synchronized (this) {
            open = new ArrayList<>(live);
        }
        RuntimeException failure = null;
        for (CudaResource r : open.reversed()) {
            try {
                r.close();
            } catch (RuntimeException e) {
                failure = chain(failure, e);
            }
        }
        if (closed.compareAndSet(false, true)) {
            int rc = cuDevicePrimaryCtxRelease_v2(handleDevice);
            if (rc != CUDA_SUCCESS) {
                failure = chain(failure, Cuda.failure(rc, CudaException.describeCall("cuDevicePrimaryCtxRelease_v2",
                        handleDevice)));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException chain(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    @Override
    public String toString() {
        return "CUDA context on " + device;
    }

    /** Resources still open, for tests. */
    synchronized int openResources() {
        return live.size();
    }

    static MemorySegment requireNative(MemorySegment host, String what) {
        Objects.requireNonNull(host, what);
        if (!host.isNative()) {
            throw new IllegalArgumentException(what + " must be off-heap memory (a native MemorySegment), not a heap array");
        }
        return host;
    }
}
