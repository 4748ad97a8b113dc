/*
 * The row-wise kernels of a mixture-of-experts block on the Vector API: gpt-oss's clamped SwiGLU
 * (swigluOai, model-spec.md §1.5, ggml's swiglu_oai), and the gather / weighted scatter-add of token
 * rows that let the MoE helper run one batched matmul per expert (dev.vireo.model.Moe).
 * They are a sliver of a step's time next to the expert matmuls, so they run on the calling thread.
 * Tested against RefOps by ExpertOpsConformanceTest.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.F32_LE;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** Static kernels behind CpuOps' swigluOai, gatherRows and scatterAdd; arguments already checked. */
final class ExpertKernels {
    private ExpertKernels() {}

    /** out = min(g, limit)·σ(alpha·min(g, limit))·(clamp(u, −limit, limit) + 1) over {@code n} floats. */
    static void swigluOai(MemorySegment gate, MemorySegment up, float alpha, float limit, MemorySegment out,
            long n) {
        long i = 0;
        for (long bound = n - n % FL; i < bound; i += FL) {
            FloatVector g = FloatVector.fromMemorySegment(F, gate, 4 * i, LE).min(limit);
            FloatVector u = FloatVector.fromMemorySegment(F, up, 4 * i, LE).max(-limit).min(limit);
            FloatVector sig = Exp.exp(g.mul(-alpha)).add(1f);
            g.div(sig).mul(u.add(1f)).intoMemorySegment(out, 4 * i, LE);
        }
        for (; i < n; i++) {
            float g = Math.min(gate.getAtIndex(F32_LE, i), limit);
            float u = Math.clamp(up.getAtIndex(F32_LE, i), -limit, limit);
            out.setAtIndex(F32_LE, i, g / (1f + Exp.exp(-alpha * g)) * (u + 1f));
        }
    }

    /** out[i] = x[rows[i]], rows of {@code cols} floats. */
    static void gatherRows(MemorySegment x, int[] rows, MemorySegment out, int cols) {
        long rowBytes = 4L * cols;
        for (int i = 0; i < rows.length; i++) {
            MemorySegment.copy(x, rows[i] * rowBytes, out, i * rowBytes, rowBytes);
        }
    }

    /** out[rows[i]] += weights[i]·x[i], in order of i, rows of {@code cols} floats. */
    static void scatterAdd(MemorySegment x, int[] rows, float[] weights, MemorySegment out, int cols) {
        int bound = cols - cols % FL;
        for (int r = 0; r < rows.length; r++) {
            long src = 4L * r * cols;
            long dst = 4L * rows[r] * cols;
            float w = weights[r];
            FloatVector wv = FloatVector.broadcast(F, w);
            int c = 0;
            for (; c < bound; c += FL) {
                FloatVector o = FloatVector.fromMemorySegment(F, out, dst + 4L * c, LE);
                FloatVector.fromMemorySegment(F, x, src + 4L * c, LE).fma(wv, o)
                        .intoMemorySegment(out, dst + 4L * c, LE);
            }
            for (; c < cols; c++) {
                float o = out.get(F32_LE, dst + 4L * c);
                out.set(F32_LE, dst + 4L * c, Math.fma(x.get(F32_LE, src + 4L * c), w, o));
            }
        }
    }
}
