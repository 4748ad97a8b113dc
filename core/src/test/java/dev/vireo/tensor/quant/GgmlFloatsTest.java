/*
 * F32 ↔ F16/BF16 conversions and MXFP4's exponent choice against ggml:
 *  - hand-picked edge cases with their expected bit patterns (ties to even, NaN, infinities,
 *    overflow, subnormals);
 *  - fingerprints (FNV-1a 64) of ggml's own conversions over every float bit pattern, in chunks of
 *    2^24 by the top byte, recorded by tools/quant-fixtures (ggml_ref conversions): a few chunks
 *    by default, all 256 under @Tag("slow");
 *  - libm's log2f rounding near powers of two, which MXFP4's quantizer inherits.
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GgmlFloatsTest {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** Chunks (top bytes of the float bits) checked on every run: zero and subnormals, the fp16
     *  underflow and subnormal range, 1.0, the fp16 overflow boundary, infinities and NaNs. */
    private static final int[] QUICK_CHUNKS = {0x00, 0x33, 0x38, 0x3F, 0x47, 0x7F, 0x80, 0xB3, 0xC7, 0xFF};

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // zeros, ordinary values
        "00000000, 0000", "80000000, 8000", "3f800000, 3c00", "c0000000, c000",
        // ties to even at 1.0: 1+2^-11 down to 1, 1+3*2^-11 up to 1+2^-9; just above a tie rounds up
        "3f801000, 3c00", "3f803000, 3c02", "3f801001, 3c01", "bf801000, bc00",
        // largest half, the tie above it (65520) goes to infinity, larger values overflow
        "477fe000, 7bff", "477fefff, 7bff", "477ff000, 7c00", "47c35000, 7c00", "c77ff000, fc00",
        "7f800000, 7c00", "ff800000, fc00", "7f7fffff, 7c00",
        // subnormal halves: 2^-24, the tie 2^-25 to zero, just above it, 3*2^-25 to even 2^-23,
        // the largest subnormal half, and the tie above it up to the smallest normal
        "33800000, 0001", "33000000, 0000", "33000001, 0001", "33c00000, 0002", "387fc000, 03ff",
        "387fe000, 0400",
        "b3800000, 8001",
        // float subnormals underflow to a signed zero
        "00000001, 0000", "80000001, 8000", "007fffff, 0000",
        // NaNs: payload dropped, sign kept, canonical quiet NaN
        "7fc00000, 7e00", "ffc00000, fe00", "7f800001, 7e00", "7fffffff, 7e00", "ffbfffff, fe00"
    })
    void f16EdgeCases(String floatHex, String halfHex) {
        float f = Float.intBitsToFloat(Integer.parseUnsignedInt(floatHex, 16));
        assertEquals(Integer.parseInt(halfHex, 16), GgmlFloats.toF16(f) & 0xFFFF, floatHex);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "00000000, 0000", "80000000, 8000", "3f800000, 3f80",
        // ties to even: 1+2^-8 down to 1, 1+3*2^-8 up, just above a tie rounds up
        "3f808000, 3f80", "3f818000, 3f82", "3f808001, 3f81", "bf808000, bf80",
        // large values round up to infinity: FLT_MAX, and the tie below it with an odd kept bit
        "7f7fffff, 7f80", "7f7f8000, 7f80", "7f7f7fff, 7f7f", "ff7fffff, ff80",
        "7f800000, 7f80", "ff800000, ff80",
        // subnormals are kept and rounded, not flushed
        "00000001, 0000", "00008000, 0000", "00018000, 0002", "00010000, 0001", "807fffff, 8080",
        // NaNs: top 16 bits with the quiet bit forced on
        "7f800001, 7fc0", "ffc12345, ffc1", "7fbfffff, 7fff", "7f810000, 7fc1", "ff800001, ffc0"
    })
    void bf16EdgeCases(String floatHex, String bf16Hex) {
        float f = Float.intBitsToFloat(Integer.parseUnsignedInt(floatHex, 16));
        assertEquals(Integer.parseInt(bf16Hex, 16), GgmlFloats.toBf16(f) & 0xFFFF, floatHex);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0001, 33800000", "8001, b3800000", "03ff, 387fc000", "0400, 38800000", "7bff, 477fe000",
        "7c00, 7f800000", "fc00, ff800000",
        // NaNs widen quiet, keeping sign and payload (ggml's multiply quiets a signalling NaN)
        "7e00, 7fc00000", "fe00, ffc00000", "7c01, 7fc02000", "7dff, 7fffe000"
    })
    void f16WideningEdgeCases(String halfHex, String floatHex) {
        float f = GgmlFloats.f16ToFloat((short) Integer.parseInt(halfHex, 16));
        assertEquals(Integer.parseUnsignedInt(floatHex, 16), Float.floatToRawIntBits(f), halfHex);
    }

    /** The F16 decoder over all 65536 halves hashes to what ggml_fp16_to_fp32_row produced. */
    @Test
    void f16DecoderMatchesGgmlOnEveryHalf() {
        MemorySegment halves = MemorySegment.ofArray(new short[65536]);
        for (int i = 0; i < 65536; i++) {
            halves.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i, (short) i);
        }
        float[] wide = Codecs.decoder(DType.F16).decode(halves, 0, 65536);
        long h = FNV_OFFSET;
        for (float f : wide) {
            int w = Float.floatToRawIntBits(f);
            for (int k = 0; k < 4; k++) {
                h = (h ^ ((w >>> (8 * k)) & 0xFF)) * FNV_PRIME;
            }
        }
        assertEquals(LlamaCppFixtures.get().halfToFloatHash, h);
    }

    @Test
    void f16MatchesGgmlOnQuickChunks() {
        for (int c : QUICK_CHUNKS) {
            assertChunk("fp16", c, bits -> GgmlFloats.toF16(Float.intBitsToFloat(bits)), LlamaCppFixtures.get().fp16Chunks);
        }
    }

    @Test
    void bf16MatchesGgmlOnQuickChunks() {
        for (int c : QUICK_CHUNKS) {
            assertChunk("bf16", c, bits -> GgmlFloats.toBf16(Float.intBitsToFloat(bits)), LlamaCppFixtures.get().bf16Chunks);
        }
    }

    @Tag("slow")
    @Test
    void f16AndBf16MatchGgmlOnEveryFloat() {
        LlamaCppFixtures fx = LlamaCppFixtures.get();
        for (int c = 0; c < 256; c++) {
            assertChunk("fp16", c, bits -> GgmlFloats.toF16(Float.intBitsToFloat(bits)), fx.fp16Chunks);
            assertChunk("bf16", c, bits -> GgmlFloats.toBf16(Float.intBitsToFloat(bits)), fx.bf16Chunks);
        }
    }

    /** FNV-1a 64 of the 16-bit outputs (2 bytes little-endian each) over one chunk of 2^24 inputs. */
    private static void assertChunk(String what, int chunk, IntUnaryOperator convert, Map<Integer, Long> expected) {
        long h = FNV_OFFSET;
        int base = chunk << 24;
        for (int i = 0; i < 1 << 24; i++) {
            int out = convert.applyAsInt(base | i);
            h = (h ^ (out & 0xFF)) * FNV_PRIME;
            h = (h ^ ((out >>> 8) & 0xFF)) * FNV_PRIME;
        }
        assertEquals(expected.get(chunk), h, () -> String.format(
                "%s conversion differs from ggml for some float in %08x..%08x", what, base, base | 0xFFFFFF));
    }

    /**
     * floorf(log2f(x)) at the edges of every binade: its first and last float, libm's threshold (the
     * first float where log2f rounds up to the next integer) and the float just below it.
     */
    @Test
    void floorLog2fMatchesLibmAtEveryThreshold() {
        Map<Integer, Integer> thresholds = LlamaCppFixtures.get().log2Thresholds;
        assertEquals(277, thresholds.size(), "binades from 2^-149 to 2^127");
        for (var entry : thresholds.entrySet()) {
            int e = entry.getKey();
            int t = entry.getValue();
            int lo = e < -126 ? 1 << (e + 149) : (e + 127) << 23;
            int hi = e < -126 ? (lo << 1) - 1 : lo + (1 << 23) - 1;
            assertFloorLog2(lo, t < 0 || lo < t ? e : e + 1);
            assertFloorLog2(hi, t < 0 ? e : e + 1);
            if (t >= 0) {
                assertFloorLog2(t, e + 1);
                if (t > lo) {
                    assertFloorLog2(t - 1, e);
                }
            }
        }
    }

    @Tag("slow")
    @Test
    void floorLog2fMatchesLibmOnEveryPositiveFloat() {
        Map<Integer, Integer> thresholds = LlamaCppFixtures.get().log2Thresholds;
        for (int bits = 1; bits < 0x7F80_0000; bits++) {
            int e = bits < 0x0080_0000 ? 31 - Integer.numberOfLeadingZeros(bits) - 149 : (bits >>> 23) - 127;
            int t = thresholds.get(e);
            float want = t >= 0 && bits >= t ? e + 1 : e;
            float got = Mxfp4Quantizer.floorLog2f(Float.intBitsToFloat(bits));
            if (got != want) {
                assertFloorLog2(bits, (int) want);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.POSITIVE_INFINITY})
    void floorLog2fOfInfinityIsInfinity(float x) {
        assertTrue(Float.isInfinite(Mxfp4Quantizer.floorLog2f(x)));
    }

    private static void assertFloorLog2(int bits, int expected) {
        float x = Float.intBitsToFloat(bits);
        assertEquals(expected, Mxfp4Quantizer.floorLog2f(x),
                () -> String.format("floorf(log2f(%a)) (bits %08x)", x, bits));
    }
}
