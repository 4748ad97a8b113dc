/*
 * A Hugging Face JSON config (config.json, generation_config.json, tokenizer_config.json; model-spec.md
 * §2.4): a small typed view over Jackson's tree, so model families parse their Config records with
 * messages that name the file and key. Nested objects (rope_scaling, rope_parameters,
 * quantization_config) are HfConfigs themselves, with dotted key paths in errors.
 *
 * Conventions: a JSON null counts as absent for find* and defaulting getters (configs write
 * "rope_scaling": null); int/long getters accept integral numbers only (4096 or 4096.0, not 4096.5);
 * double getters accept any number; bool and string getters only their own kind.
 *
 * Tested by HfConfigTest.
 */
package dev.vireo.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.LinkedHashSet;

/** A JSON configuration object with typed, key-naming getters. */
public final class HfConfig {
    /** Config files are kilobytes; tokenizer_config.json with a long chat template a few megabytes. */
    static final long MAX_BYTES = 64L << 20;

    private final JsonNode node;
    private final String label;
    private final String prefix;

    private HfConfig(JsonNode node, String label, String prefix) {
        this.node = node;
        this.label = label;
        this.prefix = prefix;
    }

    /** Reads a JSON object from {@code file}. */
    public static HfConfig read(Path file) throws IOException {
        return of(Json.read(file, MAX_BYTES, "the config"), file.toString());
    }

    /** Parses a JSON object; errors name {@code label}. */
    public static HfConfig parse(String json, String label) {
        return of(Json.parse(json.getBytes(StandardCharsets.UTF_8), label, "the config"), label);
    }

    private static HfConfig of(JsonNode root, String label) {
        if (!root.isObject()) {
            throw new ModelFormatException(label + ": expected a JSON object, found " + Json.describe(root));
        }
        return new HfConfig(root, label, "");
    }

    /** The file this config came from (as errors name it). */
    public String source() {
        return label;
    }

    /** The keys of this object, in file order. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** True if {@code key} is present and not null. */
    public boolean contains(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** The raw JSON value of {@code key}, if present and not null. */
    public Optional<JsonNode> raw(String key) {
        return contains(key) ? Optional.of(node.get(key)) : Optional.empty();
    }

    // ---- int

    public int getInt(String key) {
        long v = getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw fail(key, "value " + v + " does not fit in an int");
        }
        return (int) v;
    }

    public int getInt(String key, int defaultValue) {
        return contains(key) ? getInt(key) : defaultValue;
    }

    public Optional<Integer> findInt(String key) {
        return contains(key) ? Optional.of(getInt(key)) : Optional.empty();
    }

    // ---- long

    public long getLong(String key) {
        JsonNode v = require(key, "an integer");
        if (!v.isNumber() || !isIntegral(v) || !fitsLong(v)) {
            throw mismatch(key, "an integer", v);
        }
        return v.isIntegralNumber() ? v.longValue() : (long) v.doubleValue();
    }

    public long getLong(String key, long defaultValue) {
        return contains(key) ? getLong(key) : defaultValue;
    }

    public Optional<Long> findLong(String key) {
        return contains(key) ? Optional.of(getLong(key)) : Optional.empty();
    }

    // ---- double

    public double getDouble(String key) {
        JsonNode v = require(key, "a number");
        if (!v.isNumber()) {
            throw mismatch(key, "a number", v);
        }
        return v.doubleValue();
    }

    public double getDouble(String key, double defaultValue) {
        return contains(key) ? getDouble(key) : defaultValue;
    }

    public Optional<Double> findDouble(String key) {
        return contains(key) ? Optional.of(getDouble(key)) : Optional.empty();
    }

    // ---- boolean

    public boolean getBool(String key) {
        JsonNode v = require(key, "true or false");
        if (!v.isBoolean()) {
            throw mismatch(key, "true or false", v);
        }
        return v.booleanValue();
    }

