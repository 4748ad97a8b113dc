/*
 * jinja2's `{% for x in items if condition %}`: the condition filters the items before the loop runs,
 * so loop.index, loop.length and loop.last count only the kept ones (Mistral Nemo and Qwen3-Coder
 * render tool parameters this way). jinjava has no loop filter: it reads `items if condition` as a
 * conditional expression, which quietly iterates over nothing or over everything. This subclass of
 * jinjava's ForTag (registered under the same name) evaluates the filter, then lets ForTag render the
 * kept items. It also records each running loop's items so that loop.previtem and loop.nextitem can be
 * answered (PyMethodResolver). Tested by ChatTemplateTest and ChatTemplateGoldenTest.
 */
package dev.vireo.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;
import com.hubspot.jinjava.util.ObjectTruthValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The for tag with jinja2's loop filter and the items behind loop.previtem / loop.nextitem. */
final class PyForTag extends ForTag {
    private static final long serialVersionUID = 1L;

    @Override
    public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
        var varsAndExpression = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
        List<String> vars = varsAndExpression.getLeft();
        String expression = varsAndExpression.getRight();
        int filterAt = loopFilterStart(expression);
        String itemsExpression = filterAt < 0 ? expression : expression.substring(0, filterAt);
        Object collection = interpreter.resolveELExpression(itemsExpression, tagNode.getLineNumber());
        List<Object> items = new ArrayList<>();
        ForLoop all = ObjectIterator.getLoop(collection);
        while (all.hasNext()) {
            items.add(all.next());
        }
        if (filterAt >= 0) {
            String condition = expression.substring(filterAt + " if ".length());
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                var scope = interpreter.enterScope();
                try {
                    bind(interpreter, vars, item);
                    if (ObjectTruthValue.evaluate(interpreter.resolveELExpression(condition, tagNode.getLineNumber()))) {
                        kept.add(item);
                    }
                } finally {
                    scope.close();
                }
            }
            items = kept;
        }
        List<List<Object>> running = HfJinja.STATE.isBound() ? HfJinja.STATE.get().loops : null;
        if (running != null) {
            running.addLast(items);
        }
        try {
            return renderForCollection(tagNode, interpreter, vars, items);
        } finally {
            if (running != null) {
                running.removeLast();
            }
        }
    }

    /** Binds the loop variables for the filter the way the loop will: one name, or unpacked pairs. */
    private static void bind(JinjavaInterpreter interpreter, List<String> vars, Object item) {
        Object value = interpreter.wrap(item);
        if (vars.size() == 1) {
            interpreter.getContext().put(vars.getFirst(), value);
            return;
        }
        List<Object> parts = new ArrayList<>();
        if (value instanceof Map.Entry<?, ?> e) {
            parts.add(e.getKey());
            parts.add(e.getValue());
        } else if (value instanceof List<?> l) {
            parts.addAll(l);
        }
        for (int i = 0; i < vars.size(); i++) {
            interpreter.getContext().put(vars.get(i), i < parts.size() ? parts.get(i) : null);
        }
    }

    /**
     * Where " if " starts the loop filter: the first one outside quotes and brackets. jinja2 parses the
     * iterable without conditional expressions, so this "if" can only be the filter.
     */
    static int loopFilterStart(String expression) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && expression.startsWith(" if ", i)) {
                return i;
            }
        }
        return -1;
    }
}
