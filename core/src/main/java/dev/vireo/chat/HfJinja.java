/*
 * The jinjava engine set up the way Hugging Face transformers sets up jinja2 for chat templates
 * (utils/chat_template_utils.py: a sandboxed Environment with trim_blocks, lstrip_blocks and the
 * loopcontrols extension, plus raise_exception, strftime_now and a json.dumps-based tojson).
 *
 * jinjava gives Python's blocks and whitespace control; what chat templates need beyond it is filled in
 * through its extension points (JinjaSource re-does three jinja2 lexer rules on the source text, see
 * there why):
 *   - functions raise_exception(msg) and strftime_now(fmt) (static methods below);
 *   - filters tojson (PyJson), items, trim (Python's whitespace set), string (Python's str());
 *   - tests iterable / sequence, which in Python are true for strings too (Llama 3.1 runs a string tool
 *     result through tojson because `content is iterable`), and none, true only for None (PyNone);
 *   - the loop filter `{% for x in xs if cond %}`, loop.previtem and loop.nextitem (PyForTag);
 *   - the {% generation %} block of transformers' AssistantTracker, rendered as its body;
 *   - printing through Python's str() (True, None, {'a': 1}) by an interpreter subclass;
 *   - Python str methods on strings (PyMethodResolver, first in the EL resolver chain);
 *   - jinja2's precedence of `not`, Python's `and` and `+` (PyParser, through getExpressionFactory).
 * Nested interpretation stays off: text coming from messages is never rendered as a template.
 * Tested by ChatTemplateTest and ChatTemplateGoldenTest.
 */
package dev.vireo.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.SafeString;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ExpressionFactory;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Map;

/** Builds the shared, configured jinjava engine and holds the per-render state its helpers use. */
final class HfJinja {
    private HfJinja() {}

    /** State of the render running on this thread: the time strftime_now sees, the raised message. */
    static final class RenderState {
        final LocalDateTime now;
        /** The items of the for loops now running, innermost last (for loop.previtem / nextitem). */
        final java.util.List<java.util.List<Object>> loops = new ArrayList<>();
        String raisedMessage;
        int raisedLine = -1;

        RenderState(LocalDateTime now) {
            this.now = now;
        }
    }

    static final ScopedValue<RenderState> STATE = ScopedValue.newInstance();

    /** Thrown by raise_exception; ChatTemplate turns it into a ChatTemplateException with the message. */
    static final class RaisedException extends RuntimeException {
        RaisedException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * jinjava's switches towards Python jinja2: all of LegacyOverrides.ALL except
     * whitespaceRequiredWithinTokens (left at its default, off), since jinja2 accepts {@code {{'a' + b}}}
     * without inner spaces.
     */
    private static final LegacyOverrides PYTHON_SEMANTICS = LegacyOverrides.newBuilder()
            .withEvaluateMapKeys(true)
            .withIterateOverMapKeys(true)
            .withUsePyishObjectMapper(true)
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withAllowAdjacentTextNodes(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .withKeepNullableLoopValues(true)
            .withHandleBackslashInQuotesOnly(true)
            .build();

    /** One engine serves every template: its configuration and libraries are read-only once built. */
    static final Jinjava ENGINE = build();

    private static Jinjava build() {
        CompositeELResolver resolvers = new CompositeELResolver();
        resolvers.add(new PyMethodResolver());
        resolvers.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(false)                 // applied to the source by JinjaSource, as jinja2 does
                .withKeepTrailingNewline(true)           // the same: jinja2 drops the source's newline
                .withLegacyOverrides(PYTHON_SEMANTICS)
                .withNestedInterpretationEnabled(false)
                .withEnableRecursiveMacroCalls(true)     // gpt-oss's render_typescript_type calls itself
                .withMaxMacroRecursionDepth(64)
                .withElResolver(resolvers)
                .withInterperterFactory(new PyInterpreterFactory())
                .build();
        Jinjava jinjava = new Jinjava(config) {
            private final PyParser.Factory expressions = new PyParser.Factory();

            @Override
            public ExpressionFactory getExpressionFactory() {
                return expressions;
            }
        };
        var globals = jinjava.getGlobalContext();
        globals.registerFunction(new ELFunctionDefinition("", "raise_exception", HfJinja.class,
                "raiseException", Object.class));
        globals.registerFunction(new ELFunctionDefinition("", "strftime_now", HfJinja.class,
                "strftimeNow", String.class));
        // In Python these are variables holding functions, so `strftime_now is defined` is true (Llama 3.2
        // only calls it then); jinjava resolves calls through its function table, not through variables.
        globals.put("raise_exception", new PyFunctionName("raise_exception"));
        globals.put("strftime_now", new PyFunctionName("strftime_now"));
        globals.registerFilter(new ToJsonFilter());
        globals.registerFilter(new ItemsFilter());
        globals.registerFilter(new TrimFilter());
        globals.registerFilter(new StringFilter());
        globals.registerTag(new GenerationTag());
        globals.registerTag(new PyForTag());
        globals.registerExpTest(new PyNoneTest());
        globals.registerExpTest(new PyIterableTest("iterable"));
        globals.registerExpTest(new PyIterableTest("sequence"));
        return jinjava;
    }

    /** Stands for a helper function where templates test or print it as a variable. */
    private record PyFunctionName(String name) {
        @Override
        public String toString() {
            return "<function " + name + ">";
        }
    }

    private static void raiseException(Object message) {
        String text = String.valueOf(message);
        RenderState state = STATE.isBound() ? STATE.get() : null;
        if (state != null && state.raisedMessage == null) {
            state.raisedMessage = text;
            JinjavaInterpreter current = JinjavaInterpreter.getCurrent();
            state.raisedLine = current == null ? -1 : current.getLineNumber();
        }
        throw new RaisedException(text);
    }

    private static String strftimeNow(String format) {
        LocalDateTime now = STATE.isBound() ? STATE.get().now : LocalDateTime.now();
        return PyStrftime.format(now, format);
    }

    /** transformers' tojson: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False). */
    private static final class ToJsonFilter implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object ensureAscii = arg(args, kwargs, 0, "ensure_ascii");
            Object indent = arg(args, kwargs, 1, "indent");
            Object separators = arg(args, kwargs, 2, "separators");
            Object sortKeys = arg(args, kwargs, 3, "sort_keys");
            String itemSep = null;
            String keySep = null;
            if (separators instanceof java.util.List<?> pair && pair.size() == 2) {
                itemSep = String.valueOf(pair.get(0));
                keySep = String.valueOf(pair.get(1));
            }
            return PyJson.dumps(var, Boolean.TRUE.equals(ensureAscii), indent, itemSep, keySep,
                    Boolean.TRUE.equals(sortKeys));
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PyJson.dumps(var);
        }

