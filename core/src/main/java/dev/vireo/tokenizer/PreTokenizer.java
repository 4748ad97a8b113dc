/*
 * Pre-tokenization: cutting text into words before BPE, with a list of regular expressions applied one
 * after another as llama.cpp's unicode_regex_split does (and Hugging Face's Split pre-tokenizer with
 * behaviour "Isolated"): each expression cuts every current segment into its matches and the text
 * between them, both kept. Patterns are java.util.regex with UNICODE_CHARACTER_CLASS, so \s is Unicode
 * White_Space (the set llama.cpp's tables mark as whitespace, and what Rust/tiktoken use). Tested in
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

    private PreTokenizer(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /**
     * A pre-tokenizer from split patterns, applied in order.
     *
     * @throws ModelFormatException if a pattern is not a valid regular expression
     */
    public static PreTokenizer of(List<String> regexes) {
        List<Pattern> ps = new ArrayList<>(regexes.size());
        for (String r : regexes) {
            try {
                ps.add(Pattern.compile(r, Pattern.UNICODE_CHARACTER_CLASS));
            } catch (PatternSyntaxException e) {
                throw new ModelFormatException("pre-tokenizer pattern is not a valid regular expression: " + r, e);
            }
        }
        return new PreTokenizer(List.copyOf(ps));
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
        IntList ends = new IntList(16);
        ends.add(text.length());
        for (Pattern p : patterns) {
            int[] segments = ends.toArray();
            ends = new IntList(segments.length * 2);
            Matcher m = p.matcher(text);
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
