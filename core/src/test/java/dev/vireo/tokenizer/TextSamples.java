/*
 * Test-only: seeded random text that exercises tokenizers where they differ: contractions in any case,
 * digit runs, whitespace runs of every kind (tabs, CR/LF, NBSP, ideographic space), punctuation and
 * code, CJK, scripts with combining marks (Devanagari, Vietnamese, Thai, Khmer), emoji with ZWJ and
 * skin tones, special-token look-alikes, and very long runs.
 */
package dev.vireo.tokenizer;

import java.util.List;
import java.util.Random;

final class TextSamples {
    private TextSamples() {}

    private static final List<String> WORDS = List.of("the", "Hello", "WORLD", "tokenizer", "McDonald", "iPhone",
            "don't", "I'm", "WE'LL", "they're", "You'VE", "she'd", "it's", "O'Neil", "'s", "'T", "naïve", "Äpfel",
            "straße", "ǅemal", "ﬁne", "Ⅻ", "½", "x²", "µs", "K", "ſ", "İstanbul");
    private static final List<String> SCRIPTS = List.of("我想在apple工作", "東京タワー", "カタカナ", "ひらがな", "한국어 텍스트",
            "нещо на Български", "Ελληνικά", "العربية", "עברית", "नमस्ते दुनिया", "क्षत्रिय", "Cửa Việt", "ภาษาไทย",
            "កាន់តែពិសេស", "ქართული", "Հայերեն", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𐍈𐌰𐌹", "e\u0301", "a\u0300\u0323");
    private static final List<String> EMOJI = List.of("🦙", "😁", "😶‍🌫️", "👍🏽", "🇺🇸", "✅", "❤️", "👨‍👩‍👧‍👦", "🚀", "⌘");
    private static final List<String> CODE = List.of("int main() {", "}", "return x + y;", "for (i = 0; i < n; i++)",
            "#include <stdio.h>", "def f(x):", "    pass", "=>", "->", "!==", "...", "/* c */", "// comment", "0x1F",
            "a_b_c", "snake_case", "CamelCase", "http://example.com/a/b?c=d", "~/.bashrc", "$HOME", "@user", "\\n",
            "<|eot_id|>", "<|im_end|>", "<s>", "</s>", "<|endoftext|>", "<unk>", "[INST]", "<0x0A>");
    private static final String PUNCTUATION = "!?.,;:'\"()[]{}<>-_=+*/\\|&^%$#@~`";
    private static final List<String> SPACES = List.of(" ", "  ", "   ", "\t", "\n", "\n\n", "\r\n", " \n", "\n ",
            "\t\n", "\u00A0", "\u3000", "\u2009", "\u200B", "\u0085", "\u2028", "\u000B", "\u000C");

    /** One random document of about {@code length} chars. */
    static String document(Random rnd, int length) {
        StringBuilder sb = new StringBuilder(length + 64);
        while (sb.length() < length) {
            int kind = rnd.nextInt(20);
            switch (kind) {
                case 0, 1, 2, 3, 4, 5 -> sb.append(pick(rnd, WORDS));
                case 6, 7 -> sb.append(pick(rnd, SCRIPTS));
                case 8 -> sb.append(pick(rnd, EMOJI));
                case 9, 10 -> sb.append(pick(rnd, CODE));
                case 11 -> digits(rnd, sb);
                case 12 -> sb.append(pick(rnd, SPACES).repeat(1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 40 : 3)));
                case 13 -> sb.append(PUNCTUATION.charAt(rnd.nextInt(PUNCTUATION.length())));
                case 14 -> sb.appendCodePoint(randomCodePoint(rnd));
                default -> sb.append(' ');
            }
        }
        return sb.toString();
    }

    private static void digits(Random rnd, StringBuilder sb) {
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + rnd.nextInt(10)));
        }
        if (rnd.nextInt(4) == 0) {
            sb.append("٣").append("௫"); // non-ASCII digits
        }
    }

    /** A random assigned, non-surrogate code point below U+30000 (not NUL). */
    private static int randomCodePoint(Random rnd) {
        while (true) {
            int cp = 1 + rnd.nextInt(rnd.nextBoolean() ? 0x3000 : 0x30000);
            int type = Character.getType(cp);
            if (type != Character.UNASSIGNED && type != Character.SURROGATE) {
                return cp;
            }
        }
    }

    private static String pick(Random rnd, List<String> pool) {
        return pool.get(rnd.nextInt(pool.size()));
    }
}
