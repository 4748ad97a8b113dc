/*
 * What a machine without CUDA sees: the probe turns a missing driver library, or a library that is
 * not the driver, into an unavailable status with one sentence of reason, never an exception; the
 * real probe's status is consistent; Cuda.require() and CudaContext.open() throw
 * CudaUnavailableException with that sentence. Runs everywhere (the parts that need the driver to
 * be absent skip on a GPU machine).
 */
package dev.vireo.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vireo.cuda.ffi.CudaDriver;
import dev.vireo.cuda.ffi.NativeLibrary;
import java.util.List;
import org.junit.jupiter.api.Test;

class CudaAvailabilityTest {

    @Test
    void aMissingDriverIsAnUnavailableStatusWithItsReason() {
        CudaStatus s = Cuda.probe(NativeLibrary.load("the CUDA driver", List.of("libvireo-no-cuda.so.1"), "install it"));
        assertFalse(s.available());
        assertEquals("the CUDA driver is not available: libvireo-no-cuda.so.1 could not be loaded (install it)",
                s.reason());
        assertEquals(0, s.deviceCount());
        assertEquals("none", s.driverVersionText());
    }

    @Test
    void aLibraryThatIsNotTheDriverIsUnavailableToo() {
        NativeLibrary libc = NativeLibrary.load("the CUDA driver", List.of("libc.so.6"), "");
        assumeTrue(libc.isLoaded(), "not a glibc system");
        CudaStatus s = Cuda.probe(libc);
        assertFalse(s.available());
        assertTrue(s.reason().startsWith("libc.so.6 has no function cuDriverGetVersion"), s.reason());
    }

    @Test
    void theRealStatusIsConsistent() {
        CudaStatus s = Cuda.status();
        assertEquals(s.available(), s.reason().isEmpty(), s.toString());
        assertEquals(s.available(), s.deviceCount() > 0, s.toString());
        assertTrue(s == Cuda.status(), "probed once");
    }

    @Test
    void withoutCudaRequireAndOpenSayWhy() {
        assumeFalse(Cuda.available(), "this machine has CUDA");
        String reason = Cuda.status().reason();
        assertFalse(reason.isBlank());
        assertFalse(reason.contains("\n"), "one line: " + reason);
        if (!CudaDriver.library().isLoaded()) {
            assertTrue(reason.contains("libcuda.so.1") && reason.contains(CudaDriver.LIBRARY_PROPERTY), reason);
        }
        assertEquals(reason, assertThrows(CudaUnavailableException.class, Cuda::require).getMessage());
        assertEquals(reason, assertThrows(CudaUnavailableException.class, () -> CudaContext.open(0)).getMessage());
    }

    @Test
    void versionsPrintAsMajorMinor() {
        assertEquals("12.4", CudaStatus.versionText(12040));
        assertEquals("13.0", CudaStatus.versionText(13000));
        assertEquals("12.10", CudaStatus.versionText(12100));
        assertThrows(IllegalArgumentException.class, () -> new CudaStatus(true, "but why", 13000, 1));
        assertThrows(IllegalArgumentException.class, () -> new CudaStatus(false, "", 0, 0));
    }
}
