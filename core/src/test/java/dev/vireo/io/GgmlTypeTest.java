/*
 * The ggml type table agrees with DType wherever both describe a type, and ids are unique.
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.DType;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GgmlTypeTest {

    @Test
    void agreesWithDType() {
        for (DType t : DType.values()) {
            if (t.ggmlId() < 0) {
                assertTrue(GgmlType.of(t).isEmpty(), t.name());
                continue;
            }
            GgmlType g = GgmlType.fromId(t.ggmlId()).orElseThrow(() -> new AssertionError("no ggml type for " + t));
            assertEquals(t.name(), g.name());
            assertEquals(t.blockSize(), g.blockSize(), t.name());
            assertEquals(t.blockBytes(), g.blockBytes(), t.name());
            assertEquals(t, g.dtype().orElseThrow());
        }
    }

    @Test
    void idsAreUniqueAndRemovedIdsAbsent() {
        Set<Integer> ids = new HashSet<>();
        for (GgmlType g : GgmlType.values()) {
            assertTrue(ids.add(g.id()), g.name());
            assertEquals(g, GgmlType.fromId(g.id()).orElseThrow());
        }
        for (int removed : new int[] {4, 5, 31, 32, 33, 36, 37, 38, 43, -1, 1 << 20}) {
            assertTrue(GgmlType.fromId(removed).isEmpty(), "id " + removed);
        }
    }
}
