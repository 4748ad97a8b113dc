/*
 * One matmul call's activations after the conversion Ops.matmul prescribes (to the weight's
 * vec_dot type), held in the arrays the CPU kernels read: struct-of-arrays rather than ggml's
 * interleaved blocks, so that codes load as vectors and scales as scalars without unpacking.
 *
 * Two forms, for Matmul's two paths. CODES (one token, integer kernels): the int8 codes widened to
 * int16, each block's scale d, Q8_1's s, Q8_K's sums per 32 values. VALUES (several tokens, float
 * kernels): the values the codes stand for, d·q, in float — exact for Q8_0/Q8_1 (an f16 times an
 * int8 needs 19 bits), rounded once for Q8_K's f32 d — plus, for Q8_1, the correction s − d·Σq of
 * each block, because ggml's Q4_1/Q5_1 bias term uses the stored s, not d·Σq. Float activation
 * types always come as VALUES, rounded as ggml rounds them.
 *
 * The conversion is the reference one (dev.vireo.tensor.quant.ActivationQuantizers, bit for bit
 * ggml's from_float) done with vectors: the same float operations on each value — the multiplier
 * 127/max or −127/max, round to nearest-even (by adding and subtracting 1.5·2^23, exact below 2^22),
 * the same f16 rounding of the scale — so the codes are identical. A block whose maximum is not a
 * finite number with a finite multiplier (NaN, infinities, magnitudes below 127/FLT_MAX), where only
 * ggml's exact lane order and saturation rules decide, goes through the scalar reference instead.
 * The arrays grow to the largest call seen and are reused: a warm call allocates nothing.
 * Tested bit for bit against the reference by CpuActivationsTest, and by the conformance suite.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.F32_LE;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.I;
import static dev.vireo.ops.cpu.Vec.I16_LE;
import static dev.vireo.ops.cpu.Vec.S;
import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.F2I;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.I2F;
import static jdk.incubator.vector.VectorOperators.I2S;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.MAX;

import dev.vireo.tensor.quant.ActivationQuantizers;
import dev.vireo.tensor.quant.GgmlFloats;
import dev.vireo.tensor.quant.VecDotType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

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

    /** What the arrays hold for an 8-bit type (see the file comment). */
    enum Form {
        CODES,
        VALUES
    }

    /** 1.5·2^23: added and subtracted, it rounds a float of magnitude below 2^22 to an integer, ties to even. */
    private static final float ROUND = 12582912f;

    VecDotType type = VecDotType.F32;
    Form form = Form.VALUES;
    Order order = Order.NATURAL;
    int rows;
    int cols;
    /** VALUES: the converted (F32, F16, BF16) or dequantized (8-bit types) values, [rows·cols]. */
    float[] values = new float[4096];
    /** CODES: the int8 codes widened to int16, [rows·cols], each block in {@link #order}. */
    short[] codes = new short[4096];
    /** CODES: the scale d of each block, [rows·blocks] (f16 values widened; Q8_K's f32). */
    float[] scales = new float[128];
    /** CODES, Q8_1: the stored s = f16(d·Σq) of each block. VALUES, Q8_1: s − d·Σq. */
    float[] sums = new float[128];
    /** CODES, Q8_K: the sum of the codes of each 32-value sub-block (two of ggml's bsums), [rows·cols/32]. */
    int[] subBlockSums = new int[128];
    /** One block of ggml bytes from the scalar reference (the fallback). */
    private final MemorySegment block = MemorySegment.ofArray(new byte[VecDotType.Q8_K.blockBytes()]);

    /**
     * Converts {@code rows} rows of {@code cols} F32 values from {@code x} to {@code type}, kept in
     * {@code form} (ignored for the float types), codes in {@code order}.
     */
    void convert(MemorySegment x, int rows, int cols, VecDotType type, Form form, Order order) {
        this.type = type;
        this.form = type.isQuantized() ? form : Form.VALUES;
        this.order = order;
        this.rows = rows;
        this.cols = cols;
        int count = Math.multiplyExact(rows, cols);
        int blocks = count / type.blockSize();
        values = Scratch.grow(values, count);
        MemorySegment.copy(x, F32_LE, 0, values, 0, count);
        switch (type) {
            case F32 -> { }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = Float.float16ToFloat(GgmlFloats.toF16(values[i]));
                }
            }
            case BF16 -> toBf16(count);
            case Q8_0, Q8_1, Q8_K -> {
                if (this.form == Form.CODES && codes.length < count) {
                    codes = new short[count];
                }
                scales = Scratch.grow(scales, blocks);
                sums = Scratch.grow(sums, blocks);
                if (subBlockSums.length < count / 32) {
                    subBlockSums = new int[count / 32];
                }
                for (int b = 0; b < blocks; b++) {
                    if (type == VecDotType.Q8_K ? !q8KBlock(b) : !q8Block(b)) {
                        referenceBlock(b);
                    }
                }
            }
        }
    }

    /** BF16 as GgmlFloats.toBf16 (round to nearest-even by an integer add; NaN quieted) and back. */
    private void toBf16(int count) {
        int i = 0;
        for (int bound = count - count % FL; i < bound; i += FL) {
            IntVector u = FloatVector.fromArray(F, values, i).reinterpretAsInts();
            IntVector rounded = u.add(u.lanewise(LSHR, 16).and(1)).add(0x7FFF)
                    .and(0xFFFF_0000);
            IntVector nan = u.and(0xFFFF_0000).or(0x0040_0000);
            rounded.blend(nan, u.and(0x7FFF_FFFF).compare(GT, 0x7F80_0000))
                    .reinterpretAsFloats().intoArray(values, i);
        }
        for (; i < count; i++) {
            values[i] = GgmlFloats.bf16ToFloat(GgmlFloats.toBf16(values[i]));
        }
    }

    /**
     * Q8_0 / Q8_1 block b (values [32b, 32b+32) of the token-major row-concatenation) with vectors,
     * as quantize_row_q8_0 / q8_1 compute it; false (nothing written) where the reference must decide.
     */
    private boolean q8Block(int b) {
        int o = 32 * b;
        FloatVector m = FloatVector.fromArray(F, values, o).lanewise(ABS);
        for (int p = FL; p < 32; p += FL) {
            m = m.max(FloatVector.fromArray(F, values, o + p).lanewise(ABS));
        }
        float max = m.reduceLanes(MAX); // NaN if any value is NaN
        float id = max != 0f ? 127f / max : 0f;
        if (!(max < Float.POSITIVE_INFINITY) || !(id < Float.POSITIVE_INFINITY)) {
            return false;
        }
        float d = max / 127f;
        float dh = Float.float16ToFloat(GgmlFloats.toF16(d));
        IntVector sum = IntVector.zero(I);
        for (int p = 0; p < 32; p += FL) {
            FloatVector r = FloatVector.fromArray(F, values, o + p).mul(id).add(ROUND).sub(ROUND);
            IntVector q = (IntVector) r.convert(F2I, 0);
            sum = sum.add(q);
            if (form == Form.VALUES) {
                r.mul(dh).intoArray(values, o + p);
            } else if (order == Order.NATURAL) {
                ((ShortVector) q.convertShape(I2S, S, 0)).intoArray(codes, o + p);
            }
        }
        if (form == Form.CODES && order == Order.PAIRED) {
            // Values j and j+16 into one int lane (low and high int16), stored as two codes.
            for (int p = 0; p < 16; p += FL) {
                IntVector lo = (IntVector) FloatVector.fromArray(F, values, o + p).mul(id).add(ROUND).sub(ROUND)
                        .convert(F2I, 0);
                IntVector hi = (IntVector) FloatVector.fromArray(F, values, o + 16 + p).mul(id).add(ROUND).sub(ROUND)
                        .convert(F2I, 0);
                lo.and(0xFFFF).or(hi.lanewise(LSHL, 16)).reinterpretAsShorts().intoArray(codes, o + 2 * p);
            }
        }
        int total = sum.reduceLanes(ADD);
        if (type == VecDotType.Q8_1) {
            float s = Float.float16ToFloat(GgmlFloats.toF16(d * total));
            sums[b] = form == Form.CODES ? s : (float) (s - (double) dh * total);
        }
        scales[b] = dh;
        return true;
    }

    /**
     * Q8_K block b (256 values) with vectors, as quantize_row_q8_K_ref computes it: the first value
     * of largest magnitude sets iscale = −127/max, codes are nearest_int(iscale·x) capped at 127.
     * False (nothing written) where the reference must decide.
     */
    private boolean q8KBlock(int b) {
        int o = 256 * b;
        FloatVector m = FloatVector.fromArray(F, values, o).lanewise(ABS);
        for (int p = FL; p < 256; p += FL) {
            m = m.max(FloatVector.fromArray(F, values, o + p).lanewise(ABS));
        }
        float amax = m.reduceLanes(MAX);
        if (!(amax < Float.POSITIVE_INFINITY)) {
            return false;
        }
        if (amax == 0f) {
            for (int p = 0; p < 256; p += FL) {
                FloatVector.zero(F).intoArray(values, o + p);
                if (form == Form.CODES) {
                    ShortVector.zero(S).intoArray(codes, o + p);
                }
            }
            for (int s = 0; s < 8; s++) {
                subBlockSums[8 * b + s] = 0;
            }
            scales[b] = 0;
            return true;
        }
        int first = o;
        while (Math.abs(values[first]) != amax) {
            first++;
        }
        float iscale = -127f / values[first];
        if (!(Math.abs(iscale) < Float.POSITIVE_INFINITY)) {
            return false;
        }
        float d = 1 / iscale;
        for (int s = 0; s < 8; s++) {
            IntVector sum = IntVector.zero(I);
            for (int p = 0; p < 32; p += FL) {
                int at = o + 32 * s + p;
                // nearest_int: the low mantissa bits of iscale·x + 1.5·2^23, minus 2^22.
                IntVector q = FloatVector.fromArray(F, values, at).mul(iscale).add(ROUND).reinterpretAsInts()
                        .and(0x007F_FFFF).sub(0x0040_0000).min(127);
                sum = sum.add(q);
                if (form == Form.VALUES) {
                    ((FloatVector) q.convert(I2F, 0)).mul(d).intoArray(values, at);
                } else {
                    ((ShortVector) q.convertShape(I2S, S, 0)).intoArray(codes, at);
                }
            }
            subBlockSums[8 * b + s] = sum.reduceLanes(ADD);
        }
        scales[b] = d;
        return true;
    }

    /** Block b through the scalar reference quantizer, spread into the arrays. */
    private void referenceBlock(int b) {
        int n = type.blockSize();
        int o = n * b;
        ActivationQuantizers.of(type).quantize(values, o, n, block, 0);
        int qs = type == VecDotType.Q8_0 ? 2 : 4;
        float d = type == VecDotType.Q8_K ? block.get(F32_LE, 0) : Float.float16ToFloat(block.get(I16_LE, 0));
        int total = 0;
        for (int j = 0; j < n; j++) {
            int q = block.get(ValueLayout.JAVA_BYTE, qs + j);
            total += q;
            if (form == Form.VALUES) {
                values[o + j] = d * q;
            } else {
                codes[o + (order == Order.NATURAL || n != 32 ? j : j < 16 ? 2 * j : 2 * (j - 16) + 1)] = (short) q;
            }
            if (type == VecDotType.Q8_K && j % 32 == 31) {
                int s = j / 32;
                int sum = 0;
                for (int l = 0; l < 32; l++) {
                    sum += block.get(ValueLayout.JAVA_BYTE, qs + 32 * s + l);
                }
                subBlockSums[8 * b + s] = sum;
            }
        }
        if (type == VecDotType.Q8_1) {
            float s = Float.float16ToFloat(block.get(I16_LE, 2));
            sums[b] = form == Form.CODES ? s : (float) (s - (double) d * total);
        }
        scales[b] = d;
    }
}
