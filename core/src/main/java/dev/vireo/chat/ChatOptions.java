/*
 * What a caller asks of one chat turn beyond the messages: the generation limits and sampling, the
 * reasoning effort, the current date, the function tools, and template variables. One record for every
 * model: each chat format takes what it understands (see the components). Tested in
 * LanguageModelChatTest.
 */
package dev.vireo.chat;

import dev.vireo.chat.harmony.ReasoningEffort;
import dev.vireo.chat.harmony.ToolDefinition;
import dev.vireo.generate.GenerationOptions;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Options of {@code LanguageModel.chat}.
 *
 * @param generation        token limit, sampling and stop strings; with gpt-oss, stop strings apply to
 *                          the answer only
 * @param reasoningEffort   how much the model should think, or null for its default. gpt-oss writes it
 *                          into harmony's system message (medium when null); for a model with a Jinja
 *                          template it becomes the {@code reasoning_effort} template variable, which
 *                          templates that know no such thing ignore
 * @param currentDate       the date the model is told (gpt-oss's system message), or null for none;
 *                          Jinja templates ask for the date themselves
 * @param tools             the functions the model may call; Jinja templates receive them as the
 *                          OpenAI-style {@code tools} variable
 * @param templateVariables further variables for a Jinja template (e.g. {@code enable_thinking}). gpt-oss
 *                          reads {@code reasoning_effort} and {@code tools} from here when the typed
 *                          components are not set, as its own template would
 */
public record ChatOptions(GenerationOptions generation, ReasoningEffort reasoningEffort, LocalDate currentDate,
        List<ToolDefinition> tools, Map<String, Object> templateVariables) {

    public ChatOptions {
        Objects.requireNonNull(generation, "generation");
        tools = tools == null ? List.of() : List.copyOf(tools);
        // Template values may be null (Python's None), which Map.copyOf refuses.
        templateVariables = templateVariables == null || templateVariables.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(templateVariables));
    }

    /** {@code generation} with the model's defaults for everything else. */
    public static ChatOptions of(GenerationOptions generation) {
        return new ChatOptions(generation, null, null, List.of(), Map.of());
    }

    /** This with other generation options. */
    public ChatOptions withGeneration(GenerationOptions g) {
        return new ChatOptions(g, reasoningEffort, currentDate, tools, templateVariables);
    }

    /** This with a reasoning effort (null: the model's default). */
    public ChatOptions withReasoningEffort(ReasoningEffort effort) {
        return new ChatOptions(generation, effort, currentDate, tools, templateVariables);
    }

    /** This with the date gpt-oss is told (null: none). */
    public ChatOptions withCurrentDate(LocalDate date) {
        return new ChatOptions(generation, reasoningEffort, date, tools, templateVariables);
    }

    /** This with the functions the model may call. */
    public ChatOptions withTools(List<ToolDefinition> t) {
        return new ChatOptions(generation, reasoningEffort, currentDate, t, templateVariables);
    }

    /** This with these template variables (replacing the earlier ones). */
    public ChatOptions withTemplateVariables(Map<String, ?> variables) {
        return new ChatOptions(generation, reasoningEffort, currentDate, tools,
                variables == null ? null : new LinkedHashMap<>(variables));
    }
}
