/*
 * NVRTC and cuBLASLt are optional: where they are not installed their holders load, report why,
 * and their calls throw SymbolUnavailableException naming the library; where they are, the version
 * queries answer.
 */
package dev.vireo.cuda.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class OptionalLibrariesTest {

    @Test
    void nvrtcAnswersOrSaysItIsMissing() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment major = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment minor = arena.allocate(ValueLayout.JAVA_INT);
            if (Nvrtc.library().isLoaded()) {
                assertEquals(Nvrtc.NVRTC_SUCCESS, Nvrtc.nvrtcVersion(major, minor));
                assertTrue(major.get(ValueLayout.JAVA_INT, 0) >= 12);
            } else {
                String message = assertThrows(SymbolUnavailableException.class, () -> Nvrtc.nvrtcVersion(major, minor))
                        .getMessage();
                assertTrue(message.startsWith("NVRTC is not available: libnvrtc.so.13, libnvrtc.so.12 could not be loaded"
                        + " (optional"), message);
            }
        }
    }

    @Test
    void cublasLtAnswersOrSaysItIsMissing() {
        if (CublasLt.library().isLoaded()) {
            assertTrue(CublasLt.cublasLtGetVersion() >= 120000);
        } else {
            String message = assertThrows(SymbolUnavailableException.class, CublasLt::cublasLtGetVersion).getMessage();
            assertTrue(message.startsWith("cuBLASLt is not available: libcublasLt.so.13, libcublasLt.so.12"), message);
        }
    }
}
