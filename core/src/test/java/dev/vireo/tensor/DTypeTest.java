/*
 * DType's block geometry and ids, derived here from ggml's block structs (ggml-common.h: one f16 is
 * 2 bytes, QK_K = 256, K_SCALE_SIZE = 12) and type ids (ggml.h). LlamaCppDequantTest also checks
 * them against the type traits libggml-base itself reports.
 */
package dev.vireo.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DTypeTest {
    private static final int HALF = 2;
    private static final int QK_K = 256;

    @Test
    void blockGeometryFollowsGgmlBlockStructs() {
        assertGeometry(DType.Q8_0, 32, HALF + 32);                       // d, qs[32]
        assertGeometry(DType.Q4_0, 32, HALF + 32 / 2);                   // d, qs[16]
        assertGeometry(DType.Q4_1, 32, 2 * HALF + 32 / 2);               // d, m, qs[16]
        assertGeometry(DType.Q5_0, 32, HALF + 4 + 32 / 2);               // d, qh[4], qs[16]
        assertGeometry(DType.Q5_1, 32, 2 * HALF + 4 + 32 / 2);           // d, m, qh[4], qs[16]
        assertGeometry(DType.Q4_K, QK_K, 2 * HALF + 12 + QK_K / 2);      // d, dmin, scales, qs
        assertGeometry(DType.Q5_K, QK_K, 2 * HALF + 12 + QK_K / 8 + QK_K / 2); // + qh
        assertGeometry(DType.Q6_K, QK_K, QK_K / 2 + QK_K / 4 + QK_K / 16 + HALF); // ql, qh, scales, d
        assertGeometry(DType.MXFP4, 32, 1 + 32 / 2);                     // e, qs[16]
        assertGeometry(DType.F32, 1, 4);
        assertGeometry(DType.F16, 1, 2);
        assertGeometry(DType.BF16, 1, 2);
    }

    @Test
    void ggmlIdsFollowGgmlH() {
        int[][] ids = {{0, 0}, {1, 1}, {30, 2}, {8, 3}, {2, 4}, {3, 5}, {6, 6}, {7, 7}, {12, 8}, {13, 9},
            {14, 10}, {39, 11}, {24, 12}, {25, 13}, {26, 14}, {27, 15}, {28, 16}};
        DType[] types = {DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0, DType.Q4_1, DType.Q5_0,
            DType.Q5_1, DType.Q4_K, DType.Q5_K, DType.Q6_K, DType.MXFP4, DType.I8, DType.I16, DType.I32,
            DType.I64, DType.F64};
        for (int[] pair : ids) {
            DType t = types[pair[1]];
            assertEquals(pair[0], t.ggmlId(), t.toString());
            assertEquals(Optional.of(t), DType.fromGgmlId(pair[0]));
        }
        assertEquals(-1, DType.U8.ggmlId());
        assertEquals(Optional.empty(), DType.fromGgmlId(-1));
        assertEquals(Optional.empty(), DType.fromGgmlId(9));   // Q8_1: not a file type Vireo reads
        assertEquals(Optional.empty(), DType.fromGgmlId(40));  // NVFP4
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rowBytesNeedsWholeBlocks(DType t) {
        assertEquals(0, t.rowBytes(0));
        assertEquals(3L * t.blockBytes(), t.rowBytes(3L * t.blockSize()));
        assertThrows(IllegalArgumentException.class, () -> t.rowBytes(-t.blockSize()));
        if (t.isQuantized()) {
            assertThrows(IllegalArgumentException.class, () -> t.rowBytes(t.blockSize() + 1));
        }
    }

    @Test
    void kinds() {
        assertTrue(DType.MXFP4.isQuantized());
        assertFalse(DType.BF16.isQuantized());
        assertTrue(DType.BF16.isFloat());
        assertFalse(DType.I32.isFloat());
    }

    private static void assertGeometry(DType t, int blockSize, int blockBytes) {
        assertEquals(blockSize, t.blockSize(), t + " block size");
        assertEquals(blockBytes, t.blockBytes(), t + " block bytes");
    }
}
