/*
 * The CPU backend's vectorised block decoders against the reference codecs (Codecs.decoder): for
 * random valid blocks of every matmul type the decoded floats must be equal (the decoders perform
 * the reference's float operations in the same order), and F16 must match Float.float16ToFloat on
 * all 65536 bit patterns, Inf, NaN and subnormals included. Block counts cover odd counts and
 * offsets that are not vector-aligned.
 */
package dev.vireo.ops.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.quant.Codecs;
import dev.vireo.testing.RandomBlocks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CpuDecoderTest {

    private static BlockDecoder decoder(DType type) {
        return switch (type) {
            case F32 -> FloatDecoders.F32;
            case F16 -> FloatDecoders.F16;
            case BF16 -> FloatDecoders.BF16;
            case Q8_0 -> LegacyDecoders.Q8_0;
            case Q4_0 -> LegacyDecoders.Q4_0;
            case Q4_1 -> LegacyDecoders.Q4_1;
            case Q5_0 -> LegacyDecoders.Q5_0;
            case Q5_1 -> LegacyDecoders.Q5_1;
            case MXFP4 -> LegacyDecoders.MXFP4;
            case Q4_K -> KQuantDecoders.Q4_K;
            case Q5_K -> KQuantDecoders.Q5_K;
            case Q6_K -> KQuantDecoders.Q6_K;
            default -> throw new IllegalArgumentException(type.toString());
        };
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
        "MXFP4", "Q4_K", "Q5_K", "Q6_K"})
    void equalsTheReferenceCodec(DType type) {
        BlockDecoder d = decoder(type);
        assertEquals(type, d.type());
        Random r = new Random(type.ordinal() * 7919L + 1);
        int blockSize = type.blockSize();
        // For plain types a "block" is one element: use a row length that leaves a scalar tail.
        int blocks = type.isQuantized() ? 13 : 1000 + 13;
        byte[] bytes = RandomBlocks.matrix(type, 1, blocks * blockSize, r);
        try (Arena arena = Arena.ofConfined()) {
            // One byte of lead so that block addresses are not aligned.
            MemorySegment seg = arena.allocate(bytes.length + 1).asSlice(1);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            float[] expected = Codecs.decoder(type).decode(seg, 0, blocks * blockSize);
            float[] actual = new float[blocks * blockSize + 3];
            d.decode(seg, 0, blocks, actual, 3);
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] != actual[i + 3]) {
                    fail(type + " element " + i + ": expected " + expected[i] + " got " + actual[i + 3]);
                }
            }
            // A decode from the middle of a row (a later chunk).
            int skip = 5;
            float[] tail = new float[(blocks - skip) * blockSize];
            d.decode(seg, (long) skip * type.blockBytes(), blocks - skip, tail, 0);
            for (int i = 0; i < tail.length; i++) {
                assertEquals(expected[skip * blockSize + i], tail[i], 0f, type + " tail element " + i);
            }
        }
    }

    /**
     * The fused single-token dot against a double-precision dot of the reference-decoded weights:
     * the weights are the same floats, so the only error is float summation, bounded here by
     * 1e-5 · Σ|w·x| (about 100 float roundings' worth at these lengths).
     */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
        "MXFP4", "Q4_K", "Q5_K", "Q6_K"})
    void fusedDotMatchesDecodedDot(DType type) {
        BlockDecoder d = decoder(type);
        Random r = new Random(type.ordinal() * 104729L + 3);
        int blocks = type.isQuantized() ? 17 : 1000 + 13;
        int n = blocks * type.blockSize();
        byte[] bytes = RandomBlocks.matrix(type, 1, n, r);
        float[] x = new float[n + 5];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(bytes.length + 3).asSlice(3);
            MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
            float[] w = Codecs.decoder(type).decode(seg, 0, n);
            double want = 0;
            double magnitude = 0;
            for (int i = 0; i < n; i++) {
                want += (double) w[i] * x[i + 5];
                magnitude += Math.abs((double) w[i] * x[i + 5]);
            }
            float got = d.dot(seg, 0, blocks, x, 5);
            assertEquals(want, got, 1e-5 * magnitude, type + " fused dot");
        }
    }

    @Test
    void f16MatchesFloat16ToFloatOnEveryBitPattern() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(2 * 65536);
            for (int h = 0; h < 65536; h++) {
                seg.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, h, (short) h);
            }
            float[] out = new float[65536];
            FloatDecoders.F16.decode(seg, 0, 65536, out, 0);
            for (int h = 0; h < 65536; h++) {
                float want = Float.float16ToFloat((short) h);
                if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(out[h])) {
                    fail(String.format("half 0x%04x: expected %s (0x%08x) got %s (0x%08x)", h, want,
                            Float.floatToRawIntBits(want), out[h], Float.floatToRawIntBits(out[h])));
                }
            }
        }
    }

    @Test
    void mxfp4DecodesEveryCodeAndExtremeExponents() {
        try (Arena arena = Arena.ofConfined()) {
            // 256 blocks: exponent e = block index (0..255), codes 0..15 in both nibbles.
            MemorySegment seg = arena.allocate(17 * 256);
            for (int e = 0; e < 256; e++) {
                seg.set(ValueLayout.JAVA_BYTE, 17L * e, (byte) e);
                for (int j = 0; j < 16; j++) {
                    seg.set(ValueLayout.JAVA_BYTE, 17L * e + 1 + j, (byte) (j | ((15 - j) << 4)));
                }
            }
            float[] expected = Codecs.decoder(DType.MXFP4).decode(seg, 0, 32 * 256);
            float[] actual = new float[32 * 256];
            LegacyDecoders.MXFP4.decode(seg, 0, 256, actual, 0);
            for (int i = 0; i < actual.length; i++) {
                assertEquals(expected[i], actual[i], 0f, "element " + i);
            }
        }
    }
}
