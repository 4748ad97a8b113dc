/*
 * What harmony's system message says (model-spec.md §4.3): the model identity, the knowledge cutoff,
 * the current date, the reasoning effort and the built-in tool namespaces. The defaults are those of
 * harmony's SystemContent: OpenAI's identity line, cutoff 2024-06, no date, medium effort, no tools.
 * Rendered by HarmonyRenderer; tested in HarmonyRendererTest.
 */
package dev.vireo.chat.harmony;

import java.time.LocalDate;
import java.util.List;

/**
 * The contents of the system message.
 *
 * @param modelIdentity   the first line, or null to leave it out
 * @param knowledgeCutoff written as {@code Knowledge cutoff: X}, or null to leave it out
 * @param currentDate     written as {@code Current date: X} (YYYY-MM-DD), or null to leave it out
 * @param reasoningEffort written as {@code Reasoning: X}, or null to leave it out
 * @param builtinTools    built-in tool namespaces (a browser, a code runner) listed under {@code # Tools};
 *                        written in the order of their names, as harmony does
 */
public record SystemOptions(String modelIdentity, String knowledgeCutoff, String currentDate,
                            ReasoningEffort reasoningEffort, List<ToolNamespace> builtinTools) {

    /** The identity gpt-oss was trained with (the format asks to keep it and to customise in the developer message). */
    public static final String DEFAULT_IDENTITY = "You are ChatGPT, a large language model trained by OpenAI.";
    /** gpt-oss's knowledge cutoff. */
    public static final String DEFAULT_KNOWLEDGE_CUTOFF = "2024-06";

    public SystemOptions {
        builtinTools = builtinTools == null ? List.of() : List.copyOf(builtinTools);
    }

    /** Harmony's defaults: identity, cutoff 2024-06, no date, medium effort, no built-in tools. */
    public static SystemOptions defaults() {
        return new SystemOptions(DEFAULT_IDENTITY, DEFAULT_KNOWLEDGE_CUTOFF, null, ReasoningEffort.MEDIUM, List.of());
    }

    /** This with another first line (null leaves it out). */
    public SystemOptions withModelIdentity(String identity) {
        return new SystemOptions(identity, knowledgeCutoff, currentDate, reasoningEffort, builtinTools);
    }

    /** This with {@code Knowledge cutoff: cutoff} (null leaves it out). */
    public SystemOptions withKnowledgeCutoff(String cutoff) {
        return new SystemOptions(modelIdentity, cutoff, currentDate, reasoningEffort, builtinTools);
    }

    /** This with {@code Current date: date} (free text; harmony writes YYYY-MM-DD). */
    public SystemOptions withCurrentDate(String date) {
        return new SystemOptions(modelIdentity, knowledgeCutoff, date, reasoningEffort, builtinTools);
    }

    /** This with {@code Current date:} the ISO date (YYYY-MM-DD). */
    public SystemOptions withCurrentDate(LocalDate date) {
        return withCurrentDate(date.toString());
    }

    /** This with {@code Reasoning: effort} (null leaves the line out). */
    public SystemOptions withReasoningEffort(ReasoningEffort effort) {
        return new SystemOptions(modelIdentity, knowledgeCutoff, currentDate, effort, builtinTools);
    }

    /** This with these built-in tool namespaces under {@code # Tools}. */
    public SystemOptions withBuiltinTools(List<ToolNamespace> namespaces) {
        return new SystemOptions(modelIdentity, knowledgeCutoff, currentDate, reasoningEffort, namespaces);
    }
}
