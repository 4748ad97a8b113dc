/*
 * Models that cannot be run give an error naming the file, the tensor or key, and what was expected:
 * unknown architecture, missing tensor, wrong shape, a type the backend cannot multiply, an
 * inconsistent head count. Built from a small synthetic llama GGUF.
 */
package dev.vireo.model.arch;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufWriter;
import dev.vireo.io.ModelFormatException;
import dev.vireo.model.Architectures;
import dev.vireo.ops.ref.RefOps;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadModelTest {
    @TempDir
    Path tmp;

    /** A 1-layer llama with hidden 32; {@code edit} may change the writer before tensors are added. */
    private Path model(String arch, int heads, Consumer<GgufWriter> edit, String skip, String reshape, DType typeOf) {
        try (Arena arena = Arena.ofConfined()) {
            GgufWriter w = new GgufWriter();
            w.putString("general.architecture", arch);
            w.putUInt32(arch + ".context_length", 64);
            w.putUInt32(arch + ".embedding_length", 32);
            w.putUInt32(arch + ".block_count", 1);
            w.putUInt32(arch + ".feed_forward_length", 64);
            w.putUInt32(arch + ".attention.head_count", heads);
            w.putUInt32(arch + ".attention.head_count_kv", 2);
            w.putFloat32(arch + ".attention.layer_norm_rms_epsilon", 1e-5f);
            edit.accept(w);
            Object[][] tensors = {
                {"token_embd.weight", 100, 32}, {"output_norm.weight", 0, 32},
                {"blk.0.attn_norm.weight", 0, 32}, {"blk.0.attn_q.weight", 32, 32}, {"blk.0.attn_k.weight", 16, 32},
                {"blk.0.attn_v.weight", 16, 32}, {"blk.0.attn_output.weight", 32, 32},
                {"blk.0.ffn_norm.weight", 0, 32}, {"blk.0.ffn_gate.weight", 64, 32}, {"blk.0.ffn_up.weight", 64, 32},
                {"blk.0.ffn_down.weight", 32, 64}};
            for (Object[] t : tensors) {
                String name = (String) t[0];
                if (name.equals(skip)) {
                    continue;
                }
                int rows = (int) t[1];
                int cols = (int) t[2];
                Shape shape = rows == 0 ? Shape.of(cols) : Shape.of(rows, name.equals(reshape) ? cols * 2 : cols);
                DType type = name.equals("blk.0.attn_q.weight") && typeOf != null ? typeOf : DType.F32;
                w.addTensor(Tensor.allocate(arena, name, type, shape));
            }
            Path p = tmp.resolve(arch + "-" + skip + "-" + reshape + "-" + typeOf + "-" + heads + ".gguf");
            w.write(p);
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String loadError(Path p) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> {
            try (GgufFile f = GgufFile.open(p)) {
                Architectures.gguf(f.architecture(), f.source()).load(f, new RefOps(), Arena.ofShared()).close();
            }
        });
        return e.getMessage();
    }

    @Test
    void wellFormedModelLoads() throws Exception {
        try (GgufFile f = GgufFile.open(model("llama", 4, w -> { }, null, null, null))) {
            Architectures.gguf("llama", f.source()).load(f, new RefOps(), Arena.ofShared());
        }
    }

    @Test
    void unknownArchitectureIsNamed() {
        String m = loadError(model("mamba9", 4, w -> { }, null, null, null));
        assertTrue(m.contains("'mamba9' is not supported") && m.contains("llama"), m);
    }

    @Test
    void missingTensorIsNamed() {
        String m = loadError(model("llama", 4, w -> { }, "blk.0.ffn_up.weight", null, null));
        assertTrue(m.contains("missing tensor 'blk.0.ffn_up.weight'"), m);
    }

    @Test
    void wrongShapeNamesExpectedAndActual() {
        String m = loadError(model("llama", 4, w -> { }, null, "blk.0.attn_v.weight", null));
        assertTrue(m.contains("blk.0.attn_v.weight") && m.contains("[16, 32]") && m.contains("[16, 64]"), m);
    }

    @Test
    void unsupportedTypeNamesBackendAndType() {
        String m = loadError(model("llama", 4, w -> { }, null, null, DType.I32));
        assertTrue(m.contains("blk.0.attn_q.weight") && m.contains("I32") && m.contains("ref"), m);
    }

    @Test
    void inconsistentHeadsAreRejected() {
        String m = loadError(model("llama", 3, w -> { }, null, null, null));
        assertTrue(m.contains("heads 3"), m);
    }
}
