/*
 * A loaded module (a fatbin, cubin or PTX image: cuModuleLoadData) and the kernels in it. The image
 * is copied into native memory with a terminating zero byte, which PTX text needs and binary images
 * ignore. A kernel the module lacks is an IllegalArgumentException naming the module and the kernel.
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** Device code loaded into a context. */
public final class CudaModule extends CudaResource {
    private final String name;
    private final MemorySegment handle;
    private final Map<String, CudaFunction> functions = new HashMap<>();

    private CudaModule(CudaContext context, String name, MemorySegment handle) {
        super(context);
        this.name = name;
        this.handle = handle;
    }

    static CudaModule load(CudaContext context, String name, byte[] image) {
        Objects.requireNonNull(name, "name");
        if (image.length == 0) {
            throw new IllegalArgumentException("module " + name + ": empty image");
        }
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(image.length + 1L, 8);
            MemorySegment.copy(image, 0, data, ValueLayout.JAVA_BYTE, 0, image.length);
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = cuModuleLoadData(out, data);
            if (rc != CUDA_SUCCESS) {
                throw Cuda.failure(rc, "loading module " + name + " (" + image.length + " bytes) on "
                        + context.device() + ": " + CudaException.describeCall("cuModuleLoadData", out, data));
            }
            CudaModule m = new CudaModule(context, name, out.get(ValueLayout.ADDRESS, 0));
            m.adopt();
            return m;
        }
    }

    /** The module's name (for messages). */
    public String name() {
        return name;
    }

    /**
     * The kernel {@code kernel} (its {@code extern "C"} name).
     *
     * @throws IllegalArgumentException if the module has no such kernel
     */
    public synchronized CudaFunction function(String kernel) {
        checkOpen();
        CudaFunction f = functions.get(kernel);
        if (f != null) {
            return f;
        }
        context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = cuModuleGetFunction(out, handle, arena.allocateFrom(kernel));
            if (rc == CUDA_ERROR_NOT_FOUND) {
                throw new IllegalArgumentException("module " + name + " has no kernel " + kernel);
            }
            Cuda.check(rc, "cuModuleGetFunction", out, handle, kernel);
            f = new CudaFunction(this, kernel, out.get(ValueLayout.ADDRESS, 0));
            functions.put(kernel, f);
            return f;
        }
    }

    @Override
    void release() {
        context.makeCurrent();
        Cuda.check(cuModuleUnload(handle), "cuModuleUnload", handle);
    }

    @Override
    String what() {
        return "CUDA module " + name;
    }
}
