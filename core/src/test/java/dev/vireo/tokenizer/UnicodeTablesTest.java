/*
 * Checks the assumption behind Unicode15: java.util.regex's classes (Java's Character data), with the
 * Unicode 16.0 additions seen as unassigned, put every code point in the same category as llama.cpp's
 * tables (src/unicode-data.cpp, read here as data), and \s under UNICODE_CHARACTER_CLASS is llama.cpp's
 * whitespace set. A JDK with newer Unicode data fails this test instead of tokenizing differently.
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class UnicodeTablesTest {
    // llama.cpp's category flags (src/unicode.h).
    private static final int UNDEFINED = 0x01, NUMBER = 0x02, LETTER = 0x04, SEPARATOR = 0x08, MARK = 0x10,
            PUNCTUATION = 0x20, SYMBOL = 0x40, CONTROL = 0x80;

    private static Path unicodeData() {
        Path p = LlamaCppFiles.modelsDir().resolveSibling("src").resolve("unicode-data.cpp");
        assertTrue(Files.isRegularFile(p), "missing " + p);
        return p;
    }

    private static final Pattern[] CLASSES = {Pattern.compile("\\p{L}"), Pattern.compile("\\p{N}"),
        Pattern.compile("\\p{M}"), Pattern.compile("\\p{P}"), Pattern.compile("\\p{S}"), Pattern.compile("\\p{Z}"),
        Pattern.compile("\\p{Cn}")};
    private static final int[] FLAGS = {LETTER, NUMBER, MARK, PUNCTUATION, SYMBOL, SEPARATOR, UNDEFINED};

    /** The category flag a regex sees for a code point, through Java's classes and our adjustment. */
    private static int javaFlag(int cp) {
        if (Unicode15.isUnicode16Addition(cp)) {
            return UNDEFINED;
        }
        String s = new String(Character.toChars(cp));
        for (int i = 0; i < CLASSES.length; i++) {
            if (CLASSES[i].matcher(s).matches()) {
                return FLAGS[i];
            }
        }
        return CONTROL;
    }

    @Test
    void categoriesEqualLlamaCppsTables() throws Exception {
        String src = Files.readString(unicodeData());
        int start = src.indexOf("unicode_ranges_flags");
        String table = src.substring(start, src.indexOf("};", start));
        Matcher m = Pattern.compile("\\{0x([0-9A-Fa-f]+), 0x([0-9A-Fa-f]+)\\}").matcher(table);
        List<int[]> ranges = new ArrayList<>();
        while (m.find()) {
            ranges.add(new int[] {Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16) & 0xFF});
        }
        assertTrue(ranges.size() > 1000, "could not read llama.cpp's category table");
        List<String> differences = new ArrayList<>();
        for (int i = 0; i + 1 < ranges.size(); i++) {
            for (int cp = ranges.get(i)[0]; cp < ranges.get(i + 1)[0]; cp++) {
                int theirs = ranges.get(i)[1];
                int ours = javaFlag(cp);
                if (ours != theirs && differences.size() < 20) {
                    differences.add(String.format("U+%04X: llama.cpp %02x, Java %02x", cp, theirs, ours));
                }
            }
        }
        assertEquals(List.of(), differences);
    }

    @Test
    void whitespaceEqualsLlamaCppsSet() throws Exception {
        String src = Files.readString(unicodeData());
        int start = src.indexOf("unicode_set_whitespace");
        String set = src.substring(start, src.indexOf("};", start));
        TreeSet<Integer> theirs = new TreeSet<>();
        Matcher m = Pattern.compile("0x([0-9A-Fa-f]+)").matcher(set);
        while (m.find()) {
            theirs.add(Integer.parseInt(m.group(1), 16));
        }
        Pattern space = Pattern.compile("\\s", Pattern.UNICODE_CHARACTER_CLASS);
        TreeSet<Integer> ours = new TreeSet<>();
        for (int cp = 0; cp < 0x110000; cp++) {
            if (space.matcher(new String(Character.toChars(cp))).matches()) {
                ours.add(cp);
            }
        }
        assertEquals(theirs, ours);
    }
}
