/*
 * JsonText: parsing keeps key order and rejects bad JSON; writing in both spacings; floats as Python's
 * repr writes them; strings escaped as JSON requires and no more.
 */
package dev.vireo.chat.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void parsingKeepsOrderAndIsStrict() {
        Object v = JsonText.parse("{\"z\": 1, \"a\": [true, null, 2.5], \"m\": {\"y\": \"é\"}}", "x");
        assertEquals("{\"z\":1,\"a\":[true,null,2.5],\"m\":{\"y\":\"é\"}}", JsonText.compact(v));
        assertEquals("{\"z\": 1, \"a\": [true, null, 2.5], \"m\": {\"y\": \"é\"}}", JsonText.pythonStyle(v));
        assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\": 1, \"a\": 2}", "x"));
        assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"a\": 1} trailing", "x"));
        assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{", "x"));
        assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) ((Map<?, ?>) v).get("a")).add(1));
    }

    @Test
    void copiesAreDeepAndAllowNulls() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> list = new ArrayList<>(Arrays.asList(1, null));
        m.put("l", list);
        m.put("n", null);
        Object copy = JsonText.copy(m);
        list.add(3);
        assertEquals("{\"l\":[1,null],\"n\":null}", JsonText.compact(copy));
        assertThrows(IllegalArgumentException.class, () -> JsonText.copy(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> JsonText.copy(new Object()));
    }

    @Test
    void stringsAreEscapedAsJsonRequires() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\u0001 ü 🚆 /\"", JsonText.compact("a\"b\\c\n\t\u0001 ü 🚆 /"));
    }

    @Test
    void floatsAsPythonWritesThem() {
        assertEquals("0.5", JsonText.floatText(0.5));
        assertEquals("1.0", JsonText.floatText(1.0));
        assertEquals("-2.25", JsonText.floatText(-2.25));
        assertEquals("0.1", JsonText.floatText(0.1));
        assertEquals("0.0001", JsonText.floatText(1e-4));
        assertEquals("1e-05", JsonText.floatText(1e-5));
        assertEquals("1.5e-07", JsonText.floatText(1.5e-7));
        assertEquals("1234567.0", JsonText.floatText(1234567.0));
        assertEquals("1e+16", JsonText.floatText(1e16));
        assertEquals("9999999999999998.0", JsonText.floatText(9999999999999998.0));
        assertEquals("1.7976931348623157e+308", JsonText.floatText(Double.MAX_VALUE));
        assertEquals("-0.0", JsonText.floatText(-0.0));
        assertEquals("NaN", JsonText.floatText(Double.NaN));
        assertEquals("[1, 2.0, 3]", JsonText.pythonStyle(List.of(1, 2.0, 3L)));
    }
}
