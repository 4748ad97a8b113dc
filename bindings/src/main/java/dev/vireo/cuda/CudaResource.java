/*
 * The common part of everything a CudaContext owns (device memory, streams, events, modules, graphs,
 * host registrations): closed once, forgotten by its context when closed, and closed by the context
 * if still open when the context closes, so ownership is a tree with the context at its root.
 */
package dev.vireo.cuda;

import java.util.concurrent.atomic.AtomicBoolean;

/** A native object owned by a {@link CudaContext}. */
abstract sealed class CudaResource implements AutoCloseable
        permits DeviceBuffer, CudaStream, CudaEvent, CudaModule, CudaGraph, HostRegistration {
    final CudaContext context;
    private final AtomicBoolean closed = new AtomicBoolean();

    CudaResource(CudaContext context) {
        this.context = context;
    }

    /** Registers with the owner; called by each subclass once its native object exists. */
    final void adopt() {
        context.adopt(this);
    }

    /** Destroys the native object (called once; makes the context current where it calls the driver). */
    abstract void release();

    /** What it is, for messages ("stream 0x7f…", "module rms_norm"). */
    abstract String what();

    final boolean isClosed() {
        return closed.get();
    }

    /** @throws IllegalStateException if closed */
    final void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(what() + " is closed");
        }
    }

    /** Releases the native object; later calls do nothing. */
    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            context.forget(this);
            release();
        }
    }
}
