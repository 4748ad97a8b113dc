/*
 * The table from element type to its reference codec (STYLE.md: dispatch on type is a table).
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.util.EnumMap;
import java.util.Map;

/** Looks up the reference {@link BlockCodec} of a {@link DType}. */
public final class Codecs {
    private static final Map<DType, BlockCodec> DECODERS = new EnumMap<>(DType.class);

    static {
        for (BlockCodec c : new BlockCodec[] {
            PlainCodecs.F32_CODEC, PlainCodecs.F16_CODEC, PlainCodecs.BF16_CODEC, PlainCodecs.F64_CODEC,
            PlainCodecs.I8_CODEC, PlainCodecs.U8_CODEC, PlainCodecs.I16_CODEC, PlainCodecs.I32_CODEC,
            PlainCodecs.I64_CODEC,
            LegacyQuantCodecs.Q8_0, LegacyQuantCodecs.Q4_0, LegacyQuantCodecs.Q4_1,
            LegacyQuantCodecs.Q5_0, LegacyQuantCodecs.Q5_1,
            KQuantCodecs.Q4_K, KQuantCodecs.Q5_K, KQuantCodecs.Q6_K,
            new Mxfp4Codec()
        }) {
            DECODERS.put(c.type(), c);
        }
        for (DType t : DType.values()) {
            if (!DECODERS.containsKey(t)) {
                throw new ExceptionInInitializerError("no codec for " + t);
            }
        }
    }

    private Codecs() {}

    /** The reference decoder for {@code type}; every {@link DType} has one. */
    public static BlockCodec decoder(DType type) {
        return DECODERS.get(type);
    }
}
