/*
 * Strict JSON for model files (safetensors headers, shard indexes, Hugging Face configs): duplicate
 * keys and trailing garbage are errors, Jackson's stream limits (nesting depth, string and number
 * lengths) bound what a hostile file can make the parser do, and every failure becomes a
 * ModelFormatException naming the file.
 */
package dev.vireo.io;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The JSON parser settings every model-file reader uses. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    /** Parses {@code bytes} (UTF-8 JSON); errors name {@code label} and {@code what}. */
    static JsonNode parse(byte[] bytes, String label, String what) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new ModelFormatException(label + ": " + what + " is empty, expected a JSON object");
            }
            return node;
        } catch (IOException e) {
            // Jackson's message names the line and column; its source excerpt is noise for a user.
            String msg = e.getMessage() == null ? e.toString() : e.getMessage().replaceAll("\\s*\\n at \\[Source.*", "");
            throw new ModelFormatException(label + ": " + what + " is not valid JSON: " + msg, e);
        }
    }

    /** Reads and parses a JSON file of at most {@code maxBytes} bytes. */
    static JsonNode read(Path file, long maxBytes, String what) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new ModelFormatException(file + ": " + what + " is " + size + " bytes; the limit is " + maxBytes);
        }
        return parse(Files.readAllBytes(file), file.toString(), what);
    }

    /** A short description of a node's kind and value, for "expected ..., found ..." messages. */
    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String text = n.toString();
        if (text.length() > 60) {
            text = text.substring(0, 57) + "...";
        }
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + text;
    }
}
