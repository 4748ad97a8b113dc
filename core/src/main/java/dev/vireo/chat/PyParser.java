/*
 * Jinja expression grammar where jinjava's (a JUEL parser with extensions) departs from jinja2 in ways
 * that chat templates hit. Plugged in through JUEL's own extension points (a TreeBuilder that creates
 * this parser, an ExpressionFactoryImpl that creates that builder) and Jinjava.getExpressionFactory();
 * jinjava itself is not modified.
 *
 *   - `not` binds looser than comparisons and tests (jinja2's parse_not sits between `and` and the
 *     comparisons). jinjava parses `not x is defined` as `(not x) is defined`, which is always true, so
 *     Llama 3.x's `{% if not tools is defined %}{% set tools = none %}` dropped the caller's tools.
 *   - `a and b` yields a or b (the first falsy operand, else the last), like Python, not a boolean.
 *   - `+` between a string and a non-string is an error, as in Python ("can only concatenate str"),
 *     instead of gluing "null" into the prompt.
 *   - Subscripts take Python slices with a step (`messages[::-1]`, Qwen3), evaluated by PySlice.
 *   - Calling a method on None or an undefined value is an error ("'NoneType' object has no attribute
 *     'split'"), as in Python, where jinjava quietly yields nothing.
 *   - `none` / `None` is Python's None (PyNone.NONE), not an undefined name.
 *   - `x in y` follows Python: substring for strings, key for dicts, element (with 1 == 1.0) for lists,
 *     an error for None, False for an undefined y.
 *   - A keyword argument's value is a whole expression: jinjava's `=` operator binds tighter than `-`,
 *     so Qwen3's `namespace(last_query_index=messages|length - 1)` subtracted 1 from the parameter.
 *
 * Tested by ChatTemplateTest and ChatTemplateGoldenTest.
 */
package dev.vireo.chat;

import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.el.ext.AdditionOperator;
import com.hubspot.jinjava.el.ext.CollectionMembershipOperator;
import com.hubspot.jinjava.el.ext.CollectionNonMembershipOperator;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import com.hubspot.jinjava.el.ext.NamedParameterOperator;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.util.ObjectTruthValue;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.TreeBuilder;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Builder.Feature;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstIdentifier;
import jinjava.de.odysseus.el.tree.impl.ast.AstMethod;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstParameters;
import jinjava.de.odysseus.el.tree.impl.ast.AstProperty;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.PropertyNotFoundException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** jinjava's expression parser with jinja2's `not` precedence and Python's `and` and `+`. */
final class PyParser extends ExtendedParser {

    PyParser(Builder context, String input) {
        super(context, input);
        ExtensionPoint cmp = CollectionMembershipOperator.HANDLER.getExtensionPoint();
        putExtensionHandler(CollectionMembershipOperator.TOKEN, new ExtensionHandler(cmp) {
            @Override
            public AstNode createAstNode(AstNode... children) {
                return new AstBinary(children[0], children[1], PY_IN);
            }
        });
        putExtensionHandler(CollectionNonMembershipOperator.TOKEN, new ExtensionHandler(cmp) {
            @Override
            public AstNode createAstNode(AstNode... children) {
                return new AstUnary(new AstBinary(children[0], children[1], PY_IN), AstUnary.NOT);
            }
        });
    }

    /** `none` and `None` are the None literal; any other name is jinjava's. */
    @Override
    protected AstNode nonliteral() throws Scanner.ScanException, ParseException {
        Scanner.Token token = getToken();
        if (token.getSymbol() == Scanner.Symbol.IDENTIFIER
                && ("none".equals(token.getImage()) || "None".equals(token.getImage()))
                && lookahead(0).getSymbol() != Scanner.Symbol.LPAREN) {
            consumeToken();
            return new NoneLiteral();
        }
        return super.nonliteral();
    }

    private static final class NoneLiteral extends AstRightValue {
        @Override
        public Object eval(Bindings bindings, ELContext context) {
            return PyNone.NONE;
        }

        @Override
        public void appendStructure(StringBuilder b, Bindings bindings) {
            b.append("None");
        }

        @Override
        public String toString() {
            return "None";
        }

        @Override
        public int getCardinality() {
            return 0;
        }

        @Override
        public AstNode getChild(int i) {
            return null;
        }
    }

