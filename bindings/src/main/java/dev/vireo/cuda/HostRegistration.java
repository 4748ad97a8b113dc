/*
 * Host memory page-locked for the device (cuMemHostRegister_v2): a mapped model file registered this
 * way is uploaded with DMA at full bus speed and asynchronously, without a staging copy. Read-only
 * mappings need the read-only flag. Closing unregisters; the memory itself stays its owner's.
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import java.lang.foreign.MemorySegment;

/** A registration of host memory with the driver. */
public final class HostRegistration extends CudaResource {
    private final MemorySegment host;

    private HostRegistration(CudaContext context, MemorySegment host) {
        super(context);
        this.host = host;
    }

    static HostRegistration register(CudaContext context, MemorySegment host, boolean readOnly) {
        CudaContext.requireNative(host, "registered host memory");
        if (host.byteSize() == 0) {
            throw new IllegalArgumentException("cannot register an empty host segment");
        }
        context.makeCurrent();
        int flags = CU_MEMHOSTREGISTER_PORTABLE | (readOnly ? CU_MEMHOSTREGISTER_READ_ONLY : 0);
        Cuda.check(cuMemHostRegister_v2(host, host.byteSize(), flags), "cuMemHostRegister_v2", host, host.byteSize(),
                flags);
        HostRegistration r = new HostRegistration(context, host);
        r.adopt();
        return r;
    }

    /** The registered memory. */
    public MemorySegment memory() {
        checkOpen();
        return host;
    }

    @Override
    void release() {
        context.makeCurrent();
        Cuda.check(cuMemHostUnregister(host), "cuMemHostUnregister", host);
    }

    @Override
    String what() {
        return "host registration 0x" + Long.toHexString(host.address()) + " (" + host.byteSize() + " bytes)";
    }
}
