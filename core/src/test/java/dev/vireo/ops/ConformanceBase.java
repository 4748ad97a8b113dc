/*
 * Shared set-up of the op conformance suite: the oracle (RefOps), the backends under test (CpuOps
 * with one thread, and with three so that rows are split unevenly and the pool's hand-off is
 * exercised), and an arena per test. A subclass computes the expected result once with REF and
 * checks every backend in backends() against it.
 */
package dev.vireo.ops;

import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.ops.ref.RefOps;
import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

abstract class ConformanceBase {
    static final RefOps REF = new RefOps();
    private static List<Ops> backends;
    Arena arena;

    @BeforeAll
    static void openBackends() {
        // Both matmul modes (batch-invariant float path, integer kernels for one token), two thread counts.
        backends = List.of(new CpuOps(1, true), new CpuOps(3, true), new CpuOps(2, false));
    }

    @AfterAll
    static void closeBackends() {
        backends.forEach(Ops::close);
    }

    /** The backends checked against REF, each with its thread count (and mode) in its label. */
    static List<Ops> backends() {
        return backends;
    }

    static String label(Ops ops) {
        return ops instanceof CpuOps c ? "cpu×" + c.threads() + (c.batchInvariant() ? "" : " integer") : ops.name();
    }

    @BeforeEach
    void openArena() {
        arena = Arena.ofShared(); // CpuOps workers read the tensors
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }
}
