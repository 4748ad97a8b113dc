/*
 * A CUDA stream (non-blocking: it does not synchronise with the legacy default stream) and the
 * asynchronous work issued on it: copies between host and device, fills, event waits, and graph
 * capture. Sizes are checked here; host memory must be off-heap (the FFM linker cannot pass heap
 * arrays by address), and must stay alive until the stream has been synchronised.
 *
 * Tested on a GPU by CudaContextTest (tag `cuda`).
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A stream of asynchronous device work. */
public final class CudaStream extends CudaResource {
    private final MemorySegment handle;
    private volatile boolean capturing;

    private CudaStream(CudaContext context, MemorySegment handle) {
        super(context);
        this.handle = handle;
    }

    static CudaStream create(CudaContext context) {
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Cuda.check(cuStreamCreate(out, CU_STREAM_NON_BLOCKING), "cuStreamCreate", out, CU_STREAM_NON_BLOCKING);
            CudaStream s = new CudaStream(context, out.get(ValueLayout.ADDRESS, 0));
            s.adopt();
            return s;
        }
    }

    /** The raw CUstream. */
    public MemorySegment handle() {
        checkOpen();
        return handle;
    }

    /** Whether a graph capture is in progress (launches are recorded, not run). */
    public boolean isCapturing() {
        return capturing;
    }

    /** Copies all of {@code host} to the start of {@code dst}. */
    public void upload(MemorySegment host, DeviceBuffer dst) {
        CudaContext.requireNative(host, "the source of an upload");
        checkFits(host.byteSize(), dst, "upload");
        enter();
        Cuda.check(cuMemcpyHtoDAsync_v2(dst.address(), host, host.byteSize(), handle), "cuMemcpyHtoDAsync_v2",
                dst.address(), host, host.byteSize(), handle);
    }

    /** Copies the first {@code host.byteSize()} bytes of {@code src} into {@code host}. */
    public void download(DeviceBuffer src, MemorySegment host) {
        CudaContext.requireNative(host, "the destination of a download");
        if (host.isReadOnly()) {
            throw new IllegalArgumentException("the destination of a download is read-only");
        }
        checkFits(host.byteSize(), src, "download");
        enter();
        Cuda.check(cuMemcpyDtoHAsync_v2(host, src.address(), host.byteSize(), handle), "cuMemcpyDtoHAsync_v2",
                host, src.address(), host.byteSize(), handle);
    }

    /** Copies all of {@code src} to the start of {@code dst}. */
    public void copy(DeviceBuffer src, DeviceBuffer dst) {
        checkFits(src.byteSize(), dst, "device copy");
        enter();
        Cuda.check(cuMemcpyDtoDAsync_v2(dst.address(), src.address(), src.byteSize(), handle), "cuMemcpyDtoDAsync_v2",
                dst.address(), src.address(), src.byteSize(), handle);
    }

    /** Sets every byte of {@code dst} to {@code value}. */
    public void fill(DeviceBuffer dst, byte value) {
        enter();
        Cuda.check(cuMemsetD8Async(dst.address(), value, dst.byteSize(), handle), "cuMemsetD8Async",
                dst.address(), value, dst.byteSize(), handle);
    }

    /** Makes later work on this stream wait until {@code event} has happened. */
    public void waitFor(CudaEvent event) {
        enter();
        Cuda.check(cuStreamWaitEvent(handle, event.handle(), 0), "cuStreamWaitEvent", handle, event.handle(), 0);
    }

    /** Blocks until all work issued so far has finished, reporting any asynchronous error. */
    public void synchronize() {
        enter();
        Cuda.check(cuStreamSynchronize(handle), "cuStreamSynchronize", handle);
    }

    /**
     * Starts recording this stream's work into a graph instead of running it. Thread-local capture
     * mode: only this thread is barred from calls that are unsafe during a capture.
     */
    public void beginCapture() {
        enter();
        if (capturing) {
            throw new IllegalStateException(what() + " is already capturing");
        }
        Cuda.check(cuStreamBeginCapture_v2(handle, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture_v2",
                handle, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
        capturing = true;
    }

    /** Ends the capture and instantiates what was recorded as a launchable graph. */
    public CudaGraph endCapture() {
        enter();
        if (!capturing) {
            throw new IllegalStateException(what() + " is not capturing");
        }
        capturing = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Cuda.check(cuStreamEndCapture(handle, out), "cuStreamEndCapture", handle, out);
            return CudaGraph.instantiate(context, out.get(ValueLayout.ADDRESS, 0));
        }
    }

    private void enter() {
        checkOpen();
        context.makeCurrent();
    }

    private static void checkFits(long bytes, DeviceBuffer buffer, String what) {
        if (bytes > buffer.byteSize()) {
            throw new IllegalArgumentException(what + " of " + bytes + " bytes does not fit " + buffer);
        }
    }

    @Override
    void release() {
        context.makeCurrent();
        Cuda.check(cuStreamDestroy_v2(handle), "cuStreamDestroy_v2", handle);
    }

    @Override
    String what() {
        return "CUDA stream 0x" + Long.toHexString(handle.address());
    }
}
