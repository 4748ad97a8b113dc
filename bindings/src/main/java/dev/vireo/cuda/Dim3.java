/*
 * A CUDA launch dimension (grid or block), with the driver's limits checked in Java.
 */
package dev.vireo.cuda;

/**
 * Grid or block dimensions.
 *
 * @param x ≥ 1
 * @param y ≥ 1
 * @param z ≥ 1
 */
public record Dim3(int x, int y, int z) {
    public Dim3 {
        if (x < 1 || y < 1 || z < 1) {
            throw new IllegalArgumentException("launch dimensions must be ≥ 1, got " + x + "×" + y + "×" + z);
        }
    }

    public static Dim3 of(int x) {
        return new Dim3(x, 1, 1);
    }

    public static Dim3 of(int x, int y) {
        return new Dim3(x, y, 1);
    }

    /** x·y·z. */
    public long count() {
        return (long) x * y * z;
    }

    @Override
    public String toString() {
        return "(" + x + "," + y + "," + z + ")";
    }
}
