/*
 * Checked access to a model's tensors for the family loaders: every matrix is checked for its shape
 * and for a type the backend can multiply (so "unsupported" is known at load, naming the architecture,
 * the tensor and the type), and small vectors (norm weights, biases, sinks) are decoded once to F32 in
 * the model's arena so every op can take them as they are.
 */
package dev.vireo.model;

import dev.vireo.io.ModelFormatException;
import dev.vireo.io.TensorSource;
import dev.vireo.ops.Ops;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.Codecs;
import java.lang.foreign.Arena;
import java.util.Optional;

/** Reads and checks weights for one architecture from a {@link TensorSource}. */
public final class WeightLoader {
    private final String architecture;
    private final TensorSource source;
    private final Ops ops;
    private final Arena arena;

    /**
     * @param arena owns the F32 copies of vectors; must live as long as the model
     */
    public WeightLoader(String architecture, TensorSource source, Ops ops, Arena arena) {
        this.architecture = architecture;
        this.source = source;
        this.ops = ops;
        this.arena = arena;
    }

    public TensorSource source() {
        return source;
    }

    /** A weight matrix [rows, cols] in any type the backend multiplies. */
    public Tensor matrix(String name, long rows, long cols) {
        return checkMultipliable(source.require(name, Shape.of(rows, cols)));
    }

    /** A stacked weight [outer, rows, cols] (MoE experts) in any type the backend multiplies. */
    public Tensor stacked(String name, long outer, long rows, long cols) {
        return checkMultipliable(source.require(name, Shape.of(outer, rows, cols)));
    }

    /** A matrix view already taken from the source (a slice of a fused tensor), checked like the others. */
    public Tensor multipliable(Tensor t) {
        return checkMultipliable(t);
    }

    /** The matrix if the file has it. */
    public Optional<Tensor> optionalMatrix(String name, long rows, long cols) {
        return source.contains(name) ? Optional.of(matrix(name, rows, cols)) : Optional.empty();
    }

    /** A vector [length] (any float type in the file), decoded to an F32 copy. */
    public Tensor vector(String name, long length) {
        Tensor t = source.require(name);
        if (t.shape().elementCount() != length || t.shape().rowLength() != length) {
            throw new ModelFormatException(source.source() + ": tensor '" + name + "': expected shape [" + length
                    + "], found " + t.shape());
        }
        return toF32(t);
    }

    /** The vector if the file has it. */
    public Optional<Tensor> optionalVector(String name, long length) {
        return source.contains(name) ? Optional.of(vector(name, length)) : Optional.empty();
    }

    /** An F32 copy of any tensor (kept small: vectors and per-expert bias tables). */
    public Tensor toF32(Tensor t) {
        if (t.type().isQuantized() && t.cols() % t.type().blockSize() != 0) {
            throw new ModelFormatException(source.source() + ": tensor '" + t.name() + "' is not whole blocks");
        }
        Tensor out = Tensor.allocate(arena, t.name(), DType.F32, t.shape());
        float[] row = new float[t.cols()];
        for (int r = 0; r < t.rows(); r++) {
            Codecs.decoder(t.type()).decode(t.data(), r * t.rowBytes(), row, 0, row.length);
            java.lang.foreign.MemorySegment.copy(row, 0, out.data(), Tensor.F32_LE, (long) r * row.length * 4, row.length);
        }
        return out;
    }

    private Tensor checkMultipliable(Tensor t) {
        if (!ops.matmulTypes().contains(t.type())) {
            throw new ModelFormatException(source.source() + ": " + architecture + " tensor '" + t.name() + "' is "
                    + t.type() + ", which the " + ops.name() + " backend's matmul does not support (supported: "
                    + ops.matmulTypes() + ")");
        }
        return t;
    }
}
