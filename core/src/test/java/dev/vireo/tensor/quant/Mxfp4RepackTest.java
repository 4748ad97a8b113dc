/*
 * The MXFP4 repack between Hugging Face's split blocks/scales and ggml's 17-byte blocks: every
 * element decodes (through ggml's codec) to the value model-spec.md §2.1 gives for the Hugging Face
 * bytes, T[code]·2^(scale−127) with element 2j in the low nibble of byte j; and the inverse gives the
 * bytes back. Random bytes cover every code and every scale, including 0 and 255.
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Mxfp4RepackTest {
    private static final double[] E2M1 = {0, 0.5, 1, 1.5, 2, 3, 4, 6, -0.0, -0.5, -1, -1.5, -2, -3, -4, -6};

    @Test
    void repackedBlocksDecodeToTheHuggingFaceValues() {
        Random r = new Random(39);
        int blocks = 4096;
        byte[] codes = new byte[blocks * 16];
        byte[] scales = new byte[blocks];
        r.nextBytes(codes);
        r.nextBytes(scales);
        scales[0] = 0;
        scales[1] = (byte) 255;
        scales[2] = 127;
        MemorySegment ggml = MemorySegment.ofArray(new byte[blocks * 17]);
        Mxfp4Repack.toGgml(MemorySegment.ofArray(codes), 0, MemorySegment.ofArray(scales), 0, blocks, ggml, 0);
        float[] decoded = Codecs.decoder(DType.MXFP4).decode(ggml, 0, blocks * 32);
        for (int b = 0; b < blocks; b++) {
            int s = scales[b] & 0xFF;
            for (int j = 0; j < 16; j++) {
                int byteValue = codes[b * 16 + j] & 0xFF;
                for (int half = 0; half < 2; half++) {
                    int code = half == 0 ? byteValue & 0xF : byteValue >>> 4;
                    float want = (float) (E2M1[code] * Math.pow(2, s - 127));
                    int element = b * 32 + 2 * j + half;
                    assertEquals(want, decoded[element], 0f, "block " + b + " element " + (2 * j + half));
                }
            }
        }
        byte[] codesBack = new byte[codes.length];
        byte[] scalesBack = new byte[scales.length];
        Mxfp4Repack.fromGgml(ggml, 0, blocks, MemorySegment.ofArray(codesBack), 0, MemorySegment.ofArray(scalesBack), 0);
        assertArrayEquals(codes, codesBack);
        assertArrayEquals(scales, scalesBack);
    }

    @Test
    void offsetsAreHonoured() {
        byte[] codes = new byte[3 + 32];
        byte[] scales = new byte[5 + 2];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) (i * 37);
        }
        scales[5] = 120;
        scales[6] = (byte) 130;
        MemorySegment dst = MemorySegment.ofArray(new byte[7 + 34]);
        Mxfp4Repack.toGgml(MemorySegment.ofArray(codes), 3, MemorySegment.ofArray(scales), 5, 2, dst, 7);
        assertEquals(120, dst.get(ValueLayout.JAVA_BYTE, 7));
        assertEquals((byte) 130, dst.get(ValueLayout.JAVA_BYTE, 7 + 17));
        // ggml byte 0 of the first block: element 0 (low nibble of HF byte 0) and element 16 (low of HF byte 8).
        int want = (codes[3] & 0xF) | (codes[3 + 8] & 0xF) << 4;
        assertEquals((byte) want, dst.get(ValueLayout.JAVA_BYTE, 8));
        for (int i = 0; i < 7; i++) {
            assertEquals(0, dst.get(ValueLayout.JAVA_BYTE, i), "byte before the destination offset written");
        }
    }
}
