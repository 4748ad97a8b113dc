/*
 * C's roundf, x86-64's float → integer conversions and the SIMD lane operations (MAXPS, saturating
 * packs), as the quantizers use them.
 */
package dev.vireo.tensor.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CFloatTest {

    @ParameterizedTest(name = "roundf({0}) = {1}")
    @CsvSource({
        "0.5, 1", "-0.5, -1", "1.5, 2", "2.5, 3", "-2.5, -3", "126.5, 127", "-126.5, -127",
        "0.49999997, 0", "-0.49999997, -0", "0.3, 0", "-0.3, -0", "-0.0, -0", "1.0E30, 1.0E30",
        "8388607.5, 8388608", "-8388607.5, -8388608", "16777215, 16777215", "Infinity, Infinity",
        "-Infinity, -Infinity"
    })
    void roundfRoundsHalfAwayFromZero(float x, float expected) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(CFloat.roundf(x)), "roundf(" + x + ")");
    }

    @Test
    void roundfKeepsNaN() {
        assertEquals(0x7FC00000, Float.floatToRawIntBits(CFloat.roundf(Float.NaN)));
    }

    @ParameterizedTest(name = "cvtt({0}) = {1}")
    @CsvSource({
        "0.9, 0", "-0.9, 0", "8.99, 8", "-1.5, -1", "2147483520, 2147483520",
        "2147483648, -2147483648", "-2147483648, -2147483648", "-3.0E9, -2147483648",
        "Infinity, -2147483648", "-Infinity, -2147483648", "NaN, -2147483648"
    })
    void cvttTruncatesAndGivesTheIndefiniteIntegerOutOfRange(float x, int expected) {
        assertEquals(expected, CFloat.cvtt(x));
    }

    @ParameterizedTest(name = "cvtps2dq({0}) = {1}")
    @CsvSource({
        "0.5, 0", "1.5, 2", "2.5, 2", "-2.5, -2", "-0.5, 0", "126.5, 126", "127.5, 128", "-0.49999997, 0",
        "2147483520, 2147483520", "2147483648, -2147483648", "Infinity, -2147483648", "NaN, -2147483648"
    })
    void cvtps2dqRoundsToNearestEven(float x, int expected) {
        assertEquals(expected, CFloat.cvtps2dq(x));
    }

    @Test
    void maxpsReturnsTheSecondOperandOnNaNAndZeros() {
        assertEquals(2f, CFloat.maxps(Float.NaN, 2f));
        assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(CFloat.maxps(2f, Float.NaN)));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(CFloat.maxps(0f, -0f)));
        assertEquals(3f, CFloat.maxps(3f, 2f));
        assertEquals(0x7FC0_1234, Float.floatToRawIntBits(CFloat.andnotSign(Float.intBitsToFloat(0xFFC0_1234))));
    }

    @Test
    void saturateToByteClampsThroughInt16() {
        assertEquals(127, CFloat.saturateToByte(40000));
        assertEquals(-128, CFloat.saturateToByte(Integer.MIN_VALUE));
        assertEquals(-5, CFloat.saturateToByte(-5));
    }
}
