/*
 * Vireo's reference quantizers against llama.cpp, byte for byte: on the fixture tensors the expected
 * bytes are what llama-quantize --pure wrote; on the edge set (NaN, infinities, float subnormals,
 * overflowing scales, random bit patterns) they are what ggml_quantize_chunk in libggml-base wrote.
 * Fixtures: core/src/test/resources/quant (tools/quant-fixtures/regenerate.sh).
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.quant.LlamaCppFixtures.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LlamaCppQuantizeTest {

    @Test
    void quantizersExistForExactlyTheWrittenTypes() {
        EnumSet<DType> have = EnumSet.noneOf(DType.class);
        for (DType t : DType.values()) {
            Codecs.quantizer(t).ifPresent(q -> {
                assertEquals(t, q.type());
                have.add(t);
            });
        }
        assertEquals(EnumSet.of(DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0, DType.MXFP4), have);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "MXFP4"})
    void bytesMatchLlamaQuantize(DType type) {
        LlamaCppFixtures fx = LlamaCppFixtures.get();
        BlockQuantizer q = Codecs.quantizer(type).orElseThrow();
        byte[] expected = fx.quantized.get(type).bytes();
        StringBuilder report = new StringBuilder();
        long byteOffset = 0;
        for (TensorInfo t : fx.tensors) {
            float[] in = fx.inputs(t);
            byte[] got = q.quantize(in).toArray(ValueLayout.JAVA_BYTE);
            compare(type, t.name(), t.cols(), in, expected, byteOffset, got, report);
            byteOffset += got.length;
        }
        assertEquals(expected.length, byteOffset, type + " fixture size");
        if (!report.isEmpty()) {
            fail(type + " quantizer differs from llama-quantize (" + fx.source + "):\n" + report);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q8_0", "Q4_0", "MXFP4"})
    void bytesMatchGgmlOnEdgeSet(DType type) {
        LlamaCppFixtures fx = LlamaCppFixtures.get();
        byte[] got = Codecs.quantizer(type).orElseThrow().quantize(fx.edge).toArray(ValueLayout.JAVA_BYTE);
        StringBuilder report = new StringBuilder();
        compare(type, "edge", fx.edgeCols, fx.edge, fx.edgeQuantized.get(type).bytes(), 0, got, report);
        if (!report.isEmpty()) {
            fail(type + " quantizer differs from ggml_quantize_chunk on the edge set:\n" + report);
        }
    }

    /** The quantizer also writes at an offset inside a larger segment, leaving the rest alone. */
    @Test
    void writesOnlyItsBlocksAtTheOffset() {
        LlamaCppFixtures fx = LlamaCppFixtures.get();
        TensorInfo t = fx.tensors.getFirst();
        float[] in = fx.inputs(t);
        byte[] expected = Arrays.copyOf(fx.quantized.get(DType.Q4_0).bytes(), (int) DType.Q4_0.rowBytes(in.length));
        MemorySegment dst = MemorySegment.ofArray(new byte[expected.length + 10]);
        dst.fill((byte) 0x5A);
        Codecs.quantizer(DType.Q4_0).orElseThrow().quantize(in, 0, in.length, dst, 7);
        byte[] all = dst.toArray(ValueLayout.JAVA_BYTE);
        assertEquals(Arrays.toString(expected), Arrays.toString(Arrays.copyOfRange(all, 7, 7 + expected.length)));
        for (int i : new int[] {0, 6, 7 + expected.length, all.length - 1}) {
            assertEquals(0x5A, all[i], "byte " + i + " outside the written range");
        }
    }

    /** Appends the first few differing blocks of one tensor, with their inputs, to {@code report}. */
    private static void compare(DType type, String tensor, int cols, float[] in, byte[] expected, long from,
            byte[] got, StringBuilder report) {
        int bb = type.blockBytes();
        int blocks = got.length / bb;
        int shown = 0;
        int mismatches = 0;
        for (int b = 0; b < blocks; b++) {
            byte[] want = Arrays.copyOfRange(expected, (int) from + b * bb, (int) from + (b + 1) * bb);
            byte[] have = Arrays.copyOfRange(got, b * bb, (b + 1) * bb);
            if (!Arrays.equals(want, have)) {
                if (shown++ < 4) {
                    int e0 = b * type.blockSize();
                    report.append(String.format("  %s row %d block %d%n    llama.cpp %s%n    Vireo     %s%n    inputs    %s%n",
                            tensor, e0 / cols, (e0 % cols) / type.blockSize(), hex(want), hex(have),
                            Arrays.toString(Arrays.copyOfRange(in, e0, e0 + type.blockSize()))));
                }
                mismatches++;
            }
        }
        if (mismatches > 0) {
            report.append(String.format("  %s: %d of %d blocks differ%n", tensor, mismatches, blocks));
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x & 0xFF));
        }
        return s.toString();
    }
}
