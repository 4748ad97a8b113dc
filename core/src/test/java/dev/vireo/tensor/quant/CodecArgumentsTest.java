/*
 * Argument checking of the decoders and quantizers: partial blocks and negative counts are
 * IllegalArgumentExceptions, ranges outside the source or destination are IndexOutOfBounds, and a
 * rejected quantize call writes nothing.
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodecArgumentsTest {

    @ParameterizedTest
    @EnumSource(DType.class)
    void decodingPartialOrNegativeCountsThrows(DType type) {
        BlockCodec codec = Codecs.decoder(type);
        MemorySegment src = MemorySegment.ofArray(new byte[4 * 256]);
        float[] dst = new float[512];
        assertThrows(IllegalArgumentException.class, () -> codec.decode(src, 0, dst, 0, -type.blockSize()));
        if (type.isQuantized()) {
            assertThrows(IllegalArgumentException.class, () -> codec.decode(src, 0, dst, 0, type.blockSize() - 1));
            assertThrows(IllegalArgumentException.class, () -> codec.decode(src, 0, dst, 0, type.blockSize() + 1));
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> codec.decode(src, 0, dst, dst.length - type.blockSize(), 2 * type.blockSize()));
        codec.decode(src, 0, dst, 0, 0); // an empty range is fine
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "MXFP4"})
    void quantizingBadRangesThrowsAndWritesNothing(DType type) {
        BlockQuantizer q = Codecs.quantizer(type).orElseThrow();
        int n = 64;
        float[] src = new float[n];
        java.util.Arrays.fill(src, 1.5f);
        int bytes = (int) type.rowBytes(n);
        MemorySegment dst = MemorySegment.ofArray(new byte[bytes]);
        dst.fill((byte) 0x77);
        byte[] untouched = dst.toArray(ValueLayout.JAVA_BYTE);

        assertThrows(IllegalArgumentException.class, () -> q.quantize(src, 0, -type.blockSize(), dst, 0));
        if (type.isQuantized()) {
            assertThrows(IllegalArgumentException.class, () -> q.quantize(src, 0, n - 1, dst, 0));
            assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[33]));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> q.quantize(src, 1, n, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> q.quantize(src, 0, n, dst, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> q.quantize(src, 0, n, dst, -1));
        assertArrayEquals(untouched, dst.toArray(ValueLayout.JAVA_BYTE));

        q.quantize(src, 0, n, dst, 0);
        assertEquals(bytes, q.quantize(src).byteSize());
    }

    @ParameterizedTest
    @EnumSource(names = {"F16", "Q8_0", "MXFP4"})
    void quantizingIntoAReadOnlySegmentThrows(DType type) {
        BlockQuantizer q = Codecs.quantizer(type).orElseThrow();
        MemorySegment dst = MemorySegment.ofArray(new byte[(int) type.rowBytes(32)]).asReadOnly();
        assertThrows(IllegalArgumentException.class, () -> q.quantize(new float[32], 0, 32, dst, 0));
    }
}
