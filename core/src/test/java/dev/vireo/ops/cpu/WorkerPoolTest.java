/*
 * The worker pool hands every item to exactly one worker, runs back-to-back loops (the decode
 * pattern) without losing a wake-up or waiting on workers that arrive late, rethrows a failing
 * chunk's exception in the caller and stays usable after it, and stops its threads on close.
 */
package dev.vireo.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerPoolTest {

    /** Three threads, and eight on a machine with fewer cores: workers often arrive after the work is gone. */
    @ParameterizedTest
    @ValueSource(ints = {3, 8})
    void everyItemRunsExactlyOnceAcrossManyLoops(int threads) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            for (int round = 0; round < 2000; round++) {
                int count = 1 + round % 97;
                AtomicIntegerArray hits = new AtomicIntegerArray(count);
                pool.run(count, 1 + round % 5, (worker, start, end) -> {
                    assertTrue(worker >= 0 && worker < threads);
                    for (int i = start; i < end; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < count; i++) {
                    assertEquals(1, hits.get(i), "round " + round + " item " + i);
                }
            }
        }
    }

    @Test
    void wakesParkedWorkers() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            for (int round = 0; round < 5; round++) {
                Thread.sleep(20); // long enough for the worker to stop spinning and park
                AtomicIntegerArray hits = new AtomicIntegerArray(64);
                pool.run(64, 1, (worker, start, end) -> hits.incrementAndGet(start));
                for (int i = 0; i < 64; i++) {
                    assertEquals(1, hits.get(i));
                }
            }
        }
    }

    @Test
    void rethrowsAChunksFailureAndRecovers() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.run(100, 1,
                    (worker, start, end) -> {
                        if (start == 57) {
                            throw new IllegalStateException("item 57");
                        }
                    }));
            assertEquals("item 57", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.run(10, 1, (worker, start, end) -> hits.incrementAndGet(start));
            for (int i = 0; i < 10; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    @Test
    void singleThreadRunsInline() {
        try (WorkerPool pool = new WorkerPool(1)) {
            Thread caller = Thread.currentThread();
            pool.run(10, 1, (worker, start, end) -> {
                assertEquals(0, worker);
                assertEquals(caller, Thread.currentThread());
                assertEquals(0, start);
                assertEquals(10, end);
            });
        }
    }
}
