/*
 * llama.cpp as an in-process benchmark peer: the prebuilt libllama of the npm package
 * @node-llama-cpp/linux-x64 (tools/llama-cpp/fetch.sh) driven through FFM with a handful of functions,
 * timed exactly as Vireo is timed. Struct layouts are those of llama.cpp v0.5.0 (the pinned
 * node-llama-cpp 3.22.1), read off the compiler with offsetof: llama_model_params 80 bytes,
 * llama_context_params 160 bytes (n_ctx @0, n_batch @4, n_ubatch @8, n_seq_max @12, n_threads @28,
 * n_threads_batch @32), llama_batch 56 bytes. All are passed by value in memory on x86-64, so only
 * their size, alignment and those offsets matter here.
 */
package dev.vireo.cli.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/** A model loaded in llama.cpp, ready to be timed. */
public final class LlamaCppPeer implements AutoCloseable {
    private static final MemoryLayout MODEL_PARAMS = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(10, ValueLayout.JAVA_LONG));
    private static final MemoryLayout CONTEXT_PARAMS = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(20, ValueLayout.JAVA_LONG));
    private static final MemoryLayout BATCH = MemoryLayout.structLayout(MemoryLayout.sequenceLayout(7, ValueLayout.JAVA_LONG));
    private static final ValueLayout A = ValueLayout.ADDRESS;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    private final Arena arena = Arena.ofShared();
    private final MethodHandle decode;
    private final MethodHandle batchGetOne;
    private final MethodHandle memoryClear;
    private final MethodHandle free;
    private final MethodHandle modelFree;
    private final MemorySegment model;
    private final MemorySegment context;
    private final MemorySegment memory;
    private final int vocab;

    /**
     * @param libDir the folder with libllama, libggml* and the CPU backend variants
     */
    public LlamaCppPeer(Path libDir, Path modelFile, int contextSize, int batch, int threads) {
        for (String lib : new String[] {"libggml-base.so", "libggml.v0.5.0.so", "libllama.v0.5.0.so"}) {
            if (!Files.isRegularFile(libDir.resolve(lib))) {
                throw new IllegalStateException("llama.cpp's prebuilt libraries are not in " + libDir
                        + "; run tools/llama-cpp/fetch.sh (needs npm)");
            }
        }
        SymbolLookup.libraryLookup(libDir.resolve("libggml-base.so"), arena);
        SymbolLookup ggml = SymbolLookup.libraryLookup(libDir.resolve("libggml.v0.5.0.so"), arena);
        SymbolLookup llama = SymbolLookup.libraryLookup(libDir.resolve("libllama.v0.5.0.so"), arena);
        Linker linker = Linker.nativeLinker();
        try {
            // The CPU backend (best variant for this machine) lives in a library of its own.
            linker.downcallHandle(ggml.find("ggml_backend_load_all_from_path").orElseThrow(),
                    FunctionDescriptor.ofVoid(A)).invokeExact(arena.allocateFrom(libDir.toString()));
            linker.downcallHandle(llama.find("llama_backend_init").orElseThrow(), FunctionDescriptor.ofVoid())
                    .invokeExact();
            MemorySegment mp = (MemorySegment) linker.downcallHandle(
                    llama.find("llama_model_default_params").orElseThrow(), FunctionDescriptor.of(MODEL_PARAMS))
                    .invokeExact((SegmentAllocator) arena);
            model = (MemorySegment) linker.downcallHandle(llama.find("llama_model_load_from_file").orElseThrow(),
                    FunctionDescriptor.of(A, A, MODEL_PARAMS)).invokeExact(arena.allocateFrom(modelFile.toString()), mp);
            if (model.address() == 0) {
                throw new IllegalStateException("llama.cpp could not load " + modelFile);
            }
            MemorySegment cp = (MemorySegment) linker.downcallHandle(
                    llama.find("llama_context_default_params").orElseThrow(), FunctionDescriptor.of(CONTEXT_PARAMS))
                    .invokeExact((SegmentAllocator) arena);
            cp.set(I, 0, contextSize);
            cp.set(I, 4, batch);
            cp.set(I, 8, batch);
            cp.set(I, 12, 1);
            cp.set(I, 28, threads);
            cp.set(I, 32, threads);
            context = (MemorySegment) linker.downcallHandle(llama.find("llama_init_from_model").orElseThrow(),
                    FunctionDescriptor.of(A, A, CONTEXT_PARAMS)).invokeExact(model, cp);
            if (context.address() == 0) {
                throw new IllegalStateException("llama.cpp could not create a context for " + modelFile);
            }
            memory = (MemorySegment) linker.downcallHandle(llama.find("llama_get_memory").orElseThrow(),
                    FunctionDescriptor.of(A, A)).invokeExact(context);
            MemorySegment v = (MemorySegment) linker.downcallHandle(llama.find("llama_model_get_vocab").orElseThrow(),
                    FunctionDescriptor.of(A, A)).invokeExact(model);
            vocab = (int) linker.downcallHandle(llama.find("llama_vocab_n_tokens").orElseThrow(),
                    FunctionDescriptor.of(I, A)).invokeExact(v);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("calling llama.cpp", t);
        }
        decode = linker.downcallHandle(llama.find("llama_decode").orElseThrow(), FunctionDescriptor.of(I, A, BATCH));
        batchGetOne = linker.downcallHandle(llama.find("llama_batch_get_one").orElseThrow(),
                FunctionDescriptor.of(BATCH, A, I));
        memoryClear = linker.downcallHandle(llama.find("llama_memory_clear").orElseThrow(),
                FunctionDescriptor.ofVoid(A, ValueLayout.JAVA_BOOLEAN));
        free = linker.downcallHandle(llama.find("llama_free").orElseThrow(), FunctionDescriptor.ofVoid(A));
        modelFree = linker.downcallHandle(llama.find("llama_model_free").orElseThrow(), FunctionDescriptor.ofVoid(A));
    }

    public int vocabularySize() {
        return vocab;
    }

    /** Forgets the KV cache (as llama-bench does before every test). */
    public void clear() {
        try {
            memoryClear.invokeExact(memory, true);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Evaluates {@code tokens} (appended to what the context holds) in one llama_decode call. */
    public void decode(int[] tokens) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment ids = call.allocateFrom(ValueLayout.JAVA_INT, tokens);
            MemorySegment batch = (MemorySegment) batchGetOne.invokeExact((SegmentAllocator) call, ids, tokens.length);
            int rc = (int) decode.invokeExact(context, batch);
            if (rc != 0) {
                throw new IllegalStateException("llama_decode returned " + rc);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            free.invokeExact(context);
            modelFree.invokeExact(model);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
