/*
 * jinjava evaluates `x.method(args)` through an EL resolver chain that calls Java methods by name, so
 * Python's str methods (startswith, lstrip, split, title, ...) are missing on strings. This resolver sits
 * first in the chain (jinjava's documented JinjavaConfig.withElResolver hook) and answers calls of those
 * names on a string base with PyStr, and dict.get on maps (None for a missing key); every other call falls through to jinjava's own resolvers. Tested by
 * ChatTemplateTest and ChatTemplateGoldenTest.
 */
package dev.vireo.chat;

import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.util.ForLoop;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

import java.beans.FeatureDescriptor;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Python str methods for string values in templates; resolves nothing else. */
final class PyMethodResolver extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
        if (base instanceof Map<?, ?> map && "get".equals(method) && params != null
                && (params.length == 1 || params.length == 2)) {
            // dict.get: None (or the default) for a missing key, where jinjava would answer null.
            context.setPropertyResolved(true);
            Object key = params[0] instanceof SafeString safe ? safe.toString() : params[0];
            return map.containsKey(key) ? map.get(key) : (params.length == 2 ? params[1] : PyNone.NONE);
        }
        String s = switch (base) {
            case String str -> str;
            case SafeString safe -> safe.toString();
            case null, default -> null;
        };
        if (s == null || !(method instanceof String name)) {
            return null;
        }
        Object[] args = params == null ? new Object[0] : params;
        Object result = call(s, name, args);
        if (result == NOT_A_STRING_METHOD) {
            return null;
        }
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_A_STRING_METHOD = new Object();

    private static Object call(String s, String name, Object[] a) {
        return switch (name) {
            case "strip" -> PyStr.strip(s, str(a, 0), true, true);
            case "lstrip" -> PyStr.strip(s, str(a, 0), true, false);
            case "rstrip" -> PyStr.strip(s, str(a, 0), false, true);
            case "startswith" -> PyStr.startsWith(s, required(a, 0, name), false);
            case "endswith" -> PyStr.startsWith(s, required(a, 0, name), true);
            case "split" -> PyStr.split(s, str(a, 0), integer(a, 1, -1));
            case "rsplit" -> PyStr.rsplit(s, str(a, 0), integer(a, 1, -1));
            case "splitlines" -> PyStr.splitLines(s);
            case "upper" -> s.toUpperCase(Locale.ROOT);
            case "lower" -> s.toLowerCase(Locale.ROOT);
            case "title" -> PyStr.title(s);
            case "capitalize" -> PyStr.capitalize(s);
            case "replace" -> PyStr.replace(s, String.valueOf(required(a, 0, name)),
                    String.valueOf(required(a, 1, name)), integer(a, 2, -1));
            case "find" -> codePointIndex(s, s.indexOf(String.valueOf(required(a, 0, name))));
            case "rfind" -> codePointIndex(s, s.lastIndexOf(String.valueOf(required(a, 0, name))));
            case "format" -> PyStr.format(s, a);
            case "count" -> PyStr.count(s, String.valueOf(required(a, 0, name)));
            case "join" -> PyStr.join(s, (Collection<?>) required(a, 0, name));
            case "isdigit" -> PyStr.allMatch(s, Character::isDigit);
            case "isalpha" -> PyStr.allMatch(s, Character::isLetter);
            case "isalnum" -> PyStr.allMatch(s, Character::isLetterOrDigit);
            case "isspace" -> PyStr.allMatch(s, PyStr::isSpace);
            case "isupper" -> s.codePoints().anyMatch(Character::isUpperCase)
                    && s.codePoints().noneMatch(Character::isLowerCase);
            case "islower" -> s.codePoints().anyMatch(Character::isLowerCase)
                    && s.codePoints().noneMatch(Character::isUpperCase);
            default -> NOT_A_STRING_METHOD;
        };
    }

    /** Python indexes strings by code point, Java by UTF-16 unit. */
    private static int codePointIndex(String s, int charIndex) {
        return charIndex < 0 ? -1 : s.codePointCount(0, charIndex);
    }

    private static Object required(Object[] a, int i, String method) {
        if (a.length <= i) {
            throw new IllegalArgumentException("str." + method + "() takes at least " + (i + 1) + " argument(s)");
        }
        return a[i];
    }

    private static String str(Object[] a, int i) {
        return a.length > i && a[i] != null ? a[i].toString() : null;
    }

    private static int integer(Object[] a, int i, int absent) {
        return a.length > i && a[i] instanceof Number n ? n.intValue() : absent;
    }

    // Property access is left to jinjava's resolvers.

    /** loop.previtem / loop.nextitem: the neighbours in the innermost running loop of that length. */
    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        if (base instanceof ForLoop loop && ("previtem".equals(property) || "nextitem".equals(property))
                && HfJinja.STATE.isBound()) {
            List<List<Object>> running = HfJinja.STATE.get().loops;
            for (int i = running.size() - 1; i >= 0; i--) {
                List<Object> items = running.get(i);
                if (items.size() == loop.getLength()) {
                    int at = loop.getIndex0() + ("previtem".equals(property) ? -1 : 1);
                    context.setPropertyResolved(true);
                    return at >= 0 && at < items.size() ? items.get(at) : null;   // undefined at the ends
                }
            }
        }
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
