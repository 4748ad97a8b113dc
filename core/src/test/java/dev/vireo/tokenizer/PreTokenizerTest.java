/*
 * Pre-tokenization patterns on examples whose split follows from the pattern: GPT-2, Llama 3, Qwen 2
 * and o200k word shapes, digit grouping, whitespace runs, and the Unicode 15.1 view llama.cpp has.
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

    private static List<String> split(String pre, String text) {
        return PreTokenizers.forName(pre).preTokenizer().split(text);
    }

    @Test
    void gpt2() {
        assertEquals(List.of("Hello", ",", " world", "'s", " 123", "  ", " x"), split("gpt-2", "Hello, world's 123   x"));
    }

    @Test
    void llama3GroupsDigitsInThreesAndKeepsNewlines() {
        assertEquals(List.of("123", "456", "7"), split("llama-bpe", "1234567"));
        assertEquals(List.of("Hello", " World", "!\n\n", "   ", " x"), split("llama-bpe", "Hello World!\n\n    x"));
        assertEquals(List.of("I", "'M", " here"), split("llama-bpe", "I'M here"));
        // One non-letter may lead a letter run, even a tab.
        assertEquals(List.of(" \n", "\ta"), split("llama-bpe", " \n\ta"));
    }

    @Test
    void qwen2SplitsEveryDigit() {
        assertEquals(List.of("1", "2", "3", "abc"), split("qwen2", "123abc"));
    }

    @Test
    void o200kSplitsByCase() {
        // Upper-case letters go with the lower-case run that follows them.
        assertEquals(List.of("Camel", "Case", "HTTPRequest", " don't", " ABC"), split("gpt-4o", "CamelCaseHTTPRequest don't ABC"));
        assertEquals(List.of(" path", "/to", "/file", ".txt", "//\n"), split("gpt-4o", " path/to/file.txt//\n"));
    }

    @Test
    void wordsCoverTheText() {
        String text = "  a\u00A0b\u3000c\r\n\r\n🦙 x²\t";
        for (String pre : PreTokenizers.names()) {
            assertEquals(text, String.join("", split(pre, text)), pre);
        }
    }

    @Test
    void unicode16AdditionsLookUnassignedToLlamaCppPatterns() {
        String glyph = new String(Character.toChars(0x13460)); // an Egyptian hieroglyph (Lo), new in Unicode 16.0
        assertEquals(Character.OTHER_LETTER, Character.getType(0x13460));
        assertTrue(Unicode15.isUnicode16Addition(0x13460));
        assertFalse(Unicode15.isUnicode16Addition(0x1345F));
        // llama.cpp (Unicode 15.1) sees no letter, so it does not join the letter run; tiktoken's patterns
        // follow the JDK's Unicode 16 data.
        assertEquals(List.of("a", glyph), split("llama-bpe", "a" + glyph));
        assertEquals(List.of("a", glyph), split("gpt-2", "a" + glyph));
        assertEquals(List.of("a" + glyph), split("gpt-4o", "a" + glyph));
        String plain = "no additions here: äöü 東京 🦙";
        assertSame(plain, Unicode15.view(plain));
        assertEquals(glyph.length(), Unicode15.view(glyph).length());
    }
}
