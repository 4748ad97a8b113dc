/*
 * A shared library opened with dlopen (SymbolLookup.libraryLookup) that never throws while loading:
 * a library that is not installed, or a symbol an old version lacks, becomes a downcall handle that
 * throws SymbolUnavailableException with one sentence naming the library, the symbol and the reason
 * when (and only when) it is called. Binding classes can therefore link every function eagerly in
 * their holder classes (as jextract does) on machines without a GPU, and a caller that checks
 * isLoaded() first never sees an UnsatisfiedLinkError or a stack dump.
 *
 * Tested by NativeLibraryTest (a library that does not exist, libc's symbols, a missing symbol).
 */
package dev.vireo.cuda.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A native library and the downcall handles into it. */
public final class NativeLibrary {
    private static final MethodHandle NEW_UNAVAILABLE;

    static {
        try {
            NEW_UNAVAILABLE = MethodHandles.lookup().findConstructor(SymbolUnavailableException.class,
                    MethodType.methodType(void.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final SymbolLookup lookup;
    private final String failure;

    private NativeLibrary(String name, SymbolLookup lookup, String failure) {
        this.name = name;
        this.lookup = lookup;
        this.failure = failure;
    }

    /**
     * Opens the first of {@code candidates} (file names searched the way dlopen searches, or paths)
     * that loads. The library stays loaded for the life of the process, as drivers must.
     *
     * @param what a human name for messages ("the CUDA driver")
     * @param hint what to do when none loads, appended to the failure ("install the NVIDIA driver")
     */
    @SuppressWarnings("restricted") // loading native code is this class's purpose
    public static NativeLibrary load(String what, List<String> candidates, String hint) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no library names to try for " + what);
        }
        for (String candidate : candidates) {
            try {
                // Arena.global(): a driver library is never unloaded while handles into it may exist.
                return new NativeLibrary(candidate, SymbolLookup.libraryLookup(candidate, Arena.global()), null);
            } catch (IllegalArgumentException | IllegalCallerException notThere) {
                // try the next name; the reason for the last one is reported below
            }
        }
        String tried = String.join(", ", candidates);
        return new NativeLibrary(candidates.getFirst(), null,
                what + " is not available: " + tried + " could not be loaded" + (hint.isEmpty() ? "" : " (" + hint + ")"));
    }

    /** Whether the library was opened. */
    public boolean isLoaded() {
        return lookup != null;
    }

    /** The file name it was opened under (or the first one tried). */
    public String name() {
        return name;
    }

    /** Why it could not be opened; empty if it was. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether the library is loaded and exports {@code symbol}. */
    public boolean has(String symbol) {
        return lookup != null && lookup.find(symbol).isPresent();
    }

    /**
     * A downcall handle for {@code prototype}: linked to the symbol if the library exports it,
     * otherwise a handle of the same type that throws {@link SymbolUnavailableException} saying why.
     */
    @SuppressWarnings("restricted") // the descriptor comes from the checked prototype tables
    public MethodHandle downcall(CPrototype prototype) {
        Objects.requireNonNull(prototype, "prototype");
        MethodType type = prototype.descriptor().toMethodType();
        if (lookup == null) {
            return thrower(type, failure);
        }
        Optional<MemorySegment> address = lookup.find(prototype.name());
        if (address.isEmpty()) {
            return thrower(type, name + " has no function " + prototype.name()
                    + " (the installed version is older than the one Vireo was written against; update it)");
        }
        return Linker.nativeLinker().downcallHandle(address.get(), prototype.descriptor());
    }

    /** A handle of {@code type} that throws a new SymbolUnavailableException(message) on every call. */
    private static MethodHandle thrower(MethodType type, String message) {
        MethodHandle raise = MethodHandles.throwException(type.returnType(), SymbolUnavailableException.class);
        MethodHandle raiseNew = MethodHandles.collectArguments(raise, 0, NEW_UNAVAILABLE.bindTo(message));
        return MethodHandles.dropArguments(raiseNew, 0, type.parameterList());
    }
}
