/*
 * A group of tools under one namespace, as harmony's "# Tools" sections list them (model-spec.md §4.3):
 * developer function tools live in "functions"; built-in tools (a browser, a python runner) are
 * namespaces of their own in the system message. Tested in HarmonyRendererTest.
 */
package dev.vireo.chat.harmony;

import java.util.List;
import java.util.Objects;

/**
 * A tool namespace.
 *
 * @param name        the namespace ({@code functions}, {@code browser}, ...): the model addresses its tools
 *                    as {@code NAME.tool}
 * @param description text written under the {@code ## NAME} heading: as {@code //} comments when the
 *                    namespace has tools, as plain lines when it has none (a tool that takes free text,
 *                    such as a code runner); may be null
 * @param tools       the functions of the namespace, in the order they are listed
 */
public record ToolNamespace(String name, String description, List<ToolDefinition> tools) {

    public ToolNamespace {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a namespace name must be a non-empty word, got '" + name + "'");
        }
        tools = tools == null ? List.of() : List.copyOf(tools);
    }
}
