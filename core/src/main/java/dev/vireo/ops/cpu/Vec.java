/*
 * The vector shapes the CPU backend computes with, chosen once per JVM. Floats use the preferred
 * species (AVX-512: 16 lanes, AVX2: 8), capped at 16 lanes because the block decoders feed float
 * vectors from 16-byte loads of quantized codes: one 16-byte load fills 16 / FL float vectors.
 * The system property vireo.cpu.vectorBits (128, 256 or 512) overrides the choice, so that the
 * narrower paths of a wide machine's kernels can be run through the conformance suite too.
 * Tested indirectly by the conformance suite (core/src/test/java/dev/vireo/ops) on whatever machine runs it.
 */
package dev.vireo.ops.cpu;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/** Species and layouts shared by the CPU kernels. */
final class Vec {
    private Vec() {}

    /** Float lanes: the preferred species, at most 512 bits, at least 128. */
    static final VectorSpecies<Float> F = pickFloatSpecies();
    /** Lanes per float vector. */
    static final int FL = F.length();
    /** Ints with as many lanes as {@link #F} (same bit size). */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Shorts with as many lanes as {@link #F} (half the bit size): F16/BF16 weights. */
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(FL * 16));
    /** Shorts filling {@link #F}'s shape (2·FL lanes): the int16 products of the integer kernels. */
    static final VectorSpecies<Short> SW = VectorSpecies.of(short.class, F.vectorShape());
    /** Bytes of half {@link #F}'s size (2·FL lanes), widened to {@link #SW} by one conversion. */
    static final VectorSpecies<Byte> BH = VectorSpecies.of(byte.class, VectorShape.forBitSize(FL * 16));
    /** Sixteen bytes: the unit of quantized codes the decoders load. */
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    /** The same sixteen bytes as four ints: packed codes shifted and masked four bytes per lane. */
    static final VectorSpecies<Integer> I4 = IntVector.SPECIES_128;
    /** Float vectors filled by one 16-byte load of 8-bit codes. */
    static final int PARTS = 16 / FL;

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LE);
    static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);

    /** Lane i takes lane (i + k) mod FL: the folds of {@link #sum} (and of its copies, see there). */
    static final VectorShuffle<Float> FOLD8 = VectorShuffle.iota(F, 8 % FL, 1, true);
    static final VectorShuffle<Float> FOLD4 = VectorShuffle.iota(F, 4 % FL, 1, true);
    static final VectorShuffle<Float> FOLD2 = VectorShuffle.iota(F, 2, 1, true);
    static final VectorShuffle<Float> FOLD1 = VectorShuffle.iota(F, 1, 1, true);

    /**
     * The sum of the lanes of {@code v}, added in one fixed order (a pairwise tree: lane i with lane
     * i + FL/2, then i + FL/4, ...). Not reduceLanes(ADD): its float order is unspecified, and C2
     * does change it with the compilation context, so the same dot product gave different last bits
     * before and after the JIT compiled it (and in the single-token versus the many-token matmul).
     * Lanewise adds and permutes are exact, so this sum is the same in every context.
     *
     * <p>Written as a chain of tiny methods on purpose: each stays under C2's MaxInlineSize (35
     * bytecodes), so the chain is inlined even at a call site C2 does not count as hot (the end of a
     * kernel's loop). A call that is not inlined passes the vector as a heap object: measured, the
     * Q6_K dot allocated one per output row (11 MB per token for Llama-3.2-1B's output matrix).
     * In the largest kernels (the K-quant dots) C2 stops inlining anything once the method's node
     * count passes its cutoff, however small the callee; those kernels write the same folds out
     * inline, with the Vector API's own (force-inlined) operations.
     */
    static float sum(FloatVector v) {
        return fold1(fold2(fold4(fold8(v)))).lane(0);
    }

    private static FloatVector fold8(FloatVector v) {
        return FL == 16 ? v.add(v.rearrange(FOLD8)) : v;
    }

    private static FloatVector fold4(FloatVector v) {
        return FL >= 8 ? v.add(v.rearrange(FOLD4)) : v;
    }

    private static FloatVector fold2(FloatVector v) {
        return v.add(v.rearrange(FOLD2));
    }

    private static FloatVector fold1(FloatVector v) {
        return v.add(v.rearrange(FOLD1));
    }

    private static VectorSpecies<Float> pickFloatSpecies() {
        String forced = System.getProperty("vireo.cpu.vectorBits");
        if (forced != null) {
            return switch (forced.trim()) {
                case "128" -> FloatVector.SPECIES_128;
                case "256" -> FloatVector.SPECIES_256;
                case "512" -> FloatVector.SPECIES_512;
                default -> throw new IllegalArgumentException("vireo.cpu.vectorBits must be 128, 256 or 512, got "
                        + forced);
            };
        }
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (preferred.vectorBitSize() > 512) {
            return FloatVector.SPECIES_512;
        }
        if (preferred.vectorBitSize() < 128) {
            return FloatVector.SPECIES_128;
        }
        return preferred;
    }
}
