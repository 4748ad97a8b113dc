/*
 * Test-only (also used by dev.vireo.reference to give the tiny gpt-oss models their real vocabulary):
 * tiktoken's o200k_base as a Vocabulary, built from the rank file that jtokkit ships
 * (com/knuddels/jtokkit/o200k_base.tiktoken: base64 token bytes and rank per line). Tokens are the
 * ranks' byte strings in GPT-2's stand-in encoding; merges are derived from the ranks as Hugging Face's
 * tiktoken converter does: a token of rank r is reached by merging the two parts that BPE over its own
 * bytes, using only ranks below r, ends with (a token BPE cannot reach that way gets no merge; tiktoken
 * only ever emits it whole, which ignore_merges covers).
 */
package dev.vireo.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class O200k {
    private O200k() {}

    public static final int RANKS = 199_998;
    public static final int END_OF_TEXT = 199_999;
    public static final int END_OF_PROMPT = 200_018;
    public static final int SIZE = 200_019;

    private static Vocabulary cached;

    /** o200k_base (ranks, merges, its two specials), built once per JVM. */
    public static synchronized Vocabulary vocabulary() throws IOException {
        if (cached == null) {
            cached = build();
        }
        return cached;
    }

    private static Vocabulary build() throws IOException {
        String[] tokens = new String[SIZE];
        Map<String, Integer> rank = new HashMap<>(RANKS * 2);
        try (InputStream in = O200k.class.getResourceAsStream("/com/knuddels/jtokkit/o200k_base.tiktoken")) {
            if (in == null) {
                throw new IOException("jtokkit's o200k_base.tiktoken is not on the test class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                int sp = line.indexOf(' ');
                String text = ByteEncoding.encode(Base64.getDecoder().decode(line.substring(0, sp)));
                int id = Integer.parseInt(line.substring(sp + 1));
                tokens[id] = text;
                rank.put(text, id);
            }
        }
        if (rank.size() != RANKS) {
            throw new IOException("expected " + RANKS + " ranks, read " + rank.size());
        }
        List<TokenType> types = new ArrayList<>(Collections.nCopies(SIZE, TokenType.NORMAL));
        for (int id = RANKS; id < SIZE; id++) {
            tokens[id] = "<|reserved_" + id + "|>";
            types.set(id, TokenType.UNUSED);
        }
        tokens[END_OF_TEXT] = "<|endoftext|>";
        tokens[END_OF_PROMPT] = "<|endofprompt|>";
        types.set(END_OF_TEXT, TokenType.CONTROL);
        types.set(END_OF_PROMPT, TokenType.CONTROL);

        List<String> merges = new ArrayList<>(RANKS);
        for (int id = 0; id < RANKS; id++) {
            String t = tokens[id];
            if (t.length() < 2) {
                continue;
            }
            List<String> parts = bpe(t, rank, id);
            if (parts.size() == 2) {
                merges.add(parts.get(0) + " " + parts.get(1));
            }
        }
        return Vocabulary.builder(Vocabulary.MODEL_BYTE_LEVEL_BPE, List.of(tokens))
                .pre("gpt-4o")
                .types(types)
                .merges(merges)
                .eos(END_OF_TEXT)
                .ignoreMerges(true)
                .endOfGeneration(Set.of(END_OF_TEXT))
                .build();
    }

    /** tiktoken's merge loop over one token's bytes, restricted to ranks below {@code maxRank}. */
    private static List<String> bpe(String token, Map<String, Integer> rank, int maxRank) {
        List<String> parts = new ArrayList<>();
        for (char c : token.toCharArray()) {
            parts.add(String.valueOf(c));
        }
        while (true) {
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
                return parts;
            }
            parts.set(best, parts.get(best) + parts.remove(best + 1));
        }
    }
}
