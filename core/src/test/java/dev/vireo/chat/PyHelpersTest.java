/*
 * The Python-compatible helpers on their own: json.dumps spacing and float repr (PyJson), str methods
 * (PyStr), strftime (PyStrftime), str()/repr() (PyRepr), slice indices (PySlice) and jinja2's source
 * rules (JinjaSource). Expected values are what CPython 3.11 prints for the same calls.
 */
package dev.vireo.chat;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PyHelpersTest {

    @Test
    void floatReprLikePython() {
        assertEquals("0.5", PyJson.floatRepr(0.5));
        assertEquals("1e-05", PyJson.floatRepr(1e-5));
        assertEquals("0.0001", PyJson.floatRepr(1e-4));
        assertEquals("1e+16", PyJson.floatRepr(1e16));
        assertEquals("1000000000000000.0", PyJson.floatRepr(1e15));
        assertEquals("1.2345678901234568e+17", PyJson.floatRepr(123456789012345678.0));
        assertEquals("-0.0", PyJson.floatRepr(-0.0));
        assertEquals("0.1", PyJson.floatRepr(0.1));
        assertEquals("3.0", PyJson.floatRepr(3.0));
        assertEquals("Infinity", PyJson.floatRepr(Double.POSITIVE_INFINITY));
    }

    @Test
    void jsonDumpsSeparatorsEscapesAndAscii() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of());
        m.put("a", "tab\t\u0001é😀");
        assertEquals("{\"b\": [], \"a\": \"tab\\t\\u0001é😀\"}", PyJson.dumps(m));
        assertEquals("{\"a\": \"tab\\t\\u0001\\u00e9\\ud83d\\ude00\", \"b\": []}",
                PyJson.dumps(m, true, null, null, null, true));
        assertEquals("{\n  \"b\": [],\n  \"a\": \"tab\\t\\u0001é😀\"\n}", PyJson.dumps(m, false, 2, null, null, false));
        assertEquals("{\"b\":[],\"a\":\"tab\\t\\u0001é😀\"}", PyJson.dumps(m, false, null, ",", ":", false));
        assertEquals("[null, true, 1, 2.5]", PyJson.dumps(Arrays.asList(PyNone.NONE, true, 1L, 2.5)));
    }

    @Test
    void stripAndSplitUsePythonsWhitespace() {
        assertEquals("x", PyStr.strip("\u00a0\u3000 x\u2028\n", null, true, true));
        assertEquals("xa", PyStr.strip("xabcbc", "cb", false, true));
        assertEquals("xy", PyStr.strip("\n\nxy\n", "\n", true, true));
        assertEquals(List.of("a", "b", "c"), PyStr.split("  a \t b\u00a0c  ", null, -1));
        assertEquals(List.of("a", "", "b"), PyStr.split("a,,b", ",", -1));
        assertEquals(List.of("a", "b,c"), PyStr.split("a,b,c", ",", 1));
        assertEquals(List.of("a,b", "c"), PyStr.rsplit("a,b,c", ",", 1));
        assertEquals(List.of("a", "b", "", "c"), PyStr.splitLines("a\r\nb\n\nc"));
        assertEquals("Hello World'S-Best", PyStr.title("hello world's-best"));   // sic: Python's title()
        assertEquals("Abc", PyStr.capitalize("aBC"));
        assertEquals("xbxb", PyStr.replace("abab", "a", "x", -1));
        assertEquals("xbab", PyStr.replace("abab", "a", "x", 1));
        assertEquals(2, PyStr.count("abab", "ab"));
    }

    @Test
    void strftimeInTheCLocale() {
        LocalDateTime t = LocalDateTime.of(2025, 3, 7, 14, 5, 9);
        assertEquals("2025-03-07", PyStrftime.format(t, "%Y-%m-%d"));
        assertEquals("07 Mar 2025", PyStrftime.format(t, "%d %b %Y"));
        assertEquals("Friday, March  7 02:05:09 PM %q 100%", PyStrftime.format(t, "%A, %B %e %I:%M:%S %p %q 100%%"));
        assertEquals("066 5 25", PyStrftime.format(t, "%j %w %y"));
    }

    @Test
    void reprLikePython() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("q", "it's");
        m.put("both", "'\"");
        m.put("ctl", "a\nb\u0007");
        m.put("n", PyNone.NONE);
        m.put("f", 1e-7);
        assertEquals("{'q': \"it's\", 'both': '\\'\"', 'ctl': 'a\\nb\\x07', 'n': None, 'f': 1e-07}", PyRepr.repr(m));
        assertEquals("", PyRepr.str(null));
        assertEquals("False", PyRepr.str(false));
    }

    @Test
    void sliceIndicesLikePython() {
        assertArrayEquals(new int[] {4, 3, 2, 1, 0}, PySlice.indices(5, null, null, -1));
        assertArrayEquals(new int[] {1, 2, 3, 4}, PySlice.indices(5, 1, null, null));
        assertArrayEquals(new int[] {0, 1, 2}, PySlice.indices(5, null, -2, null));
        assertArrayEquals(new int[] {4, 2}, PySlice.indices(5, -1, 0, -2));
        assertArrayEquals(new int[] {}, PySlice.indices(5, 10, null, null));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, PySlice.indices(5, -100, 100, null));
    }

    @Test
    void sourceRulesOfJinja2sLexer() {
        assertEquals("a\n{% if x %}", JinjaSource.prepare("a\r\n  {% if x %}\n"));
        assertEquals("a {% if x %}", JinjaSource.prepare("a {% if x %}"));            // not at line start: kept
        assertEquals("x\n{# c #}", JinjaSource.prepare("x\n\t{# c #}"));
        assertEquals("x\n  {%- if %}", JinjaSource.prepare("x\n  {%- if %}"));         // '-' strips by itself
        assertEquals("x\n  {% if %}", JinjaSource.prepare("x\n  {%+ if %}"));          // '+' keeps indentation
        assertEquals("{{ '\n  {% x' }}", JinjaSource.prepare("{{ '\n  {% x' }}"));     // inside a string
        assertEquals("{% raw %}\n  {% keep %}{% endraw %}", JinjaSource.prepare("{% raw %}\n  {% keep %}{% endraw %}"));
        assertEquals("keeps one\n", JinjaSource.prepare("keeps one\n\n"));
    }
}
