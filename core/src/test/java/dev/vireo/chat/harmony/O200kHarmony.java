/*
 * Test-only: an o200k_harmony tokenizer (gpt-oss's vocabulary, model-spec.md §4.1 and §5) built the way
 * a gpt-oss GGUF carries it, from the o200k_base rank file that jtokkit ships: ranks as byte-level BPE
 * tokens (GPT-2's byte-to-character stand-ins), merges derived from the ranks (a token of rank r is the
 * merge of the two parts that BPE over its own bytes, with ranks below r only, ends with), the harmony
 * special tokens as control tokens, reserved ids up to 201087. Built once per JVM (about two seconds).
 * The tokenizer tests check this construction against tiktoken (O200kTest); here it is a fixture.
 */
package dev.vireo.chat.harmony;

import dev.vireo.tokenizer.GgufVocabulary;
import dev.vireo.tokenizer.TokenType;
import dev.vireo.tokenizer.Tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class O200kHarmony {
    private O200kHarmony() {}

    static final int RANKS = 199_998;
    static final int SIZE = 201_088;

    private static Tokenizer cached;

    /** The tokenizer (built on first use). */
    static synchronized Tokenizer tokenizer() {
        if (cached == null) {
            try {
                cached = build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    private static Tokenizer build() throws IOException {
        String[] byteChar = byteChars();
        List<String> tokens = new ArrayList<>(SIZE);
        Map<String, Integer> rank = new HashMap<>(RANKS * 2);
        for (int id = 0; id < SIZE; id++) {
            tokens.add("<|reserved_" + id + "|>");
        }
        try (InputStream in = O200kHarmony.class.getResourceAsStream("/com/knuddels/jtokkit/o200k_base.tiktoken")) {
            if (in == null) {
                throw new IOException("jtokkit's o200k_base.tiktoken is not on the test class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                int sp = line.indexOf(' ');
                StringBuilder text = new StringBuilder();
                for (byte b : Base64.getDecoder().decode(line.substring(0, sp))) {
                    text.append(byteChar[b & 0xFF]);
                }
                int id = Integer.parseInt(line.substring(sp + 1));
                tokens.set(id, text.toString());
                rank.put(text.toString(), id);
            }
        }
        if (rank.size() != RANKS) {
            throw new IOException("expected " + RANKS + " ranks, read " + rank.size());
        }
        String[][] specials = {{"199998", "<|startoftext|>"}, {"199999", "<|endoftext|>"}, {"200002", "<|return|>"},
            {"200003", "<|constrain|>"}, {"200005", "<|channel|>"}, {"200006", "<|start|>"}, {"200007", "<|end|>"},
            {"200008", "<|message|>"}, {"200012", "<|call|>"}, {"200018", "<|endofprompt|>"}};
        for (String[] sp : specials) {
            tokens.set(Integer.parseInt(sp[0]), sp[1]);
        }
        int[] types = new int[SIZE];
        for (int id = 0; id < SIZE; id++) {
            types[id] = (id < RANKS ? TokenType.NORMAL : TokenType.CONTROL).ggufCode();
        }
        List<String> merges = new ArrayList<>(RANKS);
        for (int id = 0; id < RANKS; id++) {
            String t = tokens.get(id);
            if (t.length() >= 2) {
                List<String> parts = bpe(t, rank, id);
                if (parts.size() == 2) {
                    merges.add(parts.get(0) + " " + parts.get(1));
                }
            }
        }
        Map<String, Object> kv = new HashMap<>();
        kv.put(GgufVocabulary.MODEL, "gpt2");
        kv.put(GgufVocabulary.PRE, "gpt-4o");
        kv.put(GgufVocabulary.TOKENS, tokens);
        kv.put(GgufVocabulary.TOKEN_TYPE, types);
        kv.put(GgufVocabulary.MERGES, merges);
        kv.put(GgufVocabulary.BOS_ID, 199_998L);
        kv.put(GgufVocabulary.EOS_ID, 200_002L);
        kv.put(GgufVocabulary.ADD_BOS, false);
        return Tokenizer.of(GgufVocabulary.fromMetadata(kv, "o200k_harmony (test fixture)"));
    }

    /** GPT-2's printable stand-in for each byte: printable Latin-1 bytes stand for themselves, the rest map to 256+. */
    static String[] byteChars() {
        String[] out = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = String.valueOf((char) (printable ? b : next++));
        }
        return out;
    }

    /** BPE over one token's characters using only ranks below {@code maxRank}, lowest rank merged first. */
    private static List<String> bpe(String token, Map<String, Integer> rank, int maxRank) {
        List<String> parts = new ArrayList<>();
        for (char c : token.toCharArray()) {
            parts.add(String.valueOf(c));
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = maxRank;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = rank.get(parts.get(i) + parts.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            parts.set(best, parts.get(best) + parts.remove(best + 1));
        }
        return parts;
    }
}
