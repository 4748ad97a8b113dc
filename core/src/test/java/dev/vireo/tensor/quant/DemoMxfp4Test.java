/*
 * The demo model's training pipeline quantizes its experts with a Python port of ggml's
 * quantize_row_mxfp4_ref (tools/demo-model/mxfp4.py). This checks the port against Vireo's Java
 * quantizer (itself checked against llama.cpp in LlamaCppQuantizeTest) byte for byte, on the rows
 * tools/demo-model/fixtures.py wrote: real expert rows of the trained model and seeded rows with exact
 * E2M1 midpoints, amax a few ulps below a power of two, zeros and -0.
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.tensor.DType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DemoMxfp4Test {

    @Test
    void pythonPortMatchesTheJavaQuantizer() throws IOException {
        String text;
        try (InputStream in = DemoMxfp4Test.class.getResourceAsStream("/dev/vireo/demo/mxfp4.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        BlockQuantizer q = Codecs.quantizer(DType.MXFP4).orElseThrow();
        float[] row = null;
        int rows = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("f ")) {
                String[] hex = line.substring(2).trim().split(" ");
                row = new float[hex.length];
                for (int i = 0; i < hex.length; i++) {
                    row[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(hex[i], 16));
                }
            } else if (line.startsWith("q ")) {
                byte[] expected = HexFormat.of().parseHex(line.substring(2).trim());
                byte[] actual = q.quantize(row).toArray(ValueLayout.JAVA_BYTE);
                assertEquals(expected.length, actual.length, "row " + rows);
                assertArrayEquals(expected, actual, "row " + rows + ": Python " + HexFormat.of().formatHex(expected)
                        + " vs Java " + HexFormat.of().formatHex(actual));
                rows++;
            }
        }
        assertTrue(rows >= 9, "fixture rows: " + rows);
    }
}
