/*
 * Scratch activations for a forward pass, allocated once per session and reused for every step.
 * Buffers are named; each grows (geometrically, up to the batch limit) the first times a step needs
 * more rows, and a step takes a view of its first n rows, so steady-state decoding allocates nothing
 * but small view objects. Growing on demand keeps e.g. the [rows, vocab] logits buffer at one row
 * when only the last position's logits are asked for.
 */
package dev.vireo.model;

import dev.vireo.ops.Ops;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;

/** Named F32 scratch buffers of up to {@link #maxBatch()} rows, owned by one session. */
public final class Workspace implements AutoCloseable {
    private final Ops ops;
    private final int maxBatch;
    private final Arena arena = Arena.ofShared();
    private final Map<String, Tensor> buffers = new HashMap<>();

    public Workspace(Ops ops, int maxBatch) {
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("maxBatch must be positive, got " + maxBatch);
        }
        this.ops = ops;
        this.maxBatch = maxBatch;
    }

    /** Rows one forward step may hold. */
    public int maxBatch() {
        return maxBatch;
    }

    /** The first {@code rows} rows of buffer {@code name} with {@code cols} columns. */
    public Tensor get(String name, int rows, int cols) {
        if (rows > maxBatch || rows <= 0) {
            throw new IllegalArgumentException("step of " + rows + " rows outside the workspace's 1.." + maxBatch);
        }
        Tensor t = buffers.get(name);
        if (t == null || t.cols() != cols || t.rows() < rows) {
            int capacity = t == null || t.cols() != cols ? rows : Math.min(maxBatch, Math.max(rows, 2 * t.rows()));
            t = ops.allocate(arena, name, capacity, cols);
            buffers.put(name, t);
        }
        return rows == t.rows() ? t : t.rows(0, rows);
    }

    @Override
    public void close() {
        buffers.clear();
        arena.close();
    }
}
