/*
 * Element counts of shapes read from files. A shape is accepted only if the product of its non-zero
 * dimensions fits in a long: then every partial product does too, in any order, so Shape, Tensor and
 * any loop over the dimensions can multiply them safely even when a zero makes the tensor empty
 * ([2^62, 2^32, 0] has no elements but would overflow Shape.elementCount). Found by the fuzz suite.
 */
package dev.vireo.io;

/** Overflow-safe element counts. */
final class ElementCounts {
    private ElementCounts() {}

    /** The number of elements of {@code dims}, or -1 if the product of its non-zero dimensions overflows. */
    static long of(long[] dims) {
        long nonZero = 1;
        boolean empty = false;
        for (long d : dims) {
            if (d == 0) {
                empty = true;
            } else if (d < 0 || nonZero > Long.MAX_VALUE / d) {
                return -1;
            } else {
                nonZero *= d;
            }
        }
        return empty ? 0 : nonZero;
    }
}
