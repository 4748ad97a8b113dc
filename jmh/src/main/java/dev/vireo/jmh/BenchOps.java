/*
 * The backend a benchmark measures, from its `backend` and `threads` parameters: one place for the
 * choice every suite makes the same way.
 */
package dev.vireo.jmh;

import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.ops.ref.RefOps;

final class BenchOps {
    private BenchOps() {}

    /** "ref": the scalar oracle (for scale); otherwise the CPU backend with {@code threads} workers, 0 = all processors. */
    static Ops open(String backend, int threads) {
        if (backend.equals("ref")) {
            return new RefOps();
        }
        return new CpuOps(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
    }
}
