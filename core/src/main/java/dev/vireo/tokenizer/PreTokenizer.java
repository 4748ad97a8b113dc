/*
 * Pre-tokenization: cutting text into words before BPE, with a list of regular expressions applied one
 * after another as llama.cpp's unicode_regex_split does (and Hugging Face's Split pre-tokenizer with
 * behaviour "Isolated"): each expression cuts every current segment into its matches and the text
 * between them, both kept. Patterns are java.util.regex with UNICODE_CHARACTER_CLASS, so \s is Unicode
 * White_Space (the set llama.cpp's tables mark as whitespace, and what Rust/tiktoken use); optionally
 * with Unicode 15.1 character classes, as llama.cpp has them (Unicode15). Tested in
 * PreTokenizerTest and through the reference tokenizations.
 */
package dev.vireo.tokenizer;

import dev.vireo.io.ModelFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Cuts text into the words that BPE merges within. Immutable. */
public final class PreTokenizer {
    private final List<Pattern> patterns;
    private final boolean unicode15;

    private PreTokenizer(List<Pattern> patterns, boolean unicode15) {
        this.patterns = patterns;
        this.unicode15 = unicode15;
    }

    /**
     * A pre-tokenizer from split patterns, applied in order.
     *
     * @param unicode15 classify characters as Unicode 15.1 does (llama.cpp's tables) rather than by the
     *     JDK's newer Unicode data: code points added in Unicode 16.0 count as unassigned
     * @throws ModelFormatException if a pattern is not a valid regular expression
     */
    public static PreTokenizer of(List<String> regexes, boolean unicode15) {
        List<Pattern> ps = new ArrayList<>(regexes.size());
        for (String r : regexes) {
            try {
                ps.add(Pattern.compile(r, Pattern.UNICODE_CHARACTER_CLASS));
            } catch (PatternSyntaxException e) {
                throw new ModelFormatException("pre-tokenizer pattern is not a valid regular expression: " + r, e);
            }
        }
        return new PreTokenizer(List.copyOf(ps), unicode15);
    }

    /** The words of {@code text}, in order; their concatenation is {@code text}. */
    public List<String> split(String text) {
        int[] ends = wordEnds(text);
        List<String> words = new ArrayList<>(ends.length);
        int start = 0;
        for (int end : ends) {
            words.add(text.substring(start, end));
            start = end;
        }
        return words;
    }

    /** The end offset (in chars) of each word of {@code text}, ascending; the last is {@code text.length()}. */
    int[] wordEnds(String text) {
        if (text.isEmpty()) {
            return new int[0];
        }
        // Matching runs on the adjusted view; offsets are the same in both, the words come from the original.
        String seen = unicode15 ? Unicode15.view(text) : text;
        IntList ends = new IntList(16);
        ends.add(text.length());
        for (Pattern p : patterns) {
            int[] segments = ends.toArray();
            ends = new IntList(segments.length * 2);
            Matcher m = p.matcher(seen);
            int start = 0;
            for (int end : segments) {
                // The region keeps look-arounds and $ inside the segment, as matching a substring would.
                m.region(start, end);
                int last = start;
                while (m.find()) {
                    if (m.end() == m.start()) {
                        continue; // an empty match cuts nothing (find() itself steps past it)
                    }
                    if (m.start() > last) {
                        ends.add(m.start());
                    }
                    ends.add(m.end());
                    last = m.end();
                }
                if (last < end) {
                    ends.add(end);
                }
                start = end;
            }
        }
        return ends.toArray();
    }
}
