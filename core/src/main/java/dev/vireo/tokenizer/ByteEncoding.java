/*
 * GPT-2's reversible byte-to-unicode mapping, used by every byte-level BPE vocabulary: printable
 * Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves, the other 68 bytes are shifted to
 * U+0100.. in byte order (so a space is 'Ġ' U+0120, a newline 'Ċ' U+010A). Each byte becomes exactly
 * one Java char, which lets the BPE work on one char per byte. Tested in ByteLevelBpeTest.
 */
package dev.vireo.tokenizer;

final class ByteEncoding {
    private ByteEncoding() {}

    /** Byte value → its stand-in character. */
    private static final char[] TO_CHAR = new char[256];
    /** Stand-in character → byte value, or -1; indexed by char up to U+0143. */
    private static final short[] TO_BYTE = new short[0x144];

    static {
        java.util.Arrays.fill(TO_BYTE, (short) -1);
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + shifted++);
            TO_CHAR[b] = c;
            TO_BYTE[c] = (short) b;
        }
    }

    /** The stand-in character of a byte. */
    static char encode(int b) {
        return TO_CHAR[b & 0xFF];
    }

    /** The stand-in string of a byte sequence. */
    static String encode(byte[] bytes) {
        char[] cs = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            cs[i] = TO_CHAR[bytes[i] & 0xFF];
        }
        return new String(cs);
    }

    /** The byte a character stands for, or -1 if it stands for none. */
    static int decode(int codePoint) {
        return codePoint >= 0 && codePoint < TO_BYTE.length ? TO_BYTE[codePoint] : -1;
    }
}
