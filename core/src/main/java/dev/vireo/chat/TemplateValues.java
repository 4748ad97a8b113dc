/*
 * Turns caller values (tools, extra variables, message fields) into the plain shapes a template works
 * on, the JSON model Python would hand it: LinkedHashMap with string keys (insertion order, as Python
 * dicts), ArrayList, String, Number, Boolean, and PyNone.NONE for null. Copies are fresh and mutable, so a template that
 * mutates them (`{% do list.append(x) %}`) cannot reach the caller's objects. Tested through
 * ChatTemplateTest.
 */
package dev.vireo.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep copies of template inputs into JSON-like values. */
final class TemplateValues {
    private TemplateValues() {}

    static Object copy(Object v) {
        return switch (v) {
            case null -> PyNone.NONE;
            case PyNone n -> n;
            case String s -> s;
            case Boolean b -> b;
            case Number n -> n;
            case Character c -> c.toString();
            case ChatMessage m -> m.toTemplateValue();
            case ToolCall c -> c.toTemplateValue();
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    out.put(String.valueOf(e.getKey()), copy(e.getValue()));
                }
                yield out;
            }
            case Collection<?> c -> {
                List<Object> out = new ArrayList<>(c.size());
                for (Object item : c) {
                    out.add(copy(item));
                }
                yield out;
            }
            case Object[] a -> copy(java.util.Arrays.asList(a));
            default -> throw new IllegalArgumentException("cannot pass a " + v.getClass().getName()
                    + " to a chat template: use String, Number, Boolean, null, List or Map");
        };
    }
}
