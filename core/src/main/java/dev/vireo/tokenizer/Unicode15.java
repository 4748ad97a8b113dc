/*
 * Character classes as llama.cpp sees them. llama.cpp classifies code points with tables generated
 * from Unicode 15.1 (src/unicode-data.cpp); JDK 25's java.lang.Character and java.util.regex follow
 * Unicode 16.0, which assigned 5,185 more code points (Garay, Egyptian hieroglyphs extended-A, Legacy
 * Computing supplement, ...). To split text exactly as llama.cpp does, those code points are shown to
 * the pre-tokenizer patterns as an unassigned stand-in of the same UTF-16 length, so \p{L}, \p{P},
 * \s etc. treat them as llama.cpp treats unassigned code points. The ranges below are the code points
 * new in Unicode 16.0 (DerivedAge). UnicodeTablesTest checks that Java's classes with this adjustment
 * equal llama.cpp's tables for every code point, so a JDK with newer Unicode data is caught.
 */
package dev.vireo.tokenizer;

final class Unicode15 {
    private Unicode15() {}

    /** Inclusive [first, last] pairs, ascending: the code points assigned in Unicode 16.0. */
    private static final int[] UNICODE_16_ADDITIONS = {
        0x0897, 0x0897, 0x1B4E, 0x1B4F, 0x1B7F, 0x1B7F, 0x1C89, 0x1C8A, 0x2427, 0x2429, 0x31E4, 0x31E5,
        0xA7CB, 0xA7CD, 0xA7DA, 0xA7DC, 0x105C0, 0x105F3, 0x10D40, 0x10D65, 0x10D69, 0x10D85, 0x10D8E, 0x10D8F,
        0x10EC2, 0x10EC4, 0x10EFC, 0x10EFC, 0x11380, 0x11389, 0x1138B, 0x1138B, 0x1138E, 0x1138E, 0x11390, 0x113B5,
        0x113B7, 0x113C0, 0x113C2, 0x113C2, 0x113C5, 0x113C5, 0x113C7, 0x113CA, 0x113CC, 0x113D5, 0x113D7, 0x113D8,
        0x113E1, 0x113E2, 0x116D0, 0x116E3, 0x11BC0, 0x11BE1, 0x11BF0, 0x11BF9, 0x11F5A, 0x11F5A, 0x13460, 0x143FA,
        0x16100, 0x16139, 0x16D40, 0x16D79, 0x18CFF, 0x18CFF, 0x1CC00, 0x1CCF9, 0x1CD00, 0x1CEB3, 0x1E5D0, 0x1E5FA,
        0x1E5FF, 0x1E5FF, 0x1F8B2, 0x1F8BB, 0x1F8C0, 0x1F8C1, 0x1FA89, 0x1FA89, 0x1FA8F, 0x1FA8F, 0x1FABE, 0x1FABE,
        0x1FAC6, 0x1FAC6, 0x1FADC, 0x1FADC, 0x1FADF, 0x1FADF, 0x1FAE9, 0x1FAE9, 0x1FBCB, 0x1FBEF,
    };

    /** Unassigned in every Unicode version so far: stand-ins of one and of two UTF-16 units. */
    private static final char BMP_STAND_IN = '\u0378';
    private static final int SUPPLEMENTARY_STAND_IN = 0x50000;

    /** Whether a code point was first assigned in Unicode 16.0. */
    static boolean isUnicode16Addition(int cp) {
        if (cp < UNICODE_16_ADDITIONS[0]) {
            return false;
        }
        int lo = 0;
        int hi = UNICODE_16_ADDITIONS.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < UNICODE_16_ADDITIONS[2 * mid]) {
                hi = mid - 1;
            } else if (cp > UNICODE_16_ADDITIONS[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code text} with every Unicode 16.0 addition replaced by an unassigned stand-in of the same
     * length in chars (so offsets carry over); the same instance when there is none.
     */
    static String view(String text) {
        char[] out = null;
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c < 0x0897) {
                i++;
                continue;
            }
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (isUnicode16Addition(cp)) {
                if (out == null) {
                    out = text.toCharArray();
                }
                if (n == 1) {
                    out[i] = BMP_STAND_IN;
                } else {
                    Character.toChars(SUPPLEMENTARY_STAND_IN, out, i);
                }
            }
            i += n;
        }
        return out == null ? text : new String(out);
    }
}