    /** Python's `item in container`. */
    static final AstBinary.Operator PY_IN = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object item = left.eval(bindings, context);
            return contains(right.eval(bindings, context), item);
        }

        @Override
        public String toString() {
            return "in";
        }
    };

    static boolean contains(Object container, Object item) {
        return switch (container) {
            case null -> false;   // an undefined value iterates as empty
            case String s -> s.contains(text(item));
            case SafeString s -> s.toString().contains(text(item));
            case Map<?, ?> m -> m.containsKey(item instanceof SafeString safe ? safe.toString() : item);
            case Collection<?> c -> c.stream().anyMatch(e -> pyEquals(e, item));
            case Object[] a -> java.util.Arrays.stream(a).anyMatch(e -> pyEquals(e, item));
            default -> throw new IllegalArgumentException("argument of type '" + pyType(container) + "' is not iterable");
        };
    }

    private static String text(Object item) {
        if (item instanceof String || item instanceof SafeString) {
            return item.toString();
        }
        throw new IllegalArgumentException("'in <string>' requires string as left operand, not " + pyType(item));
    }

    /** Python's ==: numbers compare by value across int and float, strings by text. */
    static boolean pyEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if ((a instanceof String || a instanceof SafeString) && (b instanceof String || b instanceof SafeString)) {
            return a.toString().equals(b.toString());
        }
        return java.util.Objects.equals(a, b);
    }

    /** and := not ('and' not)*  — JUEL's level, with `not` in place of the equality level. */
    @Override
    protected AstNode and(boolean required) throws Scanner.ScanException, ParseException {
        AstNode v = not(required);
        if (v == null) {
            return null;
        }
        while (true) {
            Scanner.Token token = getToken();
            if (token.getSymbol() == Scanner.Symbol.AND) {
                consumeToken();
                v = createAstBinary(v, not(true), PY_AND);
            } else if (token.getSymbol() == Scanner.Symbol.EXTENSION
                    && getExtensionHandler(token).getExtensionPoint() == ExtensionPoint.AND) {
                v = getExtensionHandler(consumeToken()).createAstNode(v, not(true));
            } else {
                return v;
            }
        }
    }

    /** not := 'not' not | comparison. */
    private AstNode not(boolean required) throws Scanner.ScanException, ParseException {
        if (getToken().getSymbol() == Scanner.Symbol.NOT) {
            consumeToken();
            return createAstUnary(not(true), AstUnary.NOT);
        }
        return eq(required);
    }

    /**
     * A primary followed by attribute, call and subscript suffixes, as in jinjava, except that a
     * subscript with a colon becomes a Python slice. Filters and tests after it are parsed one level up
     * (jinjava's natural operator precedence, which HfJinja switches on).
     */
    @Override
    protected AstNode value() throws Scanner.ScanException, ParseException {
        boolean lvalue = true;
        AstNode v = nonliteral();
        if (v == null) {
            v = literal();
            if (v == null) {
                return null;
            }
            lvalue = false;
        }
        while (true) {
            switch (getToken().getSymbol()) {
                case DOT -> {
                    consumeToken();
                    String name = consumeToken(Scanner.Symbol.IDENTIFIER).getImage();
                    v = maybeCall(createAstDot(v, name, lvalue));
                }
                case LBRACK -> {
                    consumeToken();
                    v = subscript(v, lvalue);
                }
                default -> {
                    return v;
                }
            }
        }
    }

    /** After '[': an index `x[i]` or a slice `x[a:b:c]` with any part missing. */
    private AstNode subscript(AstNode base, boolean lvalue) throws Scanner.ScanException, ParseException {
        AstNode first = getToken().getSymbol() == Scanner.Symbol.COLON ? null : expr(true);
        if (getToken().getSymbol() == Scanner.Symbol.RBRACK) {
            consumeToken();
            return maybeCall(createAstBracket(base, first, lvalue, !context.isEnabled(Feature.NULL_PROPERTIES)));
        }
        consumeToken(Scanner.Symbol.COLON);
        AstNode stop = sliceBound();
        AstNode step = null;
        if (getToken().getSymbol() == Scanner.Symbol.COLON) {
            consumeToken();
            step = sliceBound();
        }
        consumeToken(Scanner.Symbol.RBRACK);
        return new PySlice(base, first, stop, step);
    }

    private AstNode sliceBound() throws Scanner.ScanException, ParseException {
        Scanner.Symbol next = getToken().getSymbol();
        return next == Scanner.Symbol.COLON || next == Scanner.Symbol.RBRACK ? null : expr(true);
    }

    private AstNode maybeCall(AstProperty property) throws Scanner.ScanException, ParseException {
        if (getToken().getSymbol() == Scanner.Symbol.LPAREN && context.isEnabled(Feature.METHOD_INVOCATIONS)) {
            return createAstMethod(property, params());
        }
        return property;
    }

    @Override
    protected AstMethod createAstMethod(AstProperty property, AstParameters params) {
        return new StrictMethod(property, params);
    }

    /** A method call that fails on a None base instead of answering null (JUEL's lenient mode). */
    private static final class StrictMethod extends AstMethod {
        StrictMethod(AstProperty property, AstParameters params) {
            super(property, params);
        }

        @Override
        public Object eval(Bindings bindings, ELContext context) {
            try {
                return eval(bindings, context, false);
            } catch (PropertyNotFoundException e) {
                // Only the unreachable base gets here: unknown properties are resolved to null by
                // jinjava's resolver without throwing.
                throw new IllegalStateException("'NoneType' object has no attribute (method call on None or an "
                        + "undefined value): " + e.getMessage(), e);
            }
        }
    }

    /** Call arguments and tuples: jinjava's, with `name=expression` recognised before the expression. */
    @Override
    protected AstParameters params(Scanner.Symbol left, Scanner.Symbol right) throws Scanner.ScanException, ParseException {
        consumeToken(left);
        List<AstNode> list = new ArrayList<>();
        AstNode v = param(false);
        if (v != null) {
            list.add(v);
            while (getToken().getSymbol() == Scanner.Symbol.COMMA) {
                consumeToken();
                list.add(param(true));
            }
        }
        consumeToken(right);
        return createAstParameters(list);
    }

    private AstNode param(boolean required) throws Scanner.ScanException, ParseException {
        if (getToken().getSymbol() == Scanner.Symbol.IDENTIFIER) {
            Scanner.Token next = lookahead(0);
            if (next.getSymbol() == Scanner.Symbol.EXTENSION && "=".equals(next.getImage())) {
                AstIdentifier name = identifier(consumeToken().getImage());
                consumeToken();   // '='
                return NamedParameterOperator.HANDLER.createAstNode(name, expr(true));
            }
        }
        return expr(required);
    }

    @Override
    protected AstBinary createAstBinary(AstNode left, AstNode right, AstBinary.Operator operator) {
        return super.createAstBinary(left, right, operator == AdditionOperator.OP ? PY_ADD : operator);
    }

    /** Python's `and`: the left operand when it is falsy (the right one is then not evaluated), else the right. */
    static final AstBinary.Operator PY_AND = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return ObjectTruthValue.evaluate(a) ? right.eval(bindings, context) : a;
        }

        @Override
        public String toString() {
            return "and";
        }
    };

    /** jinjava's `+` (numbers, strings, lists) after Python's type check for strings. */
    static final AdditionOperator PY_ADD = new AdditionOperator() {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            boolean aText = a instanceof String || a instanceof SafeString;
            boolean bText = b instanceof String || b instanceof SafeString;
            if (aText && !bText) {
                throw new IllegalArgumentException("can only concatenate str (not \"" + pyType(b) + "\") to str");
            }
            if (bText && !aText) {
                throw new IllegalArgumentException("unsupported operand type(s) for +: '" + pyType(a) + "' and 'str'");
            }
            return super.apply(converter, a, b);
        }
    };

    static String pyType(Object v) {
        return switch (v) {
            case null -> "NoneType";
            case PyNone n -> "NoneType";
            case String s -> "str";
            case SafeString s -> "str";
            case Boolean b -> "bool";
            case Integer i -> "int";
            case Long l -> "int";
            case Number n -> "float";
            case Map<?, ?> m -> "dict";
            case Collection<?> c -> "list";
            default -> v.getClass().getSimpleName();
        };
    }

    /** Creates PyParser where jinjava's builder creates ExtendedParser. */
    static final class TreeBuilderImpl extends ExtendedSyntaxBuilder {
        private static final long serialVersionUID = 1L;

        TreeBuilderImpl(Feature... features) {
            super(features);
        }

        @Override
        protected Parser createParser(String expression) {
            return new PyParser(this, expression);
        }
    }

    /** jinjava's expression factory (same profile, cache and type converter) with PyParser inside. */
    static final class Factory extends ExpressionFactoryImpl {
        Factory() {
            super(new Properties(), new TruthyTypeConverter());
        }

        @Override
        protected TreeBuilder createTreeBuilder(Properties properties, Builder.Feature... features) {
            return new TreeBuilderImpl(features);
        }
    }
}
