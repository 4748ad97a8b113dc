/*
 * NativeLibrary without CUDA: a library that is not installed loads as "not loaded" with a reason,
 * and its downcalls throw SymbolUnavailableException naming it; with libc, a real symbol is called
 * and a missing one throws naming the symbol. No UnsatisfiedLinkError in any case.
 */
package dev.vireo.cuda.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeLibraryTest {

    @Test
    void aMissingLibraryIsReportedNotThrown() throws Throwable {
        NativeLibrary lib = NativeLibrary.load("the frobnicator", List.of("libvireo-absent-1.so", "libvireo-absent-2.so"),
                "install frobnicate");
        assertFalse(lib.isLoaded());
        assertFalse(lib.has("anything"));
        String reason = lib.failure().orElseThrow();
        assertEquals("the frobnicator is not available: libvireo-absent-1.so, libvireo-absent-2.so could not be loaded"
                + " (install frobnicate)", reason);
        MethodHandle h = lib.downcall(CPrototype.parse("int frob(int x)"));
        SymbolUnavailableException e = assertThrows(SymbolUnavailableException.class, () -> {
            int unused = (int) h.invokeExact(1);
        });
        assertEquals(reason, e.getMessage());
    }

    @Test
    void libcSymbolsLinkAndMissingOnesNameThemselves() throws Throwable {
        NativeLibrary libc = NativeLibrary.load("libc", List.of("libc.so.6"), "");
        assumeTrue(libc.isLoaded(), "not a glibc system");
        assertTrue(libc.has("strlen"));
        MethodHandle strlen = libc.downcall(CPrototype.parse("size_t strlen(const char *s)"));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocateFrom("vireo");
            assertEquals(5L, (long) strlen.invokeExact(s));
        }
        MethodHandle missing = libc.downcall(CPrototype.parse("CUresult cuInit(unsigned int Flags)"));
        SymbolUnavailableException e = assertThrows(SymbolUnavailableException.class, () -> {
            int unused = (int) missing.invokeExact(0);
        });
        assertTrue(e.getMessage().startsWith("libc.so.6 has no function cuInit"), e.getMessage());
    }
}
