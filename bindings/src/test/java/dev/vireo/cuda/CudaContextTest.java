/*
 * The safe layer on a real GPU (tag `cuda`; skipped where Cuda.available() is false): device query,
 * copies both ways and on the device, slices and fills, a PTX kernel (add_one.ptx) with its
 * attributes, parameter check and launch, graph capture and replay, timing events, host
 * registration, and ownership (closing the context closes what it owns; use after close is an
 * IllegalStateException). With -Dvireo.cuda.required=true a machine without CUDA fails instead of
 * skipping. No test here faults the GPU on purpose: a fault poisons the context for
 * every later test in the JVM.
 */
package dev.vireo.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("cuda")
class CudaContextTest {
    /** Set on GPU machines (tools/gpu/cuda-tests.sh): a skip for want of CUDA is then a failure. */
    static final String REQUIRED = "vireo.cuda.required";
    private CudaContext context;
    private Arena arena;

    @BeforeEach
    void open() {
        if (!Cuda.available() && Boolean.getBoolean(REQUIRED)) {
            fail("-D" + REQUIRED + "=true but no CUDA: " + Cuda.status().reason());
        }
        assumeTrue(Cuda.available(), () -> "no CUDA: " + Cuda.status().reason());
        context = CudaContext.open(0);
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
            arena.close();
        }
    }

    private static byte[] ptx() throws IOException {
        try (InputStream in = CudaContextTest.class.getResourceAsStream("add_one.ptx")) {
            return in.readAllBytes();
        }
    }

    private MemorySegment ints(int... values) {
        return arena.allocateFrom(ValueLayout.JAVA_INT, values);
    }

    @Test
    void describesTheDevice() {
        CudaDevice d = context.device();
        assertFalse(d.name().isBlank());
        assertTrue(d.major() >= 7 && d.multiprocessors() > 0 && d.totalMemory() > 0, d.toString());
        long[] info = context.memoryInfo();
        assertTrue(info[0] > 0 && info[0] <= info[1] && info[1] <= d.totalMemory(), info[0] + " / " + info[1]);
    }

    @Test
    void copiesRoundTripThroughSlicesAndFills() {
        int n = 1 << 16;
        MemorySegment host = ints(IntStream.range(0, n).toArray());
        try (CudaStream s = context.newStream(); DeviceBuffer a = context.allocate(4L * n);
             DeviceBuffer b = context.allocate(8L * n)) {
            s.upload(host, a);
            s.fill(b, (byte) 0);
            s.copy(a, b.slice(4L * n, 4L * n));
            MemorySegment back = arena.allocate(8L * n);
            s.download(b, back);
            s.synchronize();
            assertArrayEquals(new int[n], back.asSlice(0, 4L * n).toArray(ValueLayout.JAVA_INT));
            assertArrayEquals(host.toArray(ValueLayout.JAVA_INT), back.asSlice(4L * n).toArray(ValueLayout.JAVA_INT));
            assertThrows(IllegalArgumentException.class, () -> s.upload(arena.allocate(4L * n + 1), a));
            assertThrows(IllegalArgumentException.class, () -> s.upload(MemorySegment.ofArray(new int[4]), a));
            assertThrows(IndexOutOfBoundsException.class, () -> a.slice(4L * n - 4, 8));
        }
    }

    @Test
    void launchesAPtxKernelWithCheckedArguments() throws IOException {
        int n = 1000;
        try (CudaStream s = context.newStream(); DeviceBuffer data = context.allocate(4L * n);
             KernelArgs args = new KernelArgs(4)) {
            CudaModule m = context.loadModule("add_one", ptx());
            CudaFunction f = m.function("add_one_i32");
            assertTrue(f.registers() > 0 && f.maxThreadsPerBlock() >= 256 && f.localBytes() == 0, f.toString());
            f.parameterSizes().ifPresent(sizes -> assertArrayEquals(new long[] {8, 4}, sizes));
            assertThrows(IllegalArgumentException.class, () -> m.function("no_such_kernel"));

            s.upload(ints(IntStream.range(0, n).toArray()), data);
            f.launch(s, Dim3.of((n + 255) / 256), Dim3.of(256), 0, args.clear().ptr(data).i32(n));
            MemorySegment back = arena.allocate(4L * n);
            s.download(data, back);
            s.synchronize();
            assertArrayEquals(IntStream.range(1, n + 1).toArray(), back.toArray(ValueLayout.JAVA_INT));

            if (f.parameterSizes().isPresent()) {
                assertThrows(IllegalArgumentException.class,
                        () -> f.launch(s, Dim3.of(1), Dim3.of(32), 0, args.clear().i32(0).i32(n)));
                assertThrows(IllegalArgumentException.class,
                        () -> f.launch(s, Dim3.of(1), Dim3.of(32), 0, args.clear().ptr(data)));
            }
            assertThrows(IllegalArgumentException.class,
                    () -> f.launch(s, Dim3.of(1), Dim3.of(f.maxThreadsPerBlock() + 1), 0, args.clear().ptr(data).i32(n)));
        }
    }

    @Test
    void capturesAGraphAndReplaysIt() throws IOException {
        int n = 4096;
        try (CudaStream s = context.newStream(); DeviceBuffer data = context.allocate(4L * n);
             KernelArgs args = new KernelArgs(2)) {
            CudaFunction f = context.loadModule("add_one", ptx()).function("add_one_i32");
            s.fill(data, (byte) 0);
            s.synchronize();
            s.beginCapture();
            assertTrue(s.isCapturing());
            for (int i = 0; i < 3; i++) {
                f.launch(s, Dim3.of(n / 256), Dim3.of(256), 0, args.clear().ptr(data).i32(n));
            }
            try (CudaGraph g = s.endCapture()) {
                assertFalse(s.isCapturing());
                g.launch(s);
                g.launch(s);
            }
            MemorySegment back = arena.allocate(4L * n);
            s.download(data, back);
            s.synchronize();
            assertArrayEquals(IntStream.generate(() -> 6).limit(n).toArray(), back.toArray(ValueLayout.JAVA_INT));
        }
    }

    @Test
    void eventsTimeDeviceWork() {
        try (CudaStream s = context.newStream(); DeviceBuffer b = context.allocate(64L << 20);
             CudaEvent start = context.newEvent(true); CudaEvent end = context.newEvent(true);
             CudaEvent untimed = context.newEvent(false)) {
            start.record(s);
            s.fill(b, (byte) 1);
            end.record(s);
            end.synchronize();
            assertTrue(end.elapsedMillisSince(start) >= 0);
            untimed.record(s);
            assertThrows(IllegalStateException.class, () -> untimed.elapsedMillisSince(start));
        }
    }

    @Test
    void registeredHostMemoryUploads() {
        MemorySegment host = arena.allocate(1 << 20, 4096);
        host.fill((byte) 7);
        try (HostRegistration r = context.registerHost(host, true); CudaStream s = context.newStream();
             DeviceBuffer d = context.allocate(1 << 20)) {
            s.upload(r.memory(), d);
            MemorySegment back = arena.allocate(1 << 20);
            s.download(d, back);
            s.synchronize();
            assertEquals(-1L, back.mismatch(host));
        }
    }

    @Test
    void closingTheContextClosesWhatItOwns() {
        DeviceBuffer b = context.allocate(1024);
        DeviceBuffer slice = b.slice(512, 512);
        CudaStream s = context.newStream();
        context.newEvent(false);
        assertEquals(3, context.openResources());
        b.close();
        assertEquals(2, context.openResources());
        assertThrows(IllegalStateException.class, b::address);
        assertThrows(IllegalStateException.class, slice::address);
        b.close(); // twice is fine
        context.close();
        assertThrows(IllegalStateException.class, s::synchronize);
        assertThrows(IllegalStateException.class, () -> context.allocate(16));
    }
}
