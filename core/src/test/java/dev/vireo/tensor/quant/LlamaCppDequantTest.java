/*
 * Vireo's reference decoders against llama.cpp, bit for bit: the bytes are what llama-quantize wrote
 * for each type (and, for the edge set, what ggml_quantize_chunk wrote from NaN, infinities and
 * subnormals), the expected floats are libggml-base's own type-traits to_float of those bytes.
 * Fixtures: core/src/test/resources/quant (tools/quant-fixtures/regenerate.sh).
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.quant.LlamaCppFixtures.Encoded;
import dev.vireo.tensor.quant.LlamaCppFixtures.TensorInfo;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class LlamaCppDequantTest {

    /** The types the fixtures must cover (the types Vireo reads from GGUF model files). */
    static final EnumSet<DType> FIXTURE_TYPES = EnumSet.of(DType.F32, DType.F16, DType.BF16, DType.Q8_0,
            DType.Q4_0, DType.Q4_1, DType.Q5_0, DType.Q5_1, DType.Q4_K, DType.Q5_K, DType.Q6_K, DType.MXFP4);

    @Test
    void fixturesCoverEveryType() {
        LlamaCppFixtures fx = LlamaCppFixtures.get();
        assertEquals(FIXTURE_TYPES, fx.quantized.keySet());
    }

    /** Every DType that GGUF can hold has ggml's id, name, block size and block bytes. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void geometryMatchesGgmlTypeTraits(DType type) {
        if (type.ggmlId() < 0) {
            return; // U8: safetensors only
        }
        LlamaCppFixtures.GgmlType g = LlamaCppFixtures.get().ggmlTypes.get(type.ggmlId());
        assertEquals(type.name().toLowerCase(Locale.ROOT), g.name().toLowerCase(Locale.ROOT));
        assertEquals(g.blockSize(), type.blockSize(), type + " block size");
        assertEquals(g.typeSize(), type.blockBytes(), type + " block bytes");
    }

    static EnumSet<DType> fixtureTypes() {
        return FIXTURE_TYPES;
    }

    @ParameterizedTest
    @MethodSource("fixtureTypes")
    void decoderMatchesLlamaCpp(DType type) {
        LlamaCppFixtures fx = LlamaCppFixtures.get();
        Encoded enc = fx.quantized.get(type);
        MemorySegment bytes = MemorySegment.ofArray(enc.bytes());
        assertEquals(type.rowBytes(fx.inputs.length), bytes.byteSize(), type + " fixture size");
        StringBuilder report = new StringBuilder();
        long byteOffset = 0;
        for (TensorInfo t : fx.tensors) {
            float[] got = Codecs.decoder(type).decode(bytes, byteOffset, t.elements());
            compare(type, t.name(), t.cols(), enc.dequantBits(), t.offset(), got, report);
            byteOffset += type.rowBytes(t.elements());
        }
        if (!report.isEmpty()) {
            fail(type + " decoder differs from llama.cpp (" + fx.source + "):\n" + report);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q8_0", "Q4_0", "MXFP4"})
    void decoderMatchesLlamaCppOnEdgeSet(DType type) {
        LlamaCppFixtures fx = LlamaCppFixtures.get();
        Encoded enc = fx.edgeQuantized.get(type);
        float[] got = Codecs.decoder(type).decode(MemorySegment.ofArray(enc.bytes()), 0, fx.edge.length);
        StringBuilder report = new StringBuilder();
        compare(type, "edge", fx.edgeCols, enc.dequantBits(), 0, got, report);
        if (!report.isEmpty()) {
            fail(type + " decoder differs from llama.cpp on the edge set:\n" + report);
        }
    }

    /** Appends the first few differing elements (raw bits) of one tensor to {@code report}. */
    static void compare(DType type, String tensor, int cols, int[] expected, int from, float[] got,
            StringBuilder report) {
        int shown = 0;
        int mismatches = 0;
        for (int i = 0; i < got.length; i++) {
            int want = expected[from + i];
            int have = Float.floatToRawIntBits(got[i]);
            if (want != have) {
                if (shown++ < 8) {
                    report.append(String.format("  %s row %d block %d element %d: llama.cpp %08x (%s), Vireo %08x (%s)%n",
                            tensor, i / cols, (i % cols) / type.blockSize(), i % type.blockSize(),
                            want, Float.intBitsToFloat(want), have, got[i]));
                }
                mismatches++;
            }
        }
        if (mismatches > 0) {
            report.append(String.format("  %s: %d of %d elements differ%n", tensor, mismatches, got.length));
        }
    }
}
