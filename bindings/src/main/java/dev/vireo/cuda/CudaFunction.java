/*
 * A kernel in a loaded module, its attributes (registers, local memory, thread limit) and its
 * launch. Before cuLaunchKernel the launch is checked in Java: the stream belongs to the module's
 * context, the block fits the kernel's thread limit, and the arguments match the kernel's parameter
 * list in number and size (cuFuncGetParamInfo, CUDA 12.4 drivers and newer; older ones skip this
 * check). With -Dvireo.cuda.sync=true the stream is synchronised after the launch, so an
 * asynchronous fault is blamed on this kernel.
 *
 * Tested on a GPU by CudaContextTest and the kernel tests (tag `cuda`).
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import dev.vireo.cuda.ffi.SymbolUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A kernel, ready to launch. */
public final class CudaFunction {
    private final CudaModule module;
    private final String name;
    private final MemorySegment handle;
    private final int maxThreadsPerBlock;
    /** The kernel's parameter sizes, or null where the driver cannot tell (before CUDA 12.4). */
    private final long[] parameterSizes;

    CudaFunction(CudaModule module, String name, MemorySegment handle) {
        this.module = module;
        this.name = name;
        this.handle = handle;
        this.maxThreadsPerBlock = attribute(CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK);
        this.parameterSizes = queryParameterSizes();
    }

    /** The kernel's {@code extern "C"} name. */
    public String name() {
        return name;
    }

    /** The module it belongs to. */
    public CudaModule module() {
        return module;
    }

    /** A CU_FUNC_ATTRIBUTE_* value of this kernel on this device. */
    public int attribute(int attribute) {
        module.checkOpen();
        module.context.makeCurrent();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            Cuda.check(cuFuncGetAttribute(out, attribute, handle), "cuFuncGetAttribute", out, attribute, name);
            return out.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Registers per thread. */
    public int registers() {
        return attribute(CU_FUNC_ATTRIBUTE_NUM_REGS);
    }

    /** Local memory per thread in bytes (register spills and local arrays). */
    public int localBytes() {
        return attribute(CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES);
    }

    /** Statically allocated shared memory per block in bytes. */
    public int staticSharedBytes() {
        return attribute(CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES);
    }

    /** The most threads a block of this kernel may have on this device. */
    public int maxThreadsPerBlock() {
        return maxThreadsPerBlock;
    }

    /** Allows launches with up to {@code bytes} of dynamic shared memory (above 48 KiB needs this). */
    public void setMaxDynamicSharedBytes(int bytes) {
        module.checkOpen();
        module.context.makeCurrent();
        Cuda.check(cuFuncSetAttribute(handle, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes),
                "cuFuncSetAttribute", name, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes);
    }

    /** The size of each kernel parameter, where the driver can tell (CUDA 12.4 and newer). */
    public Optional<long[]> parameterSizes() {
        return Optional.ofNullable(parameterSizes).map(long[]::clone);
    }

    private long[] queryParameterSizes() {
        module.context.makeCurrent();
        List<Long> sizes = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment offset = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            for (long i = 0; i < 4096; i++) { // the driver's limit is 32 KiB of parameters
                int rc = cuFuncGetParamInfo(handle, i, offset, size);
                if (rc == CUDA_ERROR_INVALID_VALUE) {
                    break; // past the last parameter
                }
                Cuda.check(rc, "cuFuncGetParamInfo", name, i, offset, size);
                sizes.add(size.get(ValueLayout.JAVA_LONG, 0));
            }
        } catch (SymbolUnavailableException olderDriver) {
            return null;
        }
        // No parameter at all also reads as "cannot tell": a kernel without parameters is not worth
        // a check that could reject every launch if a driver answered INVALID_VALUE for all indices.
        return sizes.isEmpty() ? null : sizes.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Launches the kernel on {@code stream} (or records it there, during a graph capture).
     *
     * @param sharedBytes dynamic shared memory per block
     * @throws IllegalArgumentException if the stream is another context's, the block is too large
     *     or the arguments do not match the kernel's parameters
     * @throws CudaException if the driver rejects the launch, or (debug switch on) the kernel fails
     */
    public void launch(CudaStream stream, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args) {
        module.checkOpen();
        if (stream.context != module.context) {
            throw new IllegalArgumentException("kernel " + name + " of " + module.context + " launched on a stream of "
                    + stream.context);
        }
        if (block.count() > maxThreadsPerBlock) {
            throw new IllegalArgumentException("kernel " + name + ": block " + block + " has " + block.count()
                    + " threads, the kernel allows at most " + maxThreadsPerBlock);
        }
        if (sharedBytes < 0) {
            throw new IllegalArgumentException("kernel " + name + ": negative shared memory " + sharedBytes);
        }
        checkArguments(args);
        module.context.makeCurrent();
        MemorySegment s = stream.handle();
        int rc = cuLaunchKernel(handle, grid.x(), grid.y(), grid.z(), block.x(), block.y(), block.z(), sharedBytes, s,
                args.kernelParams(), MemorySegment.NULL);
        if (rc != CUDA_SUCCESS) {
            throw Cuda.failure(rc, "cuLaunchKernel of " + describe(grid, block, sharedBytes, args, s));
        }
        if (Cuda.syncAfterLaunch() && !stream.isCapturing()) {
            rc = cuStreamSynchronize(s);
            if (rc != CUDA_SUCCESS) {
                throw Cuda.failure(rc, "kernel " + describe(grid, block, sharedBytes, args, s)
                        + " (found by synchronising after the launch, -D" + Cuda.SYNC_PROPERTY + "=true)");
            }
        }
    }

    private void checkArguments(KernelArgs args) {
        if (parameterSizes == null) {
            return;
        }
        if (args.count() != parameterSizes.length) {
            throw new IllegalArgumentException("kernel " + name + " takes " + parameterSizes.length + " arguments, got "
                    + args.count() + " " + args);
        }
        for (int i = 0; i < parameterSizes.length; i++) {
            if (args.kind(i).size() != parameterSizes[i]) {
                throw new IllegalArgumentException("kernel " + name + ": argument " + i + " is " + args.kind(i) + " ("
                        + args.kind(i).size() + " bytes), the kernel's parameter has " + parameterSizes[i] + " bytes");
            }
        }
    }

    private String describe(Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args, MemorySegment stream) {
        return name + "<<<" + grid + ", " + block + ", " + sharedBytes + ", stream 0x" + Long.toHexString(stream.address())
                + ">>>" + args + " in module " + module.name();
    }

    @Override
    public String toString() {
        return "kernel " + name + " of module " + module.name();
    }
}
