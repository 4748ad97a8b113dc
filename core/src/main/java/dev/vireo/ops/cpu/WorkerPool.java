/*
 * A small fixed pool for data-parallel loops, built for the skinny shapes of decoding, where a
 * matmul takes tens of microseconds and an executor's per-task queueing would cost as much as the
 * work. The calling thread is worker 0 and works too; the others spin briefly on a generation
 * counter after each loop (back-to-back ops then start without a wake-up) and park when idle.
 * Items are handed out in chunks from one atomic counter, which balances uneven items (causal
 * attention rows) without any per-item allocation.
 *
 * Workers join a loop rather than being counted in: once the caller has taken the last chunk it
 * closes the loop to newcomers and waits only for the workers that joined. A worker the OS has not
 * scheduled yet (a busy or oversubscribed machine) therefore never holds up the caller, which
 * would otherwise wait a whole scheduler time slice for a thread that has nothing left to do.
 * Tested by WorkerPoolTest.
 */
package dev.vireo.ops.cpu;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/** Runs {@code [0, count)} in chunks on a fixed set of threads; one loop at a time. */
final class WorkerPool implements AutoCloseable {

    /** A loop body over items {@code [start, end)}, run by worker {@code worker} (0 = the caller). */
    interface RangeTask {
        void run(int worker, int start, int end);
    }

    /** Spin iterations (about 20 ns each) before an idle worker parks: some tens of microseconds. */
    private static final int SPINS = 1 << 11;

    /*
     * The loop state in one word, so that joining is a single CAS that fails once the loop closes:
     * bits 32..63 the loop's generation, bit 31 "open to joiners", bits 0..30 the workers inside.
     */
    private static final long OPEN = 1L << 31;
    private static final long INSIDE = OPEN - 1;

    private final Worker[] workers;
    private final AtomicInteger nextItem = new AtomicInteger();
    private final AtomicLong state = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private int generation; // the caller's copy; workers read state
    private volatile boolean closed;
    // Written by the caller before it publishes the loop in state, read by workers after joining.
    private RangeTask task;
    private int count;
    private int grain;

    /** A pool of {@code threads} workers including the caller; 1 means everything runs inline. */
    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be ≥ 1, got " + threads);
        }
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    /** True if the workers may read {@code segment} (it is not confined to another thread's arena). */
    boolean canAccess(MemorySegment segment) {
        return workers.length == 0 || segment.isAccessibleBy(workers[0]);
    }

    /** Workers including the caller. */
    int size() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task} over {@code [0, count)} in chunks of {@code grain} items and returns when all
     * are done. Not reentrant: one loop at a time (CpuOps serialises its calls). The first exception
     * a chunk throws is rethrown here after the other workers have stopped.
     */
    void run(int count, int grain, RangeTask task) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        if (workers.length == 0 || count <= grain) {
            if (count > 0) {
                task.run(0, 0, count);
            }
            return;
        }
        this.task = task;
        this.count = count;
        this.grain = Math.max(1, grain);
        failure.set(null);
        nextItem.set(0);
        generation++;
        state.set(((long) generation << 32) | OPEN); // publishes the fields above
        for (Worker w : workers) {
            if (w.parked) {
                LockSupport.unpark(w);
            }
        }
        drain(0);
        // Every chunk is taken: close the loop, then wait for the workers still inside.
        long st;
        do {
            st = state.get();
        } while (!state.compareAndSet(st, st & ~OPEN));
        for (int spins = 0; (state.get() & INSIDE) != 0; spins++) {
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        this.task = null;
        Throwable t = failure.getAndSet(null);
        if (t instanceof RuntimeException e) {
            throw e;
        } else if (t instanceof Error e) {
            throw e;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Takes chunks until none are left; a failure stops everyone from taking more. */
    private void drain(int worker) {
        RangeTask body = task;
        int n = count;
        int g = grain;
        try {
            for (int start; (start = nextItem.getAndAdd(g)) < n; ) {
                body.run(worker, start, Math.min(n, start + g));
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
            nextItem.set(n);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
        for (Worker w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Worker extends Thread {
        private final int index;
        volatile boolean parked;

        Worker(int index) {
            super("vireo-cpu-" + index);
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                long st;
                for (int spins = 0; (int) ((st = state.get()) >>> 32) == seen; spins++) {
                    if (closed) {
                        return;
                    }
                    if (spins < SPINS) {
                        Thread.onSpinWait();
                    } else {
                        // Announce the park, then look again: the caller either sees the flag and
                        // unparks, or this thread sees the new generation (both fields are volatile).
                        parked = true;
                        if ((int) (state.get() >>> 32) == seen && !closed) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                seen = (int) (st >>> 32);
                if (join(seen)) {
                    drain(index);
                    state.getAndDecrement();
                }
            }
        }

        /** Enters loop {@code g} if it is still open; false if it closed (or moved on) meanwhile. */
        private boolean join(int g) {
            while (true) {
                long st = state.get();
                if ((int) (st >>> 32) != g || (st & OPEN) == 0) {
                    return false;
                }
                if (state.compareAndSet(st, st + 1)) {
                    return true;
                }
            }
        }
    }
}
