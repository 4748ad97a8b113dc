/*
 * A sharded safetensors checkpoint (model-spec.md §2.3): model.safetensors.index.json maps each tensor
 * name to the shard file holding it ("weight_map"), next to optional "metadata" (total_size). Every
 * shard is opened once, into one arena this object owns. Also used for a directory of shards without
 * an index (gpt-oss's original/ checkpoint: every .safetensors file in it).
 *
 * Checks: the index is a JSON object whose weight_map maps names to plain file names in the index's
 * directory (no paths: a hostile index must not reach other files); each listed tensor is in the shard
 * the map names; no tensor name appears in two shards.
 *
 * Tested by SafeTensorsTest and CorruptFileFuzzTest.
 */
package dev.vireo.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vireo.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Tensors spread over several safetensors files. */
public final class SafeTensorsIndex implements TensorSource {
    /** The index file name Hugging Face uses. */
    public static final String INDEX_FILE = "model.safetensors.index.json";
    /** Indexes list a few thousand names; anything this large is not one. */
    static final long MAX_INDEX_BYTES = 64L << 20;

    /** Opens a shard given its file name as the weight map spells it. */
    @FunctionalInterface
    public interface ShardOpener {
        SafeTensorsFile open(String fileName) throws IOException;
    }

    private final String label;
    private final Arena ownedArena;
    private final List<SafeTensorsFile> shards;
    private final Map<String, String> weightMap;
    private final Map<String, String> metadata;
    private final Map<String, SafeTensorsFile> byName;

    /** @param shardsByFile the shards, keyed by their file names, in order of first mention */
    private SafeTensorsIndex(String label, Arena ownedArena, Map<String, SafeTensorsFile> shardsByFile,
            Map<String, String> weightMap, Map<String, String> metadata) {
        this.label = label;
        this.ownedArena = ownedArena;
        this.shards = List.copyOf(shardsByFile.values());
        this.weightMap = Collections.unmodifiableMap(weightMap);
        this.metadata = Collections.unmodifiableMap(metadata);
        Map<String, SafeTensorsFile> owner = new LinkedHashMap<>();
        Map<String, String> ownerFile = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensorsFile> shard : shardsByFile.entrySet()) {
            for (String name : shard.getValue().names()) {
                String other = ownerFile.putIfAbsent(name, shard.getKey());
                if (other != null) {
                    throw fail("tensor '" + name + "' is in two shards: " + other + " and " + shard.getKey());
                }
                owner.put(name, shard.getValue());
            }
        }
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            String holder = ownerFile.get(e.getKey());
            if (!e.getValue().equals(holder)) {
                throw fail("weight_map puts tensor '" + e.getKey() + "' in " + e.getValue() + ", but "
                        + (holder == null ? "no shard holds it" : "it is in " + holder));
            }
        }
        this.byName = Collections.unmodifiableMap(owner);
    }

    /** Opens the index file and every shard it names (in the index's directory). */
    public static SafeTensorsIndex open(Path indexFile) throws IOException {
        byte[] json = readIndex(indexFile);
        Path dir = indexFile.toAbsolutePath().getParent();
        Arena arena = Arena.ofShared();
        try {
            return parse(json, indexFile.toString(), arena, name -> SafeTensorsFile.open(dir.resolve(name), arena));
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Opens several safetensors files (no index) as one source. */
    public static SafeTensorsIndex openShards(List<Path> files) throws IOException {
        Arena arena = Arena.ofShared();
        try {
            Map<String, SafeTensorsFile> shards = new LinkedHashMap<>();
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (shards.containsKey(name)) {
                    throw new ModelFormatException(f + ": two shards are named " + name);
                }
                shards.put(name, SafeTensorsFile.open(f, arena));
            }
            String label = files.isEmpty() ? "(no files)"
                    : String.valueOf(files.get(0).toAbsolutePath().getParent()) + " (" + files.size() + " shards)";
            return new SafeTensorsIndex(label, arena, shards, Map.of(), Map.of());
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Parses an index held in memory; {@code opener} supplies each shard (called once per distinct
     * file name). The shards are closed with this object. For tests and in-memory checkpoints.
     */
    public static SafeTensorsIndex parse(byte[] indexJson, String label, ShardOpener opener) throws IOException {
        return parse(indexJson, label, null, opener);
    }

    private static SafeTensorsIndex parse(byte[] indexJson, String label, Arena arena, ShardOpener opener)
            throws IOException {
        JsonNode root = Json.parse(indexJson, label, "the index");
        if (!root.isObject()) {
            throw new ModelFormatException(label + ": the index is " + Json.describe(root) + ", expected a JSON object");
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new ModelFormatException(label + ": weight_map is " + Json.describe(map)
                    + ", expected an object from tensor names to shard file names");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        Map<String, SafeTensorsFile> opened = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                JsonNode v = e.getValue();
                if (!v.isTextual() || !isPlainFileName(v.textValue())) {
                    throw new ModelFormatException(label + ": weight_map entry '" + e.getKey() + "' is " + Json.describe(v)
                            + ", expected the file name of a shard in the same directory");
                }
                String file = v.textValue();
                weightMap.put(e.getKey(), file);
                if (!opened.containsKey(file)) {
                    opened.put(file, opener.open(file));
                }
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            JsonNode meta = root.get("metadata");
            if (meta != null && meta.isObject()) {
                for (Map.Entry<String, JsonNode> m : meta.properties()) {
                    metadata.put(m.getKey(), m.getValue().isTextual() ? m.getValue().textValue() : m.getValue().toString());
                }
            }
            return new SafeTensorsIndex(label, arena, opened, weightMap, metadata);
        } catch (IOException | RuntimeException | Error e) {
            opened.values().forEach(SafeTensorsFile::close);
            throw e;
        }
    }

    private static byte[] readIndex(Path file) throws IOException {
        long size = java.nio.file.Files.size(file);
        if (size > MAX_INDEX_BYTES) {
            throw new ModelFormatException(file + ": index is " + size + " bytes; the limit is " + MAX_INDEX_BYTES);
        }
        return java.nio.file.Files.readAllBytes(file);
    }

    /** A name that resolves to a file directly inside the index's directory. */
    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.indexOf('\0') < 0 && name.indexOf(':') < 0;
    }

    /** The shards, in order of first mention. */
    public List<SafeTensorsFile> shards() {
        return shards;
    }

    /** The weight map as written (empty for a directory without an index). */
    public Map<String, String> weightMap() {
        return weightMap;
    }

    /** The index's "metadata" entries (values that are not strings as their JSON text). */
    public Map<String, String> metadata() {
        return metadata;
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
        SafeTensorsFile shard = byName.get(name);
        return shard == null ? Optional.empty() : shard.find(name);
    }

    @Override
    public void close() {
        shards.forEach(SafeTensorsFile::close);
        if (ownedArena != null && ownedArena.scope().isAlive()) {
            ownedArena.close();
        }
    }

    private ModelFormatException fail(String message) {
        return new ModelFormatException(label + ": " + message);
    }

    @Override
    public String toString() {
        return "safetensors index " + label + " (" + shards.size() + " shards, " + byName.size() + " tensors)";
    }
}
