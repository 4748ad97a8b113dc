/*
 * The launchers' shape rules and grid choices, without a GPU.
 */
package dev.vireo.cuda.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LaunchShapesTest {

    @Test
    void rmsNormBlocksAreWholeWarpsUpTo1024() {
        assertEquals(32, RmsNorm.threadsFor(1));
        assertEquals(32, RmsNorm.threadsFor(32));
        assertEquals(64, RmsNorm.threadsFor(33));
        assertEquals(1024, RmsNorm.threadsFor(1024));
        assertEquals(1024, RmsNorm.threadsFor(4097));
        assertThrows(IllegalArgumentException.class, () -> RmsNorm.checkShape(0, 8));
        assertThrows(IllegalArgumentException.class, () -> RmsNorm.checkShape(1, 0));
        assertThrows(IllegalArgumentException.class, () -> RmsNorm.checkBytes("x", 4 * 31, 4 * 32));
    }

    @Test
    void q8_0SizesAndLimits() {
        assertEquals(34L * 4097 * 136, GemvQ.weightBytes(4097, 4352));
        assertEquals(17L * 4352, GemvQ.codesBytes(17, 4352));
        assertEquals(4L * 17 * 136, GemvQ.scalesBytes(17, 4352));
        assertEquals(1, GemvQ.quantizeGrid(1));
        assertEquals(1, GemvQ.quantizeGrid(8));
        assertEquals(2, GemvQ.quantizeGrid(9));
        assertThrows(IllegalArgumentException.class, () -> GemvQ.checkQ8_0(1, 33));
        assertThrows(IllegalArgumentException.class, () -> GemvQ.checkQ8_0(1, 0));
        assertThrows(IllegalArgumentException.class, () -> GemvQ.checkGemv(0, 32, 1));
        assertThrows(IllegalArgumentException.class, () -> GemvQ.checkGemv(1, 32, 65536));
        GemvQ.checkGemv(4097, 4352, 37);
    }
}
