/*
 * A CUDA event: a marker recorded into a stream, for cross-stream ordering and for timing kernels
 * on the device (elapsedMillis between two timing events).
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A CUDA event. */
public final class CudaEvent extends CudaResource {
    private final MemorySegment handle;
    private final boolean timing;

    private CudaEvent(CudaContext context, MemorySegment handle, boolean timing) {
        super(context);
        this.handle = handle;
        this.timing = timing;
    }

    static CudaEvent create(CudaContext context, boolean timing) {
        context.makeCurrent();
        int flags = timing ? CU_EVENT_DEFAULT : CU_EVENT_DISABLE_TIMING;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Cuda.check(cuEventCreate(out, flags), "cuEventCreate", out, flags);
            CudaEvent e = new CudaEvent(context, out.get(ValueLayout.ADDRESS, 0), timing);
            e.adopt();
            return e;
        }
    }

    /** The raw CUevent. */
    public MemorySegment handle() {
        checkOpen();
        return handle;
    }

    /** Records the event at the current end of {@code stream}'s work. */
    public void record(CudaStream stream) {
        checkOpen();
        context.makeCurrent();
        Cuda.check(cuEventRecord(handle, stream.handle()), "cuEventRecord", handle, stream.handle());
    }

    /** Blocks until the recorded work has finished. */
    public void synchronize() {
        checkOpen();
        context.makeCurrent();
        Cuda.check(cuEventSynchronize(handle), "cuEventSynchronize", handle);
    }

    /** Milliseconds on the device from {@code start} to this event; both must be timing events and have happened. */
    public float elapsedMillisSince(CudaEvent start) {
        if (!timing || !start.timing) {
            throw new IllegalStateException("elapsed time needs two timing events (newEvent(true))");
        }
        checkOpen();
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_FLOAT);
            Cuda.check(cuEventElapsedTime_v2(out, start.handle(), handle), "cuEventElapsedTime_v2", out, start.handle(),
                    handle);
            return out.get(ValueLayout.JAVA_FLOAT, 0);
        }
    }

    @Override
    void release() {
        context.makeCurrent();
        Cuda.check(cuEventDestroy_v2(handle), "cuEventDestroy_v2", handle);
    }

    @Override
    String what() {
        return "CUDA event 0x" + Long.toHexString(handle.address());
    }
}
