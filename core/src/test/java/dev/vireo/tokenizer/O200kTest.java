/*
 * Our byte-level BPE with the o200k_base vocabulary and the "gpt-4o" pre-tokenizer against jtokkit, a
 * Java port of tiktoken: identical ids on a varied text set (code, CJK, emoji, digits, whitespace runs,
 * newlines, contractions, mixed scripts) and on seeded random documents, and decoding gives the text
 * back, also one token at a time through the streaming decoder.
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class O200kTest {
    private static Tokenizer ours;
    private static Encoding tiktoken;

    static final List<String> TEXTS = List.of(
            "",
            "hello world",
            "Hello, world! How are you doing today?",
            "I'm sure they're here, aren't they? We'LL see. IT'S FINE. She'd've known.",
            "public static void main(String[] args) {\n    System.out.println(\"hi\");\n}\n",
            "def fib(n):\n\tif n < 2:\n\t\treturn n\n\treturn fib(n-1) + fib(n-2)\n\n\n",
            "for (int i = 0; i < 10; i++) { sum += a[i] * b[i]; } // dot product",
            "SELECT id, name FROM users WHERE age >= 21 ORDER BY name DESC;",
            "<div class=\"x\"><a href='https://example.com/path?q=1&r=2'>link</a></div>",
            "1 12 123 1234 12345 123456 1234567 3.14159 -42 1e10 0x7fff 1,000,000",
            "我想在apple工作1314151天～ 今天天气很好。東京タワーへ行きます。",
            "한국어 텍스트입니다. Ελληνικά κείμενα. Русский текст. עברית. العربية.",
            "नमस्ते दुनिया, क्षत्रिय। ภาษาไทย កាន់តែពិសេស Cửa Việt",
            "🦙 llamas 🚀 rockets 😶‍🌫️ face in clouds 👨‍👩‍👧‍👦 family 👍🏽 🇺🇸 ✅❤️",
            "   leading spaces", "trailing spaces   ", "tabs\t\tand\t\t\ttabs", "\n\n\nnewlines\n\n",
            "\r\nwindows\r\nline\r\nendings\r\n", "mixed \t \n \r\n  whitespace \u00A0 \u3000 runs",
            " ".repeat(50) + "x" + "\n".repeat(20) + "y" + "\t".repeat(7),
            "CamelCaseWordsAndHTTPRequest XMLHttpRequest iPhone McDonald's O'Neil",
            "naïve café résumé Äpfel straße ǅemal ﬁne Ⅻ ½ x² µs",
            "a/b/c path/to/file.txt ../up ~/.config //comment /* block */",
            "<|endoftext|> is just text here, as are <|endofprompt|> and <s>",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈𐌰𐌹 e\u0301 a\u0300\u0323 \u200B\u200Bzero width");

    @BeforeAll
    static void load() throws Exception {
        ours = Tokenizer.of(O200k.vocabulary());
        tiktoken = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }

    @Test
    void variedTextsMatchTiktoken() {
        for (String text : TEXTS) {
            check(text);
        }
    }

    @Test
    void randomDocumentsMatchTiktoken() {
        Random rnd = new Random(200_019);
        long chars = 0;
        for (int d = 0; d < 300; d++) {
            String doc = TextSamples.document(rnd, 100 + rnd.nextInt(2000));
            chars += doc.length();
            check(doc);
        }
        System.out.printf("o200k_base: 300 random documents, %d chars identical to jtokkit%n", chars);
    }

    @Test
    void knownIds() {
        // model-spec.md §4.4: harmony's test vector, shared with o200k_base.
        assertArrayEquals(new int[] {24912, 2375}, ours.encode("hello world"));
    }

    @Test
    void specialTokensSplitLikeTiktokensAllowedSpecial() {
        // tiktoken with allowed_special: the special token, and ordinary encoding on either side.
        String text = "Hello<|endoftext|> world<|endofprompt|>";
        IntList expected = new IntList(16);
        expected.addAll(tiktoken.encodeOrdinary("Hello").toArray());
        expected.add(O200k.END_OF_TEXT);
        expected.addAll(tiktoken.encodeOrdinary(" world").toArray());
        expected.add(O200k.END_OF_PROMPT);
        assertArrayEquals(expected.toArray(), ours.encode(text, false, true));
        assertEquals(text, ours.decode(ours.encode(text, false, true), true));
        assertTrue(ours.isEndOfGeneration(O200k.END_OF_TEXT));
    }

    private static void check(String text) {
        int[] expected = tiktoken.encodeOrdinary(text).toArray();
        int[] got = ours.encode(text, false, false);
        assertArrayEquals(expected, got, () -> "o200k ids differ for '" + text + "'");
        assertEquals(text, ours.decode(got), "decode");
        Decoder stream = ours.newDecoder(false);
        StringBuilder sb = new StringBuilder();
        for (int id : got) {
            sb.append(stream.push(id));
        }
        sb.append(stream.flush());
        assertEquals(text, sb.toString(), "streamed decode");
    }
}
