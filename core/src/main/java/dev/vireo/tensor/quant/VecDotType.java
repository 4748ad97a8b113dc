/*
 * The form activations take before a matmul's dot products: ggml's "vec_dot_type" of each weight
 * type (ggml-cpu.c, type_traits_cpu). ggml's CPU backend converts every activation row to this type
 * first — rounding to F16/BF16, or quantizing to 8-bit blocks — and then takes block dot products
 * with the weight; Ops.matmul defines Vireo's matmul the same way. Block layouts follow
 * ggml-common.h (block_q8_0, block_q8_1, block_q8_K). Tested by ActivationQuantizersTest.
 */
package dev.vireo.tensor.quant;

import dev.vireo.tensor.DType;
import java.util.EnumMap;
import java.util.Map;

/** The activation format a weight type's dot products take (ggml's vec_dot_type). */
public enum VecDotType {
    /** Activations used as they are. */
    F32(1, 4),
    /** Activations rounded to IEEE half. */
    F16(1, 2),
    /** Activations rounded to bfloat16. */
    BF16(1, 2),
    /** 32 values: f16 scale d, 32 × int8 codes; value ≈ d·q. */
    Q8_0(32, 34),
    /** 32 values: f16 d, f16 s = d·Σq (d before its rounding to f16), 32 × int8 codes. */
    Q8_1(32, 36),
    /** 256 values: f32 d, 256 × int8 codes, 16 × int16 sums of 16 consecutive codes. */
    Q8_K(256, 292);

    private static final Map<DType, VecDotType> OF_WEIGHT = new EnumMap<>(DType.class);

    static {
        OF_WEIGHT.put(DType.F32, F32);
        OF_WEIGHT.put(DType.F16, F16);
        OF_WEIGHT.put(DType.BF16, BF16);
        for (DType t : new DType[] {DType.Q8_0, DType.Q4_0, DType.Q5_0, DType.MXFP4}) {
            OF_WEIGHT.put(t, Q8_0);
        }
        OF_WEIGHT.put(DType.Q4_1, Q8_1);
        OF_WEIGHT.put(DType.Q5_1, Q8_1);
        for (DType t : new DType[] {DType.Q4_K, DType.Q5_K, DType.Q6_K}) {
            OF_WEIGHT.put(t, Q8_K);
        }
    }

    private final int blockSize;
    private final int blockBytes;

    VecDotType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Values per block (1 for the float types). */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block in ggml's layout. */
    public int blockBytes() {
        return blockBytes;
    }

    /** True for the 8-bit block types. */
    public boolean isQuantized() {
        return blockSize > 1;
    }

    /**
     * Bytes of a row of {@code elements} values.
     *
     * @throws IllegalArgumentException if {@code elements} is negative or not a whole number of blocks
     */
    public long rowBytes(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            throw new IllegalArgumentException(this + " rows must hold a multiple of " + blockSize
                    + " values, got " + elements);
        }
        return Math.multiplyExact(elements / blockSize, (long) blockBytes);
    }

    /**
     * The activation format of a weight type, as ggml's CPU backend pairs them: F32, F16, BF16 with
     * themselves; Q8_0, Q4_0, Q5_0, MXFP4 with Q8_0; Q4_1, Q5_1 with Q8_1; the k-quants with Q8_K.
     *
     * @throws IllegalArgumentException for a type no matmul takes as a weight
     */
    public static VecDotType forWeight(DType weight) {
        VecDotType t = OF_WEIGHT.get(weight);
        if (t == null) {
            throw new IllegalArgumentException(weight + " is not a matmul weight type (no vec_dot type)");
        }
        return t;
    }
}