    public boolean getBool(String key, boolean defaultValue) {
        return contains(key) ? getBool(key) : defaultValue;
    }

    public Optional<Boolean> findBool(String key) {
        return contains(key) ? Optional.of(getBool(key)) : Optional.empty();
    }

    // ---- string

    public String getString(String key) {
        JsonNode v = require(key, "a string");
        if (!v.isTextual()) {
            throw mismatch(key, "a string", v);
        }
        return v.textValue();
    }

    public String getString(String key, String defaultValue) {
        return contains(key) ? getString(key) : defaultValue;
    }

    public Optional<String> findString(String key) {
        return contains(key) ? Optional.of(getString(key)) : Optional.empty();
    }

    // ---- nested objects and lists

    /** The nested object {@code key} (e.g. rope_scaling). */
    public HfConfig getObject(String key) {
        JsonNode v = require(key, "an object");
        if (!v.isObject()) {
            throw mismatch(key, "an object", v);
        }
        return new HfConfig(v, label, prefix + key + ".");
    }

    public Optional<HfConfig> findObject(String key) {
        return contains(key) ? Optional.of(getObject(key)) : Optional.empty();
    }

    /** A list of strings. */
    public List<String> getStringList(String key) {
        JsonNode v = require(key, "a list of strings");
        if (!v.isArray()) {
            throw mismatch(key, "a list of strings", v);
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw fail(key, "element " + i + " is " + Json.describe(v.get(i)) + ", expected a string");
            }
            out.add(v.get(i).textValue());
        }
        return List.copyOf(out);
    }

    public Optional<List<String>> findStringList(String key) {
        return contains(key) ? Optional.of(getStringList(key)) : Optional.empty();
    }

    /**
     * A list of ints; a single integer counts as a list of one (eos_token_id is written either way).
     */
    public int[] getIntList(String key) {
        JsonNode v = require(key, "an integer or a list of integers");
        if (!v.isArray()) {
            return new int[] {getInt(key)};
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isNumber() || !isIntegral(e) || !fitsLong(e) || e.longValue() != (int) e.longValue()) {
                throw fail(key, "element " + i + " is " + Json.describe(e) + ", expected an int");
            }
            out[i] = (int) e.longValue();
        }
        return out;
    }

    public Optional<int[]> findIntList(String key) {
        return contains(key) ? Optional.of(getIntList(key)) : Optional.empty();
    }

    /** {@code architectures} (e.g. ["LlamaForCausalLM"]), or an empty list if absent. */
    public List<String> architectures() {
        return findStringList("architectures").orElse(List.of());
    }

    /** {@code model_type} (e.g. "llama", "gpt_oss"). */
    public String modelType() {
        return getString("model_type");
    }

    // ---- internals

    private static boolean isIntegral(JsonNode v) {
        if (v.isIntegralNumber()) {
            return true;
        }
        double d = v.doubleValue();
        return !Double.isInfinite(d) && d == Math.rint(d);
    }

    private static boolean fitsLong(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.canConvertToLong();
        }
        double d = v.doubleValue();
        return d >= -0x1p63 && d < 0x1p63;
    }

    private JsonNode require(String key, String expected) {
        JsonNode v = node.get(key);
        if (v == null) {
            throw new ModelFormatException(label + ": missing key '" + prefix + key + "' (expected " + expected + ")");
        }
        if (v.isNull()) {
            throw new ModelFormatException(label + ": key '" + prefix + key + "' is null (expected " + expected + ")");
        }
        return v;
    }

    private ModelFormatException mismatch(String key, String expected, JsonNode found) {
        return fail(key, "expected " + expected + ", found " + Json.describe(found));
    }

    private ModelFormatException fail(String key, String message) {
        return new ModelFormatException(label + ": key '" + prefix + key + "': " + message);
    }

    @Override
    public String toString() {
        return label + (prefix.isEmpty() ? "" : " [" + prefix.substring(0, prefix.length() - 1) + "]") + " " + node;
    }
}
