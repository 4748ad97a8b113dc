/*
 * e^x for the CPU kernels, computed so that the same input gives the same bits wherever it is
 * evaluated: in a vector lane or a loop's scalar tail, interpreted or compiled by C1 or C2.
 *
 * Why not VectorOperators.EXP: C2 compiles it to a vendor math library call (SVML on x86) while the
 * interpreter and C1 fall back to per-lane Math.exp, and the two differ in the last bit. That made a
 * model's logits depend on how warm the JIT was (~1e-6 of the logit scale between the first and the
 * second run of one model) and, through the 8-bit rounding of activations that quantized matmuls
 * do, sometimes flip an expert choice or a greedy token. This version uses only lanewise operations
 * whose results IEEE 754 fixes (fma, add, mul, min, max, integer shifts), so it is bit-reproducible.
 *
 * Method: x = n·ln2 + r with n = round(x·log2 e) and |r| ≤ ln2/2 (Cody–Waite, ln2 split in two so that
 * n·LN2_HI is exact), e^r by its Taylor polynomial to degree 7 (truncation < 5e-9 relative), and the
 * result scaled by 2^n in two halves so that 2^n never leaves the normal range even where e^x is
 * subnormal or overflows. Accuracy: within 2 ulp of the correctly rounded value (ExpTest).
 * Tested by ExpTest (vector = scalar bit for bit; against Math.exp over the whole float range).
 *
 * The vector form is a loop over an array, not a function of a vector: C2 would not inline a
 * function this size into the kernels that call it ("callee is too large"), and then every vector
 * passed in or returned is boxed on the heap (it was, at ~50 MB/s while a model ran).
 */
package dev.vireo.ops.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** A bit-reproducible e^x, vector and scalar. */
final class Exp {
    private Exp() {}

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 = LN2_HI + LN2_LO; LN2_HI has 9 significant bits, so n·LN2_HI is exact for |n| ≤ 2^15. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer, kept in the low mantissa bits. */
    private static final float SHIFTER = 0x1.8p23f;
    private static final int SHIFTER_BITS = Float.floatToRawIntBits(SHIFTER);
    /** Beyond these e^x is 0 (below 2^-150) or +∞ (above 2^128) in float; clamping keeps n small. */
    private static final float LOW = -104f;
    private static final float HIGH = 89f;
    private static final float C2 = 1f / 2;
    private static final float C3 = 1f / 6;
    private static final float C4 = 1f / 24;
    private static final float C5 = 1f / 120;
    private static final float C6 = 1f / 720;
    private static final float C7 = 1f / 5040;

    /** x[i] = e^x[i] for i in [from, to); NaN stays NaN, −∞ gives 0, +∞ gives +∞. */
    static void exp(float[] a, int from, int to) {
        VectorSpecies<Float> f = Vec.F;
        int i = from;
        for (int bound = to - (to - from) % f.length(); i < bound; i += f.length()) {
            FloatVector x = FloatVector.fromArray(f, a, i);
            FloatVector xc = x.max(LOW).min(HIGH);
            FloatVector t = xc.fma(LOG2E, SHIFTER);
            FloatVector n = t.sub(SHIFTER);
            FloatVector r = n.fma(FloatVector.broadcast(f, -LN2_HI), xc);
            r = n.fma(FloatVector.broadcast(f, -LN2_LO), r);
            FloatVector p = r.fma(C7, C6);
            p = p.fma(r, FloatVector.broadcast(f, C5));
            p = p.fma(r, FloatVector.broadcast(f, C4));
            p = p.fma(r, FloatVector.broadcast(f, C3));
            p = p.fma(r, FloatVector.broadcast(f, C2));
            p = p.fma(r, FloatVector.broadcast(f, 1f));
            p = p.fma(r, FloatVector.broadcast(f, 1f));
            IntVector ni = t.reinterpretAsInts().sub(SHIFTER_BITS);
            IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
            FloatVector s1 = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            FloatVector s2 = ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(s1).mul(s2).intoArray(a, i);
        }
        for (; i < to; i++) {
            a[i] = exp(a[i]);
        }
    }

    /** The same function on one float: the same operations in the same order, so the same bits. */
    static float exp(float x) {
        float xc = Math.min(Math.max(x, LOW), HIGH);
        float t = Math.fma(xc, LOG2E, SHIFTER);
        float n = t - SHIFTER;
        float r = Math.fma(n, -LN2_HI, xc);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, C7, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int ni = Float.floatToRawIntBits(t) - SHIFTER_BITS;
        int half = ni >> 1;
        float s1 = Float.intBitsToFloat((half + 127) << 23);
        float s2 = Float.intBitsToFloat((ni - half + 127) << 23);
        return p * s1 * s2;
    }
}
