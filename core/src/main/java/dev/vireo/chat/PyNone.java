/*
 * Python's None inside templates. jinjava has one null for both None and "undefined", but jinja2 tells
 * them apart and chat templates depend on it: `tools` is always passed (None when absent), so
 * `tools is defined` holds while `tools is none` also holds; an assistant message that only calls tools
 * has content None, which DeepSeek-R1's template tests with `is none`, and which Python prints as
 * "None". Values from callers (message fields, tools, variables) carry NONE for null, the `none` literal
 * parses to it (PyParser), dict.get answers it for a missing key (PyMethodResolver); jinjava's null keeps
 * meaning "undefined". Like None it is falsy, prints "None" and serialises to JSON null. It iterates as
 * empty, the way jinja2's filters treat it (`tools | selectattr(...)` guards with `if value`, and
 * functionary's template relies on that); Python's plain `for x in None` would raise instead.
 * Tested by ChatTemplateTest.
 */
package dev.vireo.chat;

import com.hubspot.jinjava.objects.serialization.PyishSerializable;
import com.hubspot.jinjava.util.HasObjectTruthValue;

import java.io.IOException;
import java.util.Iterator;

/**
 * The None singleton. A class rather than an enum: the expression language coerces the other side of
 * `==` to an enum's type, which would make `x == 'text'` an error whenever x is None.
 */
final class PyNone implements HasObjectTruthValue, PyishSerializable, Iterable<Object> {
    static final PyNone NONE = new PyNone();

    private PyNone() {}

    @Override
    public boolean getObjectTruthValue() {
        return false;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Appendable & CharSequence> T appendPyishString(T appendable) throws IOException {
        return (T) appendable.append("None");
    }

    @Override
    public Iterator<Object> iterator() {
        return java.util.Collections.emptyIterator();
    }

    @Override
    public String toString() {
        return "None";
    }
}
