/*
 * Python's slice expression `seq[start:stop:step]` as an expression-tree node, for lists and strings:
 * missing bounds, negative indices clamped the way slice.indices() clamps them, and negative steps
 * (Qwen3 walks `messages[::-1]`). jinjava's own range node knows no step. PyParser creates it for every
 * subscript that contains a colon. Tested by PyHelpersTest and ChatTemplateTest.
 */
package dev.vireo.chat;

import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** base[start:stop:step]; each bound may be absent (null). */
final class PySlice extends AstRightValue {
    private final AstNode base;
    private final AstNode start;
    private final AstNode stop;
    private final AstNode step;

    PySlice(AstNode base, AstNode start, AstNode stop, AstNode step) {
        this.base = base;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object seq = base.eval(bindings, context);
        Integer a = bound(start, bindings, context);
        Integer b = bound(stop, bindings, context);
        Integer s = bound(step, bindings, context);
        return switch (seq) {
            case null -> throw new ELException("'NoneType' object is not subscriptable");
            case String text -> {
                int[] cps = text.codePoints().toArray();
                StringBuilder sb = new StringBuilder();
                for (int i : indices(cps.length, a, b, s)) {
                    sb.appendCodePoint(cps[i]);
                }
                yield sb.toString();
            }
            case Collection<?> c -> {
                List<?> items = c instanceof List<?> l ? l : new ArrayList<>(c);
                List<Object> out = new ArrayList<>();
                for (int i : indices(items.size(), a, b, s)) {
                    out.add(items.get(i));
                }
                yield out;
            }
            case Object[] array -> {
                List<Object> out = new ArrayList<>();
                for (int i : indices(array.length, a, b, s)) {
                    out.add(array[i]);
                }
                yield out;
            }
            default -> throw new ELException("'" + PyParser.pyType(seq) + "' object is not subscriptable");
        };
    }

    private static Integer bound(AstNode node, Bindings bindings, ELContext context) {
        if (node == null) {
            return null;
        }
        Object v = node.eval(bindings, context);
        if (v == null) {
            return null;   // x[None:None] is x[:]
        }
        if (!(v instanceof Number n) || v instanceof Double || v instanceof Float) {
            throw new ELException("slice indices must be integers or None");
        }
        return n.intValue();
    }

    /** The positions a slice selects, following Python's slice.indices(length). */
    static int[] indices(int length, Integer start, Integer stop, Integer step) {
        int s = step == null ? 1 : step;
        if (s == 0) {
            throw new ELException("slice step cannot be zero");
        }
        int lower = s > 0 ? 0 : -1;
        int upper = s > 0 ? length : length - 1;
        int from = start == null ? (s > 0 ? lower : upper) : clamp(start, length, lower, upper);
        int to = stop == null ? (s > 0 ? upper : lower) : clamp(stop, length, lower, upper);
        int[] out = new int[length];
        int n = 0;
        for (int i = from; s > 0 ? i < to : i > to; i += s) {
            out[n++] = i;
        }
        return Arrays.copyOf(out, n);
    }

    private static int clamp(int index, int length, int lower, int upper) {
        if (index < 0) {
            return Math.max(index + length, lower);
        }
        return Math.min(index, upper);
    }

    @Override
    public void appendStructure(StringBuilder b, Bindings bindings) {
        base.appendStructure(b, bindings);
        b.append('[');
        appendBound(b, start, bindings);
        b.append(':');
        appendBound(b, stop, bindings);
        if (step != null) {
            b.append(':');
            step.appendStructure(b, bindings);
        }
        b.append(']');
    }

    private static void appendBound(StringBuilder b, AstNode node, Bindings bindings) {
        if (node != null) {
            node.appendStructure(b, bindings);
        }
    }

    @Override
    public String toString() {
        return "[:]";
    }

    @Override
    public int getCardinality() {
        return 1 + (start != null ? 1 : 0) + (stop != null ? 1 : 0) + (step != null ? 1 : 0);
    }

    @Override
    public AstNode getChild(int i) {
        List<AstNode> children = new ArrayList<>(List.of(base));
        for (AstNode n : new AstNode[] {start, stop, step}) {
            if (n != null) {
                children.add(n);
            }
        }
        return i < children.size() ? children.get(i) : null;
    }
}
