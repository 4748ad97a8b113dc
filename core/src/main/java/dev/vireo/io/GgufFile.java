/*
 * An opened GGUF file (model-spec.md §3.1): header, metadata and tensor infos, parsed and validated by
 * GgufReader, over a read-only segment that maps the file (or any segment, for tests). Tensors are
 * views of the mapped bytes. The model loader reads both metadata (hyper-parameters, tokenizer) and
 * tensors from here. Tested by GgufRoundTripTest, GgufPyFixtureTest, GgufHostileTest,
 * CorruptFileFuzzTest and LlamaCppVocabFilesTest.
 */
package dev.vireo.io;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A GGUF model file: metadata and tensor views. */
public final class GgufFile implements TensorSource {
    private final String label;
    private final MemorySegment data;
    private final Arena ownedArena;
    private final int version;
    private final GgufMetadata metadata;
    private final long alignment;
    private final long dataOffset;
    private final List<GgufTensorInfo> tensorInfos;
    private final Map<String, GgufTensorInfo> byName;

    private GgufFile(String label, MemorySegment data, Arena ownedArena, GgufReader.Parsed parsed) {
        this.label = label;
        this.data = data;
        this.ownedArena = ownedArena;
        this.version = parsed.version();
        this.metadata = parsed.metadata();
        this.alignment = parsed.alignment();
        this.dataOffset = parsed.dataOffset();
        this.tensorInfos = parsed.tensors();
        Map<String, GgufTensorInfo> m = new LinkedHashMap<>();
        for (GgufTensorInfo t : tensorInfos) {
            m.put(t.name(), t);
        }
        this.byName = Collections.unmodifiableMap(m);
    }

    /**
     * Maps and parses {@code path}; the mapping belongs to a shared arena this object owns and closes
     * in {@link #close()}.
     */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment seg = MappedFile.map(path, arena);
            return new GgufFile(MappedFile.label(path), seg, arena, GgufReader.parse(seg, MappedFile.label(path)));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Maps and parses {@code path} into the caller's {@code arena}; tensors stay valid until that arena
     * closes, and {@link #close()} does nothing.
     */
    public static GgufFile open(Path path, Arena arena) throws IOException {
        MemorySegment seg = MappedFile.map(path, arena);
        return new GgufFile(MappedFile.label(path), seg, null, GgufReader.parse(seg, MappedFile.label(path)));
    }

    /**
     * Parses a GGUF image held in {@code data} (which stays owned by the caller); errors name
     * {@code label}. The file is only read: views are read-only.
     */
    public static GgufFile parse(MemorySegment data, String label) {
        MemorySegment ro = data.asReadOnly();
        return new GgufFile(label, ro, null, GgufReader.parse(ro, label));
    }

    /** The format version (2 or 3). */
    public int version() {
        return version;
    }

    /** The data alignment ({@code general.alignment}, default 32). */
    public long alignment() {
        return alignment;
    }

    /** Byte offset of the tensor data section in the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** The file's size in bytes. */
    public long byteSize() {
        return data.byteSize();
    }

    public GgufMetadata metadata() {
        return metadata;
    }

    /** {@code general.architecture}, which every model file must have. */
    public String architecture() {
        return metadata.getString("general.architecture");
    }

    /** The tensor infos in file order. */
    public List<GgufTensorInfo> tensorInfos() {
        return tensorInfos;
    }

    /** The info of the named tensor, if present. */
    public Optional<GgufTensorInfo> tensorInfo(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public String source() {
        return label;
    }

    @Override
    public Set<String> names() {
        return byName.keySet();
    }

    @Override
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    @Override
    public Optional<Tensor> find(String name) {
        GgufTensorInfo info = byName.get(name);
        if (info == null) {
            return Optional.empty();
        }
        DType type = info.dtype().orElseThrow(() -> unreadable(info));
        MemorySegment bytes = data.asSlice(dataOffset + info.offset(), info.byteSize());
        return Optional.of(new Tensor(name, type, info.shape(), bytes));
    }

    private ModelFormatException unreadable(GgufTensorInfo info) {
        String readable = Arrays.stream(GgmlType.values()).filter(t -> t.dtype().isPresent())
                .map(GgmlType::name).collect(Collectors.joining(", "));
        String what = info.ggmlType()
                .map(t -> "has ggml type " + t + " (id " + t.id() + "), which Vireo cannot read")
                .orElse("has ggml type id " + info.typeId() + ", which this version of ggml's type list does not"
                        + " define (a newer file?)");
        return new ModelFormatException(label + ": tensor '" + info.name() + "' " + what + "; readable types: " + readable
                + ". Requantize the model (for example with llama-quantize) to a readable type.");
    }

    @Override
    public void close() {
        if (ownedArena != null && ownedArena.scope().isAlive()) {
            ownedArena.close();
        }
    }

    @Override
    public String toString() {
        return "GGUF v" + version + " " + label + " (" + metadata.size() + " metadata keys, " + tensorInfos.size()
                + " tensors)";
    }
}
