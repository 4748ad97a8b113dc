/*
 * Loads the quantization fixtures made by llama.cpp (core/src/test/resources/quant, written by
 * tools/quant-fixtures/regenerate.sh; its README describes every file). The fixtures are committed,
 * so the tests that use them need no llama.cpp checkout.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The parsed fixture set: inputs, llama.cpp's quantized bytes and dequantized values, fingerprints. */
final class LlamaCppFixtures {

    /** One input tensor: {@code rows × cols} F32 values from element {@code offset} of the inputs. */
    record TensorInfo(String name, int rows, int cols, String kind, int offset) {
        int elements() {
            return rows * cols;
        }
    }

    /** ggml's type traits of one type: its id, name, elements per block and bytes per block. */
    record GgmlType(int id, String name, int blockSize, int typeSize) {}

    /** What llama.cpp made of the inputs for one type: the bytes, and ggml's to_float of them (as bits). */
    record Encoded(DType type, byte[] bytes, int[] dequantBits) {}

    private static LlamaCppFixtures instance;

    final String source;
    /** ggml's type traits by type id, as libggml-base reports them. */
    final Map<Integer, GgmlType> ggmlTypes = new HashMap<>();
    final List<TensorInfo> tensors = new ArrayList<>();
    /** All tensors' inputs, concatenated in manifest order. */
    float[] inputs;
    final Map<DType, Encoded> quantized = new EnumMap<>(DType.class);
    int edgeRows;
    int edgeCols;
    float[] edge;
    final Map<DType, Encoded> edgeQuantized = new EnumMap<>(DType.class);
    /** FNV-1a 64 of ggml's fp32→fp16 outputs per chunk (top byte of the float's bits). */
    final Map<Integer, Long> fp16Chunks = new HashMap<>();
    /** The same for fp32→bf16. */
    final Map<Integer, Long> bf16Chunks = new HashMap<>();
    long halfToFloatHash;
    /** Binade exponent → smallest float bits there with floorf(log2f(x)) = E+1, or -1 for none. */
    final Map<Integer, Integer> log2Thresholds = new HashMap<>();

    /** The fixture set (parsed once per test JVM). */
    static synchronized LlamaCppFixtures get() {
        if (instance == null) {
            instance = new LlamaCppFixtures();
        }
        return instance;
    }

    private LlamaCppFixtures() {
        String src = "";
        int offset = 0;
        for (String line : text("manifest.txt").split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            switch (f[0]) {
                case "source" -> src = line.substring("source".length()).strip();
                case "seed" -> { }
                case "ggml_type" -> ggmlTypes.put(Integer.parseInt(f[1]),
                        new GgmlType(Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4])));
                case "tensor" -> {
                    TensorInfo t = new TensorInfo(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], offset);
                    tensors.add(t);
                    offset += t.elements();
                }
                case "quantized" -> {
                    if (inputs == null) {
                        inputs = floats(bytes("inputs.f32"));
                    }
                    DType type = DType.valueOf(f[1]);
                    quantized.put(type, new Encoded(type, bytes(f[2]), ints(bytes(f[3]))));
                }
                case "edge" -> {
                    edgeRows = Integer.parseInt(f[1]);
                    edgeCols = Integer.parseInt(f[2]);
                    edge = floats(bytes(f[3]));
                }
                case "edgequantized" -> {
                    DType type = DType.valueOf(f[1]);
                    edgeQuantized.put(type, new Encoded(type, bytes(f[2]), ints(bytes(f[3]))));
                }
                case "conversions" -> conversions(text(f[1]));
                default -> throw new IllegalStateException("unknown manifest line: " + line);
            }
        }
        source = src;
        if (inputs == null || inputs.length != offset) {
            throw new IllegalStateException("inputs.f32 does not match the manifest's tensors");
        }
    }

    private void conversions(String text) {
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            switch (f[0]) {
                case "fp16" -> fp16Chunks.put(Integer.parseInt(f[1]), Long.parseUnsignedLong(f[2], 16));
                case "bf16" -> bf16Chunks.put(Integer.parseInt(f[1]), Long.parseUnsignedLong(f[2], 16));
                case "half2float" -> halfToFloatHash = Long.parseUnsignedLong(f[1], 16);
                case "log2" -> log2Thresholds.put(Integer.parseInt(f[1]),
                        f[2].equals("none") ? -1 : Integer.parseUnsignedInt(f[2], 16));
                case "" -> { }
                default -> throw new IllegalStateException("unknown conversions line: " + line);
            }
        }
    }

    /** The inputs of one tensor. */
    float[] inputs(TensorInfo t) {
        float[] out = new float[t.elements()];
        System.arraycopy(inputs, t.offset(), out, 0, out.length);
        return out;
    }

    static byte[] bytes(String name) {
        try (InputStream in = LlamaCppFixtures.class.getResourceAsStream("/quant/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture quant/" + name
                        + " (regenerate with tools/quant-fixtures/regenerate.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** Little-endian 32-bit words. */
    static int[] ints(byte[] b) {
        int[] out = new int[b.length / 4];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /** Little-endian floats, built from their raw bits so NaN payloads survive. */
    static float[] floats(byte[] b) {
        int[] bits = ints(b);
        float[] out = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            out[i] = Float.intBitsToFloat(bits[i]);
        }
        return out;
    }
}
