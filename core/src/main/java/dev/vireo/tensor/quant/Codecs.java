/*
 * The tables from element type to its reference decoder and, for the types Vireo writes, its
 * reference quantizer (STYLE.md: dispatch on type is a table).
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Looks up the reference {@link BlockCodec} and {@link BlockQuantizer} of a {@link DType}. */
public final class Codecs {
    private static final Map<DType, BlockCodec> DECODERS = new EnumMap<>(DType.class);
    private static final Map<DType, BlockQuantizer> QUANTIZERS = new EnumMap<>(DType.class);

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
        for (BlockQuantizer q : new BlockQuantizer[] {
            PlainQuantizers.F32, PlainQuantizers.F16, PlainQuantizers.BF16,
            LegacyQuantizers.Q8_0, LegacyQuantizers.Q4_0, new Mxfp4Quantizer()
        }) {
            QUANTIZERS.put(q.type(), q);
        }
    }

    private Codecs() {}

    /** The reference decoder for {@code type}; every {@link DType} has one. */
    public static BlockCodec decoder(DType type) {
        return DECODERS.get(type);
    }

    /**
     * The reference quantizer for {@code type}, which rounds exactly as llama.cpp's reference
     * quantizers do: present for F32, F16, BF16, Q8_0, Q4_0 and MXFP4, empty for the other types.
     */
    public static Optional<BlockQuantizer> quantizer(DType type) {
        return Optional.ofNullable(QUANTIZERS.get(type));
    }
}
