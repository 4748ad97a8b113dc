/*
 * Decoding of the unquantized element types: floats widen exactly; integers convert to the nearest float.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/** Codecs for F32, F16, BF16, F64 and the integer types. */
final class PlainCodecs {
    private static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private PlainCodecs() {}

    static final BlockCodec F32_CODEC = codec(DType.F32, (s, o, i) -> s.get(Bytes.F32, o + 4L * i));
    static final BlockCodec F16_CODEC = codec(DType.F16, (s, o, i) -> Bytes.f16(s, o + 2L * i));
    /** bfloat16 is the top half of an IEEE float: widening is a shift. */
    static final BlockCodec BF16_CODEC = codec(DType.BF16,
            (s, o, i) -> Float.intBitsToFloat((s.get(Bytes.I16, o + 2L * i) & 0xFFFF) << 16));
    static final BlockCodec F64_CODEC = codec(DType.F64, (s, o, i) -> (float) s.get(F64_LE, o + 8L * i));
    static final BlockCodec I8_CODEC = codec(DType.I8, (s, o, i) -> Bytes.i8(s, o + i));
    static final BlockCodec U8_CODEC = codec(DType.U8, (s, o, i) -> Bytes.u8(s, o + i));
    static final BlockCodec I16_CODEC = codec(DType.I16, (s, o, i) -> s.get(Bytes.I16, o + 2L * i));
    static final BlockCodec I32_CODEC = codec(DType.I32, (s, o, i) -> s.get(Bytes.I32, o + 4L * i));
    static final BlockCodec I64_CODEC = codec(DType.I64, (s, o, i) -> s.get(I64_LE, o + 8L * i));

    private interface ElementReader {
        float read(MemorySegment src, long offset, int index);
    }

    private static BlockCodec codec(DType type, ElementReader reader) {
        return new BlockCodec() {
            @Override
            public DType type() {
                return type;
            }

            @Override
            public void decode(MemorySegment src, long offset, float[] dst, int dstOffset, int count) {
                LegacyQuantCodecs.wholeBlocks(type, count);
                Objects.checkFromIndexSize(dstOffset, count, dst.length);
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = reader.read(src, offset, i);
                }
            }
        };
    }
}
