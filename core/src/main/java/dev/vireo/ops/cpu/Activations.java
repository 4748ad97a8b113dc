/*
 * One matmul call's activations after the conversion Ops.matmul prescribes (to the weight's
 * vec_dot type), held in the arrays the CPU kernels read: struct-of-arrays rather than ggml's
 * interleaved blocks, so that codes load as vectors and scales as scalars without unpacking.
 *
 * Rows are converted once per call by the reference activation quantizer (bit for bit ggml's
 * from_float, dev.vireo.tensor.quant.ActivationQuantizers) into a row of ggml blocks, then spread
 * into the arrays. The arrays grow to the largest call seen and are reused: a warm call allocates
 * nothing. Tested by CpuActivationsTest (against the reference bytes) and the conformance suite.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.F32_LE;
import static dev.vireo.ops.cpu.Vec.I16_LE;

import dev.vireo.tensor.quant.ActivationQuantizers;
import dev.vireo.tensor.quant.VecDotType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Per-call converted activations, token-major. */
final class Activations {

    /** How the codes of each 32-value block are ordered in {@link #codes}. */
    enum Order {
        /** Value j at position j. */
        NATURAL,
        /**
         * Values j and j+16 side by side (positions 2j, 2j+1), matching the nibble order of the 4-
         * and 5-bit weight blocks: byte j holds value j in its low and value j+16 in its high nibble,
         * so one int lane of weight codes pairs with one int lane of activation codes.
         */
        PAIRED
    }

    VecDotType type = VecDotType.F32;
    int rows;
    int cols;
    /** F32, F16, BF16: the converted values (rounded as ggml rounds them), [rows·cols]. */
    float[] values = new float[4096];
    /** 8-bit types: the int8 codes widened to int16, [rows·cols], each block in the chosen order. */
    short[] codes = new short[4096];
    /** 8-bit types: the scale d of each block, [rows·blocks] (f16 values widened; Q8_K's f32). */
    float[] scales = new float[128];
    /** Q8_1: the stored s = f16(d·Σq) of each block. */
    float[] sums = new float[128];
    /** Q8_K: the sum of the codes of each 32-value sub-block (two of ggml's bsums), [rows·cols/32]. */
    int[] subBlockSums = new int[128];
    /** One row of ggml blocks as the reference quantizer writes it. */
    private byte[] row = new byte[4096];

    /** Converts {@code rows} rows of {@code cols} F32 values from {@code x} to {@code type}. */
    void convert(MemorySegment x, int rows, int cols, VecDotType type, Order order) {
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        int rowBytes = Math.toIntExact(type.rowBytes(cols));
        int count = Math.multiplyExact(rows, cols);
        if (row.length < rowBytes) {
            row = new byte[rowBytes];
        }
        if (values.length < count) {
            values = new float[count];
        }
        MemorySegment.copy(x, F32_LE, 0, values, 0, count);
        if (type == VecDotType.F32) {
            return;
        }
        if (!type.isQuantized()) {
            MemorySegment bytes = MemorySegment.ofArray(row);
            for (int t = 0; t < rows; t++) {
                ActivationQuantizers.of(type).quantize(values, t * cols, cols, bytes, 0);
                for (int i = 0; i < cols; i++) {
                    int h = bytes.get(I16_LE, 2L * i);
                    values[t * cols + i] = type == VecDotType.F16 ? Float.float16ToFloat((short) h)
                            : Float.intBitsToFloat(h << 16);
                }
            }
            return;
        }
        int blocks = cols / type.blockSize();
        if (codes.length < count) {
            codes = new short[count];
        }
        if (scales.length < rows * blocks) {
            scales = new float[rows * blocks];
            sums = new float[rows * blocks];
        }
        if (subBlockSums.length < count / 32) {
            subBlockSums = new int[count / 32];
        }
        MemorySegment bytes = MemorySegment.ofArray(row);
        for (int t = 0; t < rows; t++) {
            ActivationQuantizers.of(type).quantize(values, t * cols, cols, bytes, 0);
            for (int b = 0; b < blocks; b++) {
                spreadBlock(bytes, (long) b * type.blockBytes(), t * cols + b * type.blockSize(), t * blocks + b, order);
            }
        }
    }

    /** Moves one ggml block into the arrays: codes from {@code at}, scale and sums at block index {@code k}. */
    private void spreadBlock(MemorySegment bytes, long b, int at, int k, Order order) {
        switch (type) {
            case Q8_0, Q8_1 -> {
                int qs = type == VecDotType.Q8_0 ? 2 : 4;
                scales[k] = Float.float16ToFloat(bytes.get(I16_LE, b));
                sums[k] = type == VecDotType.Q8_1 ? Float.float16ToFloat(bytes.get(I16_LE, b + 2)) : 0;
                for (int j = 0; j < 32; j++) {
                    int pos = order == Order.NATURAL ? j : j < 16 ? 2 * j : 2 * (j - 16) + 1;
                    codes[at + pos] = bytes.get(ValueLayout.JAVA_BYTE, b + qs + j);
                }
            }
            case Q8_K -> {
                scales[k] = bytes.get(F32_LE, b);
                for (int s = 0; s < 8; s++) {
                    int sum = 0;
                    for (int l = 0; l < 32; l++) {
                        short q = bytes.get(ValueLayout.JAVA_BYTE, b + 4 + 32 * s + l);
                        codes[at + 32 * s + l] = q;
                        sum += q;
                    }
                    subBlockSums[at / 32 + s] = sum;
                }
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }
}
