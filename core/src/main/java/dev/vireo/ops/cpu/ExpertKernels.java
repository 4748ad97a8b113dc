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

    /**
     * out = min(g, limit)·σ(alpha·min(g, limit))·(clamp(u, −limit, limit) + 1) over {@code n} floats,
     * a block of {@code buffer.length} at a time: e^(−alpha·g) is computed in {@code buffer} by Exp.
     */
    static void swigluOai(MemorySegment gate, MemorySegment up, float alpha, float limit, MemorySegment out,
            long n, float[] buffer) {
        for (long start = 0; start < n; start += buffer.length) {
            int len = (int) Math.min(buffer.length, n - start);
            int bound = len - len % FL;
            int j = 0;
            for (; j < bound; j += FL) {
                FloatVector.fromMemorySegment(F, gate, 4 * (start + j), LE).min(limit).mul(-alpha).intoArray(buffer, j);
            }
            for (; j < len; j++) {
                buffer[j] = -alpha * Math.min(gate.getAtIndex(F32_LE, start + j), limit);
            }
            Exp.exp(buffer, 0, len);
            for (j = 0; j < bound; j += FL) {
                long at = 4 * (start + j);
                FloatVector g = FloatVector.fromMemorySegment(F, gate, at, LE).min(limit);
                FloatVector u = FloatVector.fromMemorySegment(F, up, at, LE).max(-limit).min(limit);
                g.div(FloatVector.fromArray(F, buffer, j).add(1f)).mul(u.add(1f)).intoMemorySegment(out, at, LE);
            }
            for (; j < len; j++) {
                float g = Math.min(gate.getAtIndex(F32_LE, start + j), limit);
                float u = Math.clamp(up.getAtIndex(F32_LE, start + j), -limit, limit);
                out.setAtIndex(F32_LE, start + j, g / (1f + buffer[j]) * (u + 1f));
            }
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
