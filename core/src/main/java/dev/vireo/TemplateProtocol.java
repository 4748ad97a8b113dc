/*
 * Chat through a model's own Jinja template (Llama 3.x, Qwen 2.5/3, Mistral, DeepSeek distills): the
 * prompt is the template rendered with the messages, the tools (as OpenAI-style definitions) and the
 * template variables; the answer is the decoded text after the caller's stop strings, with a leading
 * <think> block read as reasoning (ThinkTagSplitter). Tool calls are not parsed here: their text, in
 * the family's own convention, is content. Tested in LanguageModelChatTest.
 */
package dev.vireo;

import dev.vireo.chat.ChatListener;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatOptions;
import dev.vireo.chat.ChatReply;
import dev.vireo.chat.ChatTemplate;
import dev.vireo.chat.harmony.ToolDefinition;
import dev.vireo.generate.GenerationResult;
import dev.vireo.generate.StopStringFilter;
import dev.vireo.tokenizer.Decoder;
import dev.vireo.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The chat format of a model with a Jinja chat template. */
final class TemplateProtocol implements ChatProtocol {
    private final ChatTemplate template;
    private final Tokenizer tokenizer;
    private final Function<String, int[]> tokenizeRendered;

    /** @param tokenizeRendered ids of a rendered prompt (LanguageModel.tokenizeRendered: BOS added once) */
    TemplateProtocol(ChatTemplate template, Tokenizer tokenizer, Function<String, int[]> tokenizeRendered) {
        this.template = template;
        this.tokenizer = tokenizer;
        this.tokenizeRendered = tokenizeRendered;
    }

    @Override
    public Turn start(List<ChatMessage> messages, ChatOptions options, ChatListener listener) {
        String prompt = template.render(messages, true, variables(options));
        return new TemplateTurn(tokenizeRendered.apply(prompt), ThinkTagSplitter.endsInsideThink(prompt), options,
                listener);
    }

    /** The template variables: the caller's, plus tools and reasoning effort where the caller set none. */
    static Map<String, Object> variables(ChatOptions options) {
        Map<String, Object> v = new LinkedHashMap<>(options.templateVariables());
        if (!options.tools().isEmpty()) {
            v.putIfAbsent("tools", openAiTools(options.tools()));
        }
        if (options.reasoningEffort() != null) {
            v.putIfAbsent("reasoning_effort", options.reasoningEffort().text());
        }
        return v;
    }

    /** Tools in the shape templates iterate over: {"type": "function", "function": {name, description, parameters}}. */
    private static List<Object> openAiTools(List<ToolDefinition> tools) {
        List<Object> out = new ArrayList<>(tools.size());
        for (ToolDefinition t : tools) {
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", t.name());
            function.put("description", t.description());
            if (t.parameters() != null) {
                function.put("parameters", t.parameters());
            }
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "function");
            tool.put("function", function);
            out.add(tool);
        }
        return out;
    }

    /** Ids → text → stop strings → reasoning | content. */
    private final class TemplateTurn implements Turn {
        private final int[] prompt;
        private final Decoder decoder = tokenizer.newDecoder(false);
        private final StringBuilder reasoning = new StringBuilder();
        private final StringBuilder content = new StringBuilder();
        private final ThinkTagSplitter splitter;
        private final StopStringFilter filter;

        TemplateTurn(int[] prompt, boolean startsThinking, ChatOptions options, ChatListener listener) {
            this.prompt = prompt;
            this.splitter = new ThinkTagSplitter(startsThinking, text -> {
                reasoning.append(text);
                listener.reasoning(text);
            }, text -> {
                content.append(text);
                listener.content(text);
            });
            this.filter = new StopStringFilter(options.generation().stop(), splitter::push);
        }

        @Override
        public int[] prompt() {
            return prompt;
        }

        @Override
        public boolean endsTurn(int id) {
            return tokenizer.isEndOfGeneration(id);
        }

        @Override
        public boolean accept(int id) {
            return filter.push(decoder.push(id));
        }

        @Override
        public ChatReply finish(GenerationResult result) {
            if (!filter.stopped()) {
                filter.push(decoder.flush());
                filter.flush();
            }
            splitter.finish();
            return new ChatReply(content.toString(), reasoning.toString(), List.of(), result.tokens(),
                    result.stopReason(), result.timings());
        }
    }
}
