/*
 * Test helper: builds valid GGUF and safetensors images from a seed (many metadata types, nested
 * arrays, unicode strings, tensors of plain and quantized types), and writes safetensors files, which
 * Vireo otherwise only reads. The corrupt-file suite mutates what these produce.
 */
package dev.vireo.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

final class ModelFiles {
    private ModelFiles() {}

    /** Random bytes. */
    static byte[] randomBytes(Random rnd, long n) {
        byte[] b = new byte[Math.toIntExact(n)];
        rnd.nextBytes(b);
        return b;
    }

    /** Random F32 values in [-1, 1) as little-endian bytes. */
    static byte[] randomF32(Random rnd, int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(rnd.nextFloat() * 2 - 1);
        }
        return b.array();
    }

    /** A random value of a GGUF type (arrays nest up to {@code depth} more levels). */
    static GgufValue randomValue(Random rnd, GgufValueType type, int depth) {
        return switch (type) {
            case UINT8 -> GgufValue.u8(rnd.nextInt(256));
            case INT8 -> GgufValue.i8(rnd.nextInt(256) - 128);
            case UINT16 -> GgufValue.u16(rnd.nextInt(65536));
            case INT16 -> GgufValue.i16(rnd.nextInt(65536) - 32768);
            case UINT32 -> GgufValue.u32(rnd.nextLong(1L << 32));
            case INT32 -> GgufValue.i32(rnd.nextInt());
            case FLOAT32 -> GgufValue.f32(rnd.nextFloat() * 1000 - 500);
            case BOOL -> GgufValue.bool(rnd.nextBoolean());
            case STRING -> GgufValue.string(randomString(rnd));
            case UINT64 -> GgufValue.u64(rnd.nextLong());
            case INT64 -> GgufValue.i64(rnd.nextLong());
            case FLOAT64 -> GgufValue.f64(rnd.nextGaussian() * 1e6);
            case ARRAY -> {
                GgufValueType[] types = GgufValueType.values();
                GgufValueType et = types[rnd.nextInt(types.length)];
                if (et == GgufValueType.ARRAY && depth <= 0) {
                    et = GgufValueType.STRING;
                }
                int n = rnd.nextInt(6);
                List<GgufValue> elements = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    elements.add(randomValue(rnd, et, depth - 1));
                }
                yield GgufValue.array(et, elements);
            }
        };
    }

    private static final String[] WORDS = {"", "a", "hello", "Ġworld", "<|endoftext|>", "日本語", "😀 emoji", "tab\tnew\nline",
        "quote\"back\\slash", "\u0000nul"};

    static String randomString(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            sb.append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    /** Tensor types used by the generated files: every DType GGUF holds, plus two Vireo cannot read. */
    static final GgmlType[] TENSOR_TYPES = {
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.F64, GgmlType.I8, GgmlType.I16, GgmlType.I32,
        GgmlType.I64, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K,
        GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.MXFP4, GgmlType.Q3_K, GgmlType.IQ4_NL
    };

    /** A valid GGUF writer with a seeded mix of metadata and a few small tensors. */
    static GgufWriter randomGguf(long seed) {
        Random rnd = new Random(seed);
        GgufWriter w = new GgufWriter();
        if (rnd.nextInt(4) == 0) {
            w.version(2);
        }
        if (rnd.nextInt(3) == 0) {
            w.alignment(new int[] {8, 16, 64, 128}[rnd.nextInt(4)]);
        }
        w.putString("general.architecture", "llama");
        int kvs = 1 + rnd.nextInt(8);
        for (int i = 0; i < kvs; i++) {
            GgufValueType t = GgufValueType.values()[rnd.nextInt(GgufValueType.values().length)];
            w.put("test.key" + i + "." + t.name().toLowerCase(), randomValue(rnd, t, 2));
        }
        w.putStringArray("tokenizer.ggml.tokens", List.of("<s>", "</s>", "a", "Ġb", "日本"));
        w.putFloat32Array("tokenizer.ggml.scores", new float[] {0f, -1f, -2.5f, 3f, 1e-3f});
        w.putInt32Array("tokenizer.ggml.token_type", new int[] {3, 3, 1, 1, 1});
        int tensors = rnd.nextInt(5);
        for (int i = 0; i < tensors; i++) {
            GgmlType type = TENSOR_TYPES[rnd.nextInt(TENSOR_TYPES.length)];
            int rank = rnd.nextInt(4) + (type.blockSize() > 1 ? 1 : 0);
            rank = Math.min(rank, 4);
            long[] dims = new long[rank];
            for (int d = 0; d < rank; d++) {
                dims[d] = 1 + rnd.nextInt(3);
            }
            if (rank > 0) {
                dims[rank - 1] = (long) type.blockSize() * (1 + rnd.nextInt(2)) * (type.blockSize() == 1 ? 1 + rnd.nextInt(5) : 1);
            }
            Shape shape = new Shape(dims);
            long bytes = shape.elementCount() / type.blockSize() * type.blockBytes();
            w.addTensor("blk." + i + ".weight", type, shape, MemorySegment.ofArray(randomBytes(rnd, bytes)));
        }
        return w;
    }

    // ---- safetensors

    /** A test-only safetensors writer: tensors laid out densely in insertion order. */
    static final class SafeTensorsBuilder {
        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final List<Object[]> tensors = new ArrayList<>();

        SafeTensorsBuilder meta(String k, String v) {
            metadata.put(k, v);
            return this;
        }

        SafeTensorsBuilder add(String name, String dtype, long[] shape, byte[] data) {
            tensors.add(new Object[] {name, dtype, shape, data});
            return this;
        }

        SafeTensorsBuilder add(String name, DType type, long[] shape, byte[] data) {
            return add(name, SafeTensorsDType.of(type).orElseThrow().name(), shape, data);
        }

        /** The header JSON object. */
        ObjectNode header() {
            ObjectNode root = Json.MAPPER.createObjectNode();
            if (!metadata.isEmpty()) {
                ObjectNode m = root.putObject("__metadata__");
                metadata.forEach(m::put);
            }
            long at = 0;
            for (Object[] t : tensors) {
                ObjectNode o = root.putObject((String) t[0]);
                o.put("dtype", (String) t[1]);
                ArrayNode s = o.putArray("shape");
                for (long d : (long[]) t[2]) {
                    s.add(d);
                }
                long n = ((byte[]) t[3]).length;
                o.putArray("data_offsets").add(at).add(at + n);
                at += n;
            }
            return root;
        }

        byte[] data() {
            int n = tensors.stream().mapToInt(t -> ((byte[]) t[3]).length).sum();
            ByteBuffer b = ByteBuffer.allocate(n);
            tensors.forEach(t -> b.put((byte[]) t[3]));
            return b.array();
        }

        byte[] build() {
            return assemble(header().toString().getBytes(StandardCharsets.UTF_8), data());
        }

        /** Header length, header (space-padded to 8 bytes, as the safetensors crate does), data. */
        static byte[] assemble(byte[] header, byte[] data) {
            int padded = (header.length + 7) & ~7;
            ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(padded).put(header);
            for (int i = header.length; i < padded; i++) {
                b.put((byte) ' ');
            }
            b.put(data);
            return b.array();
        }
    }

    /** A seeded safetensors image with tensors of every supported dtype and one unsupported. */
    static SafeTensorsBuilder randomSafeTensors(long seed, String prefix) {
        Random rnd = new Random(seed);
        SafeTensorsBuilder b = new SafeTensorsBuilder();
        if (rnd.nextBoolean()) {
            b.meta("format", "pt");
        }
        String[] dtypes = {"F32", "F16", "BF16", "U8", "I8", "I32", "I16", "I64", "F64", "BOOL", "F8_E4M3"};
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            String dt = dtypes[rnd.nextInt(dtypes.length)];
            int bytesPer = SafeTensorsDType.fromName(dt).orElseThrow().bits() / 8;
            int rank = rnd.nextInt(4);
            long[] shape = new long[rank];
            long elements = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = rnd.nextInt(4);
                elements *= shape[d];
            }
            b.add(prefix + "layer." + i + ".weight", dt, shape, randomBytes(rnd, elements * bytesPer));
        }
        return b;
    }
}
