/*
 * Device memory from cuMemAlloc_v2, or a slice of it. A slice shares its parent's memory and
 * lifetime: it is checked against the parent on every use (a freed buffer's address is never handed
 * to the driver), and closing a slice does nothing. Sizes and offsets are checked in Java, so that a
 * wrong one is an IllegalArgumentException here rather than a fault on the device later.
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/** A range of device memory. */
public final class DeviceBuffer extends CudaResource {
    private final DeviceBuffer root;
    private final long address;
    private final long byteSize;

    private DeviceBuffer(CudaContext context, DeviceBuffer root, long address, long byteSize) {
        super(context);
        this.root = root == null ? this : root;
        this.address = address;
        this.byteSize = byteSize;
    }

    static DeviceBuffer allocate(CudaContext context, long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("device allocation of " + bytes + " bytes");
        }
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            Cuda.check(cuMemAlloc_v2(out, bytes), "cuMemAlloc_v2", out, bytes);
            DeviceBuffer b = new DeviceBuffer(context, null, out.get(ValueLayout.JAVA_LONG, 0), bytes);
            b.adopt();
            return b;
        }
    }

    /** The device address (a CUdeviceptr). @throws IllegalStateException if the memory was freed */
    public long address() {
        root.checkOpen();
        return address;
    }

    /** Size in bytes. */
    public long byteSize() {
        return byteSize;
    }

    /** The context it was allocated in. */
    public CudaContext context() {
        return context;
    }

    /**
     * {@code bytes} bytes from {@code offset}: a view sharing this memory and its lifetime.
     *
     * @throws IndexOutOfBoundsException if the range is not inside this buffer
     */
    public DeviceBuffer slice(long offset, long bytes) {
        Objects.checkFromIndexSize(offset, bytes, byteSize);
        root.checkOpen();
        return new DeviceBuffer(context, root, address + offset, bytes);
    }

    /** Whether this is a slice (closing it does nothing) rather than an allocation. */
    public boolean isSlice() {
        return root != this;
    }

    @Override
    void release() {
        if (!isSlice()) {
            context.makeCurrent();
            Cuda.check(cuMemFree_v2(address), "cuMemFree_v2", address);
        }
    }

    @Override
    String what() {
        return (isSlice() ? "slice of " : "") + "device buffer 0x" + Long.toHexString(address) + " (" + byteSize + " bytes)";
    }

    @Override
    public String toString() {
        return what();
    }
}
