/*
 * The argument list of a kernel launch, built with typed calls (ptr, i32, i64, f32) into native
 * memory that is allocated once and reused: a launcher keeps one KernelArgs per kernel, clears it
 * and refills it before each launch, so a launch allocates nothing. cuLaunchKernel copies the values
 * when it is called, so the list may be refilled as soon as launch() returns.
 *
 * Each value sits in its own 8-byte slot; kernelParams[i] points at slot i. The sizes are kept so
 * that CudaFunction can compare them with the kernel's own parameter sizes (cuFuncGetParamInfo)
 * before launching: an int passed where the kernel expects a pointer is an exception here, not
 * garbage read on the device.
 */
package dev.vireo.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;
import java.util.Objects;

/** A reusable, typed kernel argument list. */
public final class KernelArgs implements AutoCloseable {
    private static final long SLOT = 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment values;
    private final MemorySegment pointers;
    private final Kind[] kinds;
    private int count;

    /** The C types an argument can have, with their sizes. */
    public enum Kind {
        /** A device pointer. */
        PTR(8),
        /** {@code int} or {@code unsigned int}. */
        I32(4),
        /** {@code long long}, {@code unsigned long long}, {@code size_t}. */
        I64(8),
        /** {@code float}. */
        F32(4);

        private final int size;

        Kind(int size) {
            this.size = size;
        }

        /** Size in bytes. */
        public int size() {
            return size;
        }
    }

    /** Room for {@code capacity} arguments. */
    public KernelArgs(int capacity) {
        if (capacity < 1 || capacity > 64) {
            throw new IllegalArgumentException("kernel argument capacity " + capacity + " (1..64)");
        }
        values = arena.allocate(SLOT * capacity, SLOT);
        pointers = arena.allocate(ValueLayout.ADDRESS, capacity);
        for (int i = 0; i < capacity; i++) {
            pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(SLOT * i, SLOT));
        }
        kinds = new Kind[capacity];
    }

    /** Empties the list for the next launch. */
    public KernelArgs clear() {
        count = 0;
        return this;
    }

    /** A device pointer ({@code T*} in the kernel). */
    public KernelArgs ptr(DeviceBuffer buffer) {
        values.set(ValueLayout.JAVA_LONG, slot(Kind.PTR), buffer.address());
        return this;
    }

    /** A 32-bit integer ({@code int} or {@code unsigned int}). */
    public KernelArgs i32(int value) {
        values.set(ValueLayout.JAVA_INT, slot(Kind.I32), value);
        return this;
    }

    /** A 64-bit integer ({@code long long}, {@code size_t}). */
    public KernelArgs i64(long value) {
        values.set(ValueLayout.JAVA_LONG, slot(Kind.I64), value);
        return this;
    }

    /** A {@code float}. */
    public KernelArgs f32(float value) {
        values.set(ValueLayout.JAVA_FLOAT, slot(Kind.F32), value);
        return this;
    }

    private long slot(Kind kind) {
        if (count == kinds.length) {
            throw new IllegalStateException("more than " + kinds.length + " kernel arguments");
        }
        kinds[count] = kind;
        return SLOT * count++;
    }

    /** The number of arguments added since the last clear(). */
    public int count() {
        return count;
    }

    /** The kind of argument {@code i}. */
    public Kind kind(int i) {
        Objects.checkIndex(i, count);
        return kinds[i];
    }

    /** The {@code void **kernelParams} array for cuLaunchKernel. */
    MemorySegment kernelParams() {
        return pointers;
    }

    /** "(ptr 0x7f…, i32 4096, f32 1.0E-5)", for messages. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(kinds[i].name().toLowerCase(Locale.ROOT)).append(' ');
            long off = SLOT * i;
            switch (kinds[i]) {
                case PTR -> sb.append("0x").append(Long.toHexString(values.get(ValueLayout.JAVA_LONG, off)));
                case I32 -> sb.append(values.get(ValueLayout.JAVA_INT, off));
                case I64 -> sb.append(values.get(ValueLayout.JAVA_LONG, off));
                case F32 -> sb.append(values.get(ValueLayout.JAVA_FLOAT, off));
            }
        }
        return sb.append(')').toString();
    }

    @Override
    public void close() {
        arena.close();
    }
}
