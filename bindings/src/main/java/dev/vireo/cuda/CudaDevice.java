/*
 * What Vireo needs to know about a GPU: its name, compute capability and size, read once through
 * cuDeviceGetName / cuDeviceGetAttribute / cuDeviceTotalMem_v2.
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A CUDA device.
 *
 * @param ordinal its index among the devices this process sees
 * @param name the marketing name ("NVIDIA H100 80GB HBM3")
 * @param major compute capability, major (9 for sm_90)
 * @param minor compute capability, minor
 * @param multiprocessors streaming multiprocessors
 * @param totalMemory device memory in bytes
 * @param l2CacheBytes L2 cache size
 * @param sharedMemoryPerBlockOptin the most shared memory a block can opt in to
 */
public record CudaDevice(int ordinal, String name, int major, int minor, int multiprocessors, long totalMemory,
        int l2CacheBytes, int sharedMemoryPerBlockOptin) {

    /** Queries device {@code ordinal}. */
    public static CudaDevice query(int ordinal) {
        Cuda.require();
        int count = Cuda.status().deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw new IllegalArgumentException("no CUDA device " + ordinal + " (this process sees " + count + ")");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment device = arena.allocate(ValueLayout.JAVA_INT);
            Cuda.check(cuDeviceGet(device, ordinal), "cuDeviceGet", device, ordinal);
            int dev = device.get(ValueLayout.JAVA_INT, 0);
            MemorySegment name = arena.allocate(256);
            Cuda.check(cuDeviceGetName(name, 256, dev), "cuDeviceGetName", name, 256, dev);
            MemorySegment bytes = arena.allocate(ValueLayout.JAVA_LONG);
            Cuda.check(cuDeviceTotalMem_v2(bytes, dev), "cuDeviceTotalMem_v2", bytes, dev);
            long total = bytes.get(ValueLayout.JAVA_LONG, 0);
            return new CudaDevice(ordinal, name.getString(0),
                    attribute(arena, dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    attribute(arena, dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                    attribute(arena, dev, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT), total,
                    attribute(arena, dev, CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE),
                    attribute(arena, dev, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN));
        }
    }

    private static int attribute(Arena arena, int dev, int attribute) {
        MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
        Cuda.check(cuDeviceGetAttribute(out, attribute, dev), "cuDeviceGetAttribute", out, attribute, dev);
        return out.get(ValueLayout.JAVA_INT, 0);
    }

    /** The SASS architecture name, "sm_90". */
    public String architecture() {
        return "sm_" + major + minor;
    }

    @Override
    public String toString() {
        return name + " (" + architecture() + ", " + multiprocessors + " SMs, " + (totalMemory >> 20) + " MiB)";
    }
}
