/*
 * ggml's CPU backend as test tooling: the prebuilt libggml-cpu-*.so that llama.cpp itself would load
 * here (the variant with the best ggml_backend_score for this CPU, as ggml_backend_load_best picks
 * it: zen4 on an AVX-512 EPYC), called through FFM. It exposes the two functions of a type's CPU
 * traits (ggml_get_type_traits_cpu) that a matmul is made of: from_float, which converts an
 * activation row to the weight's vec_dot type, and vec_dot, the block dot product of one weight row
 * with one converted activation row. Tests compare Vireo's activation quantizers and matmul with
 * them; they skip cleanly when llama.cpp was not fetched (LlamaCpp.require).
 */
package dev.vireo.testing;

import dev.vireo.reference.LlamaCpp;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.quant.VecDotType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The CPU type traits of the ggml build llama.cpp uses on this machine. */
public final class GgmlCpu {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor FROM_FLOAT = FunctionDescriptor.ofVoid(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor VEC_DOT = FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    /** ggml_type ids of the vec_dot types (ggml.h). */
    private static final Map<VecDotType, Integer> IDS = new EnumMap<>(Map.of(VecDotType.F32, 0, VecDotType.F16, 1,
            VecDotType.BF16, 30, VecDotType.Q8_0, 8, VecDotType.Q8_1, 9, VecDotType.Q8_K, 15));

    private static GgmlCpu instance;

    private final String variant;
    private final MethodHandle traits;

    private GgmlCpu(String variant, MethodHandle traits) {
        this.variant = variant;
        this.traits = traits;
    }

    /** The loaded library (once per JVM); skips the calling test where llama.cpp is absent (LlamaCpp.require). */
    public static synchronized GgmlCpu require() {
        if (instance == null) {
            instance = load(LlamaCpp.require().resolve("lib"));
        }
        return instance;
    }

    /** The file name of the CPU variant in use, e.g. {@code libggml-cpu-zen4.so}. */
    public String variant() {
        return variant;
    }

    private static GgmlCpu load(Path lib) {
        // The variants find libggml-base by its soname: load it first, for the life of the JVM.
        SymbolLookup.libraryLookup(lib.resolve("libggml-base.so"), Arena.global());
        List<Path> variants;
        try (Stream<Path> s = Files.list(lib)) {
            variants = s.filter(p -> p.getFileName().toString().matches("libggml-cpu-.*\\.so")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path best = null;
        int bestScore = 0;
        for (Path p : variants) {
            try (Arena scoring = Arena.ofConfined()) {
                SymbolLookup l = SymbolLookup.libraryLookup(p, scoring);
                int score = (int) LINKER.downcallHandle(l.find("ggml_backend_score").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
                if (score > bestScore) {
                    best = p;
                    bestScore = score;
                }
            } catch (Throwable t) {
                throw new IllegalStateException("scoring " + p, t);
            }
        }
        if (best == null) {
            throw new IllegalStateException("no libggml-cpu variant in " + lib + " supports this CPU");
        }
        SymbolLookup cpu = SymbolLookup.libraryLookup(best, Arena.global());
        try {
            LINKER.downcallHandle(cpu.find("ggml_cpu_init").orElseThrow(), FunctionDescriptor.ofVoid()).invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("ggml_cpu_init", t);
        }
        MethodHandle traits = LINKER.downcallHandle(cpu.find("ggml_get_type_traits_cpu").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        return new GgmlCpu(best.getFileName().toString(), traits);
    }

    /** struct ggml_type_traits_cpu of a ggml type id: {from_float, vec_dot, vec_dot_type, nrows}. */
    private MemorySegment traits(int ggmlType) {
        try {
            return ((MemorySegment) traits.invokeExact(ggmlType)).reinterpret(32);
        } catch (Throwable t) {
            throw new IllegalStateException("ggml_get_type_traits_cpu(" + ggmlType + ")", t);
        }
    }

    /** The vec_dot type ggml's CPU backend pairs with {@code weight}. */
    public VecDotType vecDotType(DType weight) {
        int id = traits(weight.ggmlId()).get(ValueLayout.JAVA_INT, 16);
        return IDS.entrySet().stream().filter(e -> e.getValue() == id).findFirst().orElseThrow().getKey();
    }

    /**
     * ggml's from_float for {@code type}: {@code x} (a whole number of blocks) in that type's bytes.
     * The output buffer starts zeroed (ggml leaves the bsums of an all-zero Q8_K block unwritten).
     */
    public byte[] fromFloat(VecDotType type, float[] x) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_FLOAT, x);
            MemorySegment out = arena.allocate(type.rowBytes(x.length), 64);
            MethodHandle f = LINKER.downcallHandle(traits(IDS.get(type)).get(ValueLayout.ADDRESS, 0), FROM_FLOAT);
            f.invokeExact(in, out, (long) x.length);
            return out.toArray(ValueLayout.JAVA_BYTE);
        } catch (Throwable t) {
            throw new IllegalStateException("from_float of " + type, t);
        }
    }

    /**
     * ggml's vec_dot for weight type {@code weight}: one weight row of {@code n} values (its bytes
     * from {@code w}) with one activation row already in the vec_dot type ({@code activation}).
     */
    public float vecDot(DType weight, int n, MemorySegment w, long wOffset, byte[] activation) {
        try (Arena arena = Arena.ofConfined()) {
            long rowBytes = weight.rowBytes(n);
            MemorySegment wRow = arena.allocate(rowBytes, 64);
            wRow.copyFrom(w.asSlice(wOffset, rowBytes));
            MemorySegment act = arena.allocate(activation.length, 64);
            act.copyFrom(MemorySegment.ofArray(activation));
            MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT);
            MethodHandle f = LINKER.downcallHandle(traits(weight.ggmlId()).get(ValueLayout.ADDRESS, 8), VEC_DOT);
            f.invokeExact(n, s, 0L, wRow, 0L, act, 0L, 1);
            return s.get(ValueLayout.JAVA_FLOAT, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("vec_dot of " + weight, t);
        }
    }
}