        private static Object arg(Object[] args, Map<String, Object> kwargs, int position, String name) {
            if (kwargs.containsKey(name)) {
                return kwargs.get(name);
            }
            return args.length > position ? args[position] : null;
        }
    }

    /** jinja2's items filter: the (key, value) pairs of a mapping; nothing for an undefined value. */
    private static final class ItemsFilter implements Filter {
        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                return new ArrayList<>();
            }
            if (!(var instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("Can only get item pairs from a mapping.");
            }
            return new ArrayList<>(map.entrySet());
        }
    }

    /** jinja2's trim: str(value).strip(chars), with Python's notion of whitespace. */
    private static final class TrimFilter implements Filter {
        @Override
        public String getName() {
            return "trim";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            String chars = args.length > 0 ? args[0] : null;
            return PyStr.strip(var == null ? "" : var.toString(), chars, true, true);
        }
    }

    /** jinja2's `is none`: only None; an undefined value is not None. */
    private static final class PyNoneTest implements ExpTest {
        @Override
        public String getName() {
            return "none";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var == PyNone.NONE;
        }
    }

    /** jinja2's string filter: str(value). */
    private static final class StringFilter implements Filter {
        @Override
        public String getName() {
            return "string";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return PyRepr.str(var);
        }
    }

    /**
     * transformers' {% generation %}...{% endgeneration %}: it marks the assistant's tokens for training
     * masks and renders its body unchanged, in a scope of its own (jinja2 renders it as a call block).
     */
    private static final class GenerationTag implements Tag {
        private static final long serialVersionUID = 1L;

        @Override
        public String getName() {
            return "generation";
        }

        @Override
        public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
            StringBuilder out = new StringBuilder();
            var scope = interpreter.enterScope();
            try {
                for (Node child : tagNode.getChildren()) {
                    out.append(child.render(interpreter).getValue());
                }
            } finally {
                scope.close();
            }
            return out.toString();
        }
    }

    /** Interpreters that print values with Python's str(). */
    private static final class PyInterpreterFactory implements InterpreterFactory {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter orig) {
            return new PyInterpreter(orig);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig config) {
            return new PyInterpreter(application, context, config);
        }
    }

    private static final class PyInterpreter extends JinjavaInterpreter {
        PyInterpreter(JinjavaInterpreter orig) {
            super(orig);
        }

        PyInterpreter(Jinjava application, Context context, JinjavaConfig config) {
            super(application, context, config);
        }

        @Override
        public String getAsString(Object object) {
            return switch (object) {
                case Boolean b -> PyRepr.str(b);
                case PyNone n -> PyRepr.str(n);
                case Double d -> PyRepr.str(d);
                case Float f -> PyRepr.str(f);
                case Map<?, ?> m -> PyRepr.str(m);
                case java.util.Collection<?> c -> PyRepr.str(c);
                case null, default -> super.getAsString(object);
            };
        }
    }

    /** Python's `is iterable` / `is sequence`: strings count (jinjava's tests say no). */
    private record PyIterableTest(String name) implements ExpTest {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            if (var == PyNone.NONE) {
                return false;
            }
            return var instanceof String || var instanceof SafeString || var instanceof Iterable<?>
                    || (var != null && var.getClass().isArray())
                    || (var instanceof Map<?, ?> && name.equals("iterable"));
        }
    }
}
