/*
 * What model loaders read weights from: a name -> tensor view map over a GGUF file, a safetensors file
 * or a sharded safetensors checkpoint (model-spec.md §2.3, §3.1). Views are never copies; the source
 * owns the mapping, so tensors are valid until it is closed. Tested by TensorSourceTest.
 */
package dev.vireo.io;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Named tensors of a model file or checkpoint directory. */
public interface TensorSource extends AutoCloseable {

    /** The file or directory the tensors come from, as errors name it. */
    String source();

    /** Tensor names in file order. */
    Set<String> names();

    /** True if a tensor of this name exists (even one whose type Vireo cannot read). */
    default boolean contains(String name) {
        return names().contains(name);
    }

    /**
     * A view of the named tensor, or empty if there is none.
     *
     * @throws ModelFormatException if the tensor exists but its type cannot be read by Vireo
     */
    Optional<Tensor> find(String name);

    /**
     * A view of the named tensor.
     *
     * @throws ModelFormatException if it is missing or its type cannot be read
     */
    default Tensor require(String name) {
        return find(name).orElseThrow(() -> new ModelFormatException(source() + ": missing tensor '" + name + "'"));
    }

    /**
     * A view of the named tensor, checked against the shape the architecture expects and the types
     * it accepts.
     *
     * @param expected the expected shape (outermost first), or null for any
     * @param allowed the accepted types; none means any
     * @throws ModelFormatException naming the source, the tensor, what was expected and what was found
     */
    default Tensor require(String name, Shape expected, DType... allowed) {
        Tensor t = require(name);
        boolean shapeOk = expected == null || expected.equals(t.shape());
        boolean typeOk = allowed.length == 0 || Arrays.asList(allowed).contains(t.type());
        if (!shapeOk || !typeOk) {
            String want = (expected == null ? "any shape" : "shape " + expected) + " and "
                    + (allowed.length == 0 ? "any type"
                            : "type " + Arrays.stream(allowed).map(DType::name).collect(Collectors.joining(" or ")));
            throw new ModelFormatException(source() + ": tensor '" + name + "': expected " + want + ", found shape "
                    + t.shape() + " and type " + t.type());
        }
        return t;
    }

    /** Releases what the source owns (its file mappings, unless they belong to a caller's arena). */
    @Override
    void close();

    /**
     * Opens the tensors at {@code path}: a {@code .gguf} file, a {@code .safetensors} file, a
     * {@code model.safetensors.index.json}, or a directory holding an index, or one or more
     * {@code .safetensors} files (read together as shards), or a single {@code .gguf} file.
     */
    static TensorSource open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path index = path.resolve(SafeTensorsIndex.INDEX_FILE);
            if (Files.isRegularFile(index)) {
                return SafeTensorsIndex.open(index);
            }
            List<Path> shards = filesEndingWith(path, ".safetensors");
            if (!shards.isEmpty()) {
                return shards.size() == 1 ? SafeTensorsFile.open(shards.get(0)) : SafeTensorsIndex.openShards(shards);
            }
            List<Path> ggufs = filesEndingWith(path, ".gguf");
            if (ggufs.size() == 1) {
                return GgufFile.open(ggufs.get(0));
            }
            throw new ModelFormatException(path + ": directory has no " + SafeTensorsIndex.INDEX_FILE
                    + ", no .safetensors files and " + (ggufs.isEmpty() ? "no" : ggufs.size()) + " .gguf files;"
                    + " name the model file to open");
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (name.endsWith(".gguf")) {
            return GgufFile.open(path);
        }
        if (name.endsWith(".safetensors")) {
            return SafeTensorsFile.open(path);
        }
        if (name.endsWith(".index.json")) {
            return SafeTensorsIndex.open(path);
        }
        // No telling extension: GGUF announces itself in its first four bytes, safetensors does not.
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(path)) {
            if (in.readNBytes(head, 0, 4) == 4 && head[0] == 'G' && head[1] == 'G' && head[2] == 'U' && head[3] == 'F') {
                return GgufFile.open(path);
            }
        }
        return SafeTensorsFile.open(path);
    }

    private static List<Path> filesEndingWith(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p)).sorted().toList();
        }
    }
}
