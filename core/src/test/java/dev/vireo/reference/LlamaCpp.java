/*
 * llama.cpp, the independent reference, as test tooling: where its source and prebuilt libraries were
 * fetched (tools/llama-cpp/fetch.sh), and its own quantizer (llama_model_quantize, what the
 * llama-quantize tool runs) called through FFM on the prebuilt libllama, so fixtures can be made
 * exactly as llama.cpp makes them without building it.
 */
package dev.vireo.reference;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Access to the fetched llama.cpp for tests. */
public final class LlamaCpp {
    private LlamaCpp() {}

    /** llama_ftype values used by the fixtures (llama.h). */
    public enum FileType {
        ALL_F32(0), MOSTLY_Q4_0(2), MOSTLY_Q8_0(7), MOSTLY_Q4_K_M(15), MOSTLY_Q6_K(18), MOSTLY_MXFP4_MOE(38);

        final int id;

        FileType(int id) {
            this.id = id;
        }
    }

    /** The fetched llama.cpp directory, if present. */
    public static Optional<Path> home() {
        String dir = System.getProperty("vireo.llamacpp.dir");
        if (dir == null) {
            return Optional.empty();
        }
        Path p = Path.of(dir);
        return Files.isDirectory(p.resolve("src")) && Files.isDirectory(p.resolve("lib")) ? Optional.of(p) : Optional.empty();
    }

    /**
     * The fetched llama.cpp, or the test is skipped — except on CI (CI=true), where its absence is a
     * failure: the comparison with llama.cpp must run there.
     */
    public static Path require() {
        Optional<Path> home = home();
        if (home.isEmpty()) {
            String msg = "llama.cpp not fetched (run tools/llama-cpp/fetch.sh); looked in "
                    + System.getProperty("vireo.llamacpp.dir");
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(msg);
            }
            Assumptions.abort(msg);
        }
        return home.get();
    }

    /** A file from llama.cpp's source tree, e.g. {@code models/ggml-vocab-llama-bpe.gguf}. */
    public static Path source(String relative) {
        return require().resolve("src").resolve(relative);
    }

    private static final long PARAMS_SIZE = 64;
    private static final long FTYPE_OFFSET = 4;
    private static final long PURE_OFFSET = 19;
    private static final long NTHREAD_OFFSET = 0;

    /**
     * Quantizes a GGUF model with llama.cpp's own quantizer (llama_model_quantize, the function the
     * llama-quantize tool calls), like {@code llama-quantize [--pure] in out TYPE 2}.
     */
    public static void quantize(Path in, Path out, FileType type, boolean pure) {
        Path lib = require().resolve("lib");
        try (Arena arena = Arena.ofConfined()) {
            // libllama finds its ggml dependencies through its rpath-less soname: load them first.
            SymbolLookup.libraryLookup(lib.resolve("libggml-base.so"), arena);
            SymbolLookup.libraryLookup(lib.resolve("libggml.v0.5.0.so"), arena);
            SymbolLookup llama = SymbolLookup.libraryLookup(lib.resolve("libllama.v0.5.0.so"), arena);
            Linker linker = Linker.nativeLinker();
            MemoryLayout paramsLayout = MemoryLayout.structLayout(
                    MemoryLayout.sequenceLayout(PARAMS_SIZE / 8, ValueLayout.JAVA_LONG));
            MethodHandle defaults = linker.downcallHandle(
                    llama.find("llama_model_quantize_default_params").orElseThrow(),
                    FunctionDescriptor.of(paramsLayout));
            MethodHandle quantize = linker.downcallHandle(llama.find("llama_model_quantize").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.ADDRESS));
            MemorySegment params = (MemorySegment) defaults.invokeExact((java.lang.foreign.SegmentAllocator) arena);
            params.set(ValueLayout.JAVA_INT, NTHREAD_OFFSET, 2);
            params.set(ValueLayout.JAVA_INT, FTYPE_OFFSET, type.id);
            params.set(ValueLayout.JAVA_BOOLEAN, PURE_OFFSET, pure);
            int rc = (int) quantize.invokeExact(arena.allocateFrom(in.toString()), arena.allocateFrom(out.toString()),
                    params);
            if (rc != 0) {
                throw new IllegalStateException("llama_model_quantize(" + in + " → " + type + ") returned " + rc);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("calling llama.cpp's quantizer", t);
        }
    }
}
