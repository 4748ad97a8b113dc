/*
 * Random but valid weight bytes for every DType that a matmul accepts: sane IEEE-half scales (a
 * narrow, finite range, so that values are of ordinary size) and uniformly random codes, written in
 * the block layouts of dev.vireo.tensor.DType / model-spec.md §3.3. Decoding them with the reference
 * codecs gives finite weights of magnitude about 0.01 .. 10. Seeded by the caller's Random.
 */
package dev.vireo.testing;

import dev.vireo.tensor.DType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/** Writes random valid blocks of a {@link DType}. */
public final class RandomBlocks {
    private RandomBlocks() {}

    /** Fills {@code dst[off .. off + type.blockBytes())} with one random valid block. */
    private interface BlockWriter {
        void write(Random r, byte[] dst, int off);
    }

    private static final Map<DType, BlockWriter> WRITERS = new EnumMap<>(DType.class);

    static {
        WRITERS.put(DType.F32, (r, b, o) -> putInt(b, o, Float.floatToRawIntBits((float) r.nextGaussian())));
        WRITERS.put(DType.F16, (r, b, o) -> putShort(b, o, Float.floatToFloat16(plainHalf(r))));
        WRITERS.put(DType.BF16, (r, b, o) -> putShort(b, o, (short) (Float.floatToRawIntBits(
                (float) r.nextGaussian()) >>> 16)));
        WRITERS.put(DType.Q8_0, (r, b, o) -> {
            putHalf(b, o, scale(r, 1f / 127));
            randomBytes(r, b, o + 2, 32);
        });
        WRITERS.put(DType.Q4_0, (r, b, o) -> {
            putHalf(b, o, signed(r, scale(r, 1f / 8)));
            randomBytes(r, b, o + 2, 16);
        });
        WRITERS.put(DType.Q4_1, (r, b, o) -> {
            putHalf(b, o, scale(r, 2f / 15));
            putHalf(b, o + 2, -scale(r, 1f));
            randomBytes(r, b, o + 4, 16);
        });
        WRITERS.put(DType.Q5_0, (r, b, o) -> {
            putHalf(b, o, signed(r, scale(r, 1f / 16)));
            randomBytes(r, b, o + 2, 20);
        });
        WRITERS.put(DType.Q5_1, (r, b, o) -> {
            putHalf(b, o, scale(r, 2f / 31));
            putHalf(b, o + 2, -scale(r, 1f));
            randomBytes(r, b, o + 4, 20);
        });
        // k-quants: 6-bit sub-block scales (up to 63) times codes up to 15/31/±32.
        WRITERS.put(DType.Q4_K, (r, b, o) -> {
            putHalf(b, o, scale(r, 1f / (63 * 15)));
            putHalf(b, o + 2, scale(r, 1f / 63));
            randomBytes(r, b, o + 4, 140);
        });
        WRITERS.put(DType.Q5_K, (r, b, o) -> {
            putHalf(b, o, scale(r, 1f / (63 * 31)));
            putHalf(b, o + 2, scale(r, 1f / 63));
            randomBytes(r, b, o + 4, 172);
        });
        WRITERS.put(DType.Q6_K, (r, b, o) -> {
            randomBytes(r, b, o, 208);
            putHalf(b, o + 208, scale(r, 1f / (127 * 32)));
        });
        // E8M0 exponents 118..131: block scales 2^-9 .. 2^4, as in real MXFP4 tensors.
        WRITERS.put(DType.MXFP4, (r, b, o) -> {
            b[o] = (byte) (118 + r.nextInt(14));
            randomBytes(r, b, o + 1, 16);
        });
    }

    /** True if random blocks of this type can be made. */
    public static boolean supports(DType type) {
        return WRITERS.containsKey(type);
    }

    /**
     * The bytes of a random [rows, cols] tensor of {@code type}, row-major, whole blocks per row.
     *
     * @throws IllegalArgumentException if cols is not a multiple of the block size
     */
    public static byte[] matrix(DType type, int rows, int cols, Random r) {
        BlockWriter writer = WRITERS.get(type);
        if (writer == null) {
            throw new IllegalArgumentException("no random blocks for " + type);
        }
        long bytes = type.rowBytes(cols) * rows;
        byte[] out = new byte[Math.toIntExact(bytes)];
        for (int off = 0; off < out.length; off += type.blockBytes()) {
            writer.write(r, out, off);
        }
        return out;
    }

    /** A positive scale: {@code unit} times a factor in [0.5, 1.5), rounded to half precision. */
    private static float scale(Random r, float unit) {
        return Float.float16ToFloat(Float.floatToFloat16(unit * (0.5f + r.nextFloat())));
    }

    private static float signed(Random r, float v) {
        return r.nextBoolean() ? v : -v;
    }

    /**
     * A half-precision weight: mostly normal N(0,1) values, with zeros, signed zeros and subnormals
     * sprinkled in so that every decoding path of F16 is taken.
     */
    private static float plainHalf(Random r) {
        int kind = r.nextInt(64);
        return switch (kind) {
            case 0 -> 0f;
            case 1 -> -0f;
            case 2 -> signed(r, Float.float16ToFloat((short) (1 + r.nextInt(0x3FF)))); // subnormal
            default -> (float) r.nextGaussian();
        };
    }

    private static void randomBytes(Random r, byte[] b, int off, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) r.nextInt(256);
        }
    }

    private static void putHalf(byte[] b, int off, float v) {
        putShort(b, off, Float.floatToFloat16(v));
    }

    private static void putShort(byte[] b, int off, short v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >> 8);
    }

    private static void putInt(byte[] b, int off, int v) {
        putShort(b, off, (short) v);
        putShort(b, off + 2, (short) (v >>> 16));
    }
}
