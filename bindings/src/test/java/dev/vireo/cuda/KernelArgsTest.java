/*
 * KernelArgs and Dim3 without a GPU: typed slots, reuse after clear(), the printed form used in
 * launch errors, and the limits.
 */
package dev.vireo.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KernelArgsTest {

    @Test
    void slotsKeepTheirKindsAndValues() {
        try (KernelArgs args = new KernelArgs(4)) {
            args.i32(4096).f32(1e-5f).i64(-3L);
            assertEquals(3, args.count());
            assertEquals(KernelArgs.Kind.I32, args.kind(0));
            assertEquals(4, args.kind(1).size());
            assertEquals(8, args.kind(2).size());
            assertEquals("(i32 4096, f32 1.0E-5, i64 -3)", args.toString());
            args.clear().i64(7);
            assertEquals("(i64 7)", args.toString());
            args.i32(1).i32(2).i32(3);
            assertThrows(IllegalStateException.class, () -> args.f32(0));
            assertThrows(IndexOutOfBoundsException.class, () -> args.kind(4));
        }
        assertThrows(IllegalArgumentException.class, () -> new KernelArgs(0));
    }

    @Test
    void dimensionsArePositive() {
        assertEquals(new Dim3(5, 1, 1), Dim3.of(5));
        assertEquals(12, new Dim3(2, 3, 2).count());
        assertEquals("(5,2,1)", Dim3.of(5, 2).toString());
        assertThrows(IllegalArgumentException.class, () -> Dim3.of(0));
        assertThrows(IllegalArgumentException.class, () -> new Dim3(1, -1, 1));
    }
}
