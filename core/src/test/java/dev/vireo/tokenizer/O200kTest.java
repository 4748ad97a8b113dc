/*
 * Our byte-level BPE with the o200k_base vocabulary and the "gpt-4o" pre-tokenizer against jtokkit, a
 * Java port of tiktoken: identical ids on a varied text set (code, CJK, emoji, digits, whitespace runs,
 * newlines, contractions, mixed scripts) and on seeded random documents, and decoding gives the text
 * back, also one token at a time through the streaming decoder. Also o200k_harmony as a gpt-oss GGUF
 * carries it: model-spec.md's test vectors, stop tokens and special-token round trips.
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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

    @Test
    void harmonyVocabularyFromGgufMetadata() throws Exception {
        // o200k_harmony (model-spec.md §4.1) as a gpt-oss GGUF would carry it: o200k_base's ranks, the
        // harmony specials as control tokens, reserved ids up to 201087, pre-tokenizer "gpt-4o".
        Vocabulary base = O200k.vocabulary();
        List<String> tokens = new ArrayList<>(base.tokens());
        int[] types = new int[201_088];
        for (int id = 0; id < types.length; id++) {
            if (id >= tokens.size()) {
                tokens.add("<|reserved_" + id + "|>");
            } else if (id >= O200k.RANKS) {
                tokens.set(id, "<|reserved_" + id + "|>");
            }
            types[id] = id < O200k.RANKS ? TokenType.NORMAL.ggufCode() : TokenType.CONTROL.ggufCode();
        }
        String[][] specials = {{"199998", "<|startoftext|>"}, {"199999", "<|endoftext|>"}, {"200002", "<|return|>"},
            {"200003", "<|constrain|>"}, {"200005", "<|channel|>"}, {"200006", "<|start|>"}, {"200007", "<|end|>"},
            {"200008", "<|message|>"}, {"200012", "<|call|>"}, {"200018", "<|endofprompt|>"}};
        for (String[] sp : specials) {
            tokens.set(Integer.parseInt(sp[0]), sp[1]);
        }
        Map<String, Object> kv = new HashMap<>();
        kv.put(GgufVocabulary.MODEL, "gpt2");
        kv.put(GgufVocabulary.PRE, "gpt-4o");
        kv.put(GgufVocabulary.TOKENS, tokens);
        kv.put(GgufVocabulary.TOKEN_TYPE, types);
        kv.put(GgufVocabulary.MERGES, base.merges());
        kv.put(GgufVocabulary.BOS_ID, 199998L);
        kv.put(GgufVocabulary.EOS_ID, 200002L);
        kv.put(GgufVocabulary.ADD_BOS, false);
        Tokenizer harmony = Tokenizer.of(GgufVocabulary.fromMetadata(kv, "gpt-oss.gguf"));

        // model-spec.md §4.4 test vectors and stop tokens.
        assertArrayEquals(new int[] {24912, 2375}, harmony.encode("hello world", true, true));
        assertArrayEquals(new int[] {200006}, harmony.encode("<|start|>", true, true));
        assertEquals(Set.of(199999, 200002, 200012), harmony.vocabulary().endOfGeneration());
        assertTrue(harmony.isEndOfGeneration(200002) && harmony.isEndOfGeneration(200012));
        assertFalse(harmony.isEndOfGeneration(200007));
        String message = "<|start|>assistant<|channel|>final<|message|>Hi there!<|return|>";
        int[] ids = harmony.encode(message, false, true);
        assertEquals(200006, ids[0]);
        assertEquals(200002, ids[ids.length - 1]);
        assertEquals(message, harmony.decode(ids, true));
        assertEquals("assistantfinalHi there!", harmony.decode(ids));
        assertArrayEquals(ours.encode(message, false, false), harmony.encode(message, false, false));
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
