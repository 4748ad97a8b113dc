/*
 * Little-endian field access inside quantized blocks, shared by the codecs and quantizers.
 */
package dev.vireo.tensor.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Unaligned little-endian reads and writes of block fields. */
final class Bytes {
    static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Bytes() {}

    /** Unsigned byte at {@code off}. */
    static int u8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
    }

    /** Signed byte at {@code off}. */
    static int i8(MemorySegment s, long off) {
        return s.get(ValueLayout.JAVA_BYTE, off);
    }

    /** IEEE half at {@code off}, widened to float (exact). */
    static float f16(MemorySegment s, long off) {
        return Float.float16ToFloat(s.get(I16, off));
    }

    /** Little-endian unsigned 32-bit word at {@code off}, as int bits. */
    static int u32(MemorySegment s, long off) {
        return s.get(I32, off);
    }

    /** Stores the low 8 bits of {@code v} at {@code off}. */
    static void put8(MemorySegment s, long off, int v) {
        s.set(ValueLayout.JAVA_BYTE, off, (byte) v);
    }

    /** Stores 16 bits (a half, a bfloat16) little-endian at {@code off}. */
    static void put16(MemorySegment s, long off, short v) {
        s.set(I16, off, v);
    }
}
