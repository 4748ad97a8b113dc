/*
 * Test-only: the metadata of a GGUF file as a key → value map, enough to feed GgufVocabulary from
 * llama.cpp's vocab files (GGUF v2/v3 header and key/value section, little-endian; tensors are not
 * read). Stands in until the library's own GGUF reader is wired in; not used by main code.
 */
package dev.vireo.tokenizer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class TestGguf {
    private TestGguf() {}

    static Map<String, Object> metadata(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747) {
            throw new IOException(file + ": not a GGUF file");
        }
        int version = b.getInt();
        if (version < 2) {
            throw new IOException(file + ": GGUF version " + version + " not supported here");
        }
        b.getLong(); // tensor count
        long kvCount = b.getLong();
        Map<String, Object> kv = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = string(b);
            kv.put(key, value(b, b.getInt()));
        }
        return kv;
    }

    private static String string(ByteBuffer b) {
        int len = Math.toIntExact(b.getLong());
        byte[] bytes = new byte[len];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Object value(ByteBuffer b, int type) throws IOException {
        return switch (type) {
            case 0 -> (long) (b.get() & 0xFF);
            case 1 -> (long) b.get();
            case 2 -> (long) (b.getShort() & 0xFFFF);
            case 3 -> (long) b.getShort();
            case 4 -> b.getInt() & 0xFFFF_FFFFL;
            case 5 -> (long) b.getInt();
            case 6 -> b.getFloat();
            case 7 -> b.get() != 0;
            case 8 -> string(b);
            case 9 -> array(b);
            case 10, 11 -> b.getLong();
            case 12 -> b.getDouble();
            default -> throw new IOException("unknown GGUF value type " + type);
        };
    }

    private static Object array(ByteBuffer b) throws IOException {
        int type = b.getInt();
        int n = Math.toIntExact(b.getLong());
        switch (type) {
            case 4, 5 -> {
                int[] a = new int[n];
                b.asIntBuffer().get(a);
                b.position(b.position() + 4 * n);
                return a;
            }
            case 6 -> {
                float[] a = new float[n];
                b.asFloatBuffer().get(a);
                b.position(b.position() + 4 * n);
                return a;
            }
            default -> {
                List<Object> a = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    a.add(value(b, type));
                }
                return a;
            }
        }
    }
}
