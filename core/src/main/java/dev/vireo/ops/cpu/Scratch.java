/*
 * One worker's private buffers, allocated once and grown rarely (when a longer sequence or a wider
 * row than ever before arrives), so that no op allocates on the hot path.
 */
package dev.vireo.ops.cpu;

/** Per-worker scratch arrays. */
final class Scratch {
    /** Decoded chunks of Matmul.ROWS weight rows (Matmul.CHUNK floats each). */
    final float[] weights = new float[Matmul.ROWS * Matmul.CHUNK];
    /** Per-token vector accumulators of Matmul.ROWS output rows: two FL-vectors per token of a tile, per row. */
    final float[] accumulators = new float[Matmul.ROWS * Matmul.TOKEN_TILE * 2 * Vec.FL];
    /** The bias m of each block of one Q4_1 / Q5_1 weight row; grows with the row. */
    float[] mins = new float[128];
    /** Attention scores of one (query, head); grows with the sequence. */
    float[] scores = new float[256];
    /** One head's query and its output accumulator; grows with headDim. */
    float[] query = new float[128];
    float[] accumulator = new float[128];

    static float[] grow(float[] a, int n) {
        return a.length >= n ? a : new float[Math.max(n, a.length + a.length / 2)];
    }
}
