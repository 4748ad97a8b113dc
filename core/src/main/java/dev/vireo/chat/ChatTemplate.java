/*
 * A model's own chat template (GGUF tokenizer.chat_template, or chat_template in tokenizer_config.json),
 * rendered the way Hugging Face transformers' apply_chat_template(tokenize=False) renders it: the
 * template receives messages, tools, documents, add_generation_prompt, the tokenizer's special tokens
 * and the caller's extra variables (enable_thinking, reasoning_effort, date_string, builtin_tools, ...).
 * The engine and its Python compatibility layer are in HfJinja.
 *
 * A model without a template gets CHATML_FALLBACK, as llama.cpp falls back to ChatML.
 *
 * Tested by ChatTemplateTest (behaviour, errors, fallback) and ChatTemplateGoldenTest (byte-exact
 * against Python jinja2 on the real templates of Llama 3.x, Qwen 2.5/3, Mistral, DeepSeek-R1 distills,
 * gpt-oss, Gemma 2, Phi-3.5; goldens from tools/chat-goldens/make-goldens.py).
 */
package dev.vireo.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;

import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled chat template with its fixed variables (special tokens). Immutable and thread-safe.
 *
 * <pre>{@code
 * ChatTemplate t = ChatTemplate.of("Qwen3", gguf.chatTemplate(), Map.of("eos_token", "<|im_end|>"));
 * String prompt = t.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")), true,
 *                          Map.of("enable_thinking", false));
 * }</pre>
 */
public final class ChatTemplate {

    /**
     * The template used when a model has none: ChatML (the format llama.cpp falls back to), each
     * message as {@code <|im_start|>role\ncontent<|im_end|>\n}, a None content written as empty, and
     * {@code <|im_start|>assistant\n} as the generation prompt. No system prompt is added; tools,
     * tool calls and reasoning are not rendered.
     */
    public static final String CHATML_FALLBACK = """
            {%- for message in messages %}
                {{- '<|im_start|>' + message['role'] + '\\n' }}
                {%- if message['content'] is string %}
                    {{- message['content'] }}
                {%- endif %}
                {{- '<|im_end|>\\n' }}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    private final String name;
    private final String source;
    private final String lexed;
    private final Map<String, Object> variables;
    private final Clock clock;

    private ChatTemplate(String name, String source, Map<String, Object> variables, Clock clock) {
        this.name = name;
        this.source = source;
        this.lexed = JinjaSource.prepare(source);
        this.variables = variables;
        this.clock = clock;
    }

    /**
     * Compiles a template.
     *
     * @param name      shown in errors (a model or file name)
     * @param source    the Jinja text
     * @param variables fixed variables, typically the special tokens {@code bos_token}, {@code eos_token}
     * @throws ChatTemplateException when the template does not parse
     */
    public static ChatTemplate of(String name, String source, Map<String, ?> variables) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Map<String, Object> vars = new LinkedHashMap<>();
        if (variables != null) {
            variables.forEach((k, v) -> vars.put(k, TemplateValues.copy(v)));
        }
        checkSyntax(name, JinjaSource.prepare(source));
        return new ChatTemplate(name, source, java.util.Collections.unmodifiableMap(vars), Clock.systemDefaultZone());
    }

    /** Compiles a template with the usual special tokens (either may be null). */
    public static ChatTemplate of(String name, String source, String bosToken, String eosToken) {
        Map<String, Object> vars = new HashMap<>();
        if (bosToken != null) {
            vars.put("bos_token", bosToken);
        }
        if (eosToken != null) {
            vars.put("eos_token", eosToken);
        }
        return of(name, source, vars);
    }

    /** The ChatML fallback ({@link #CHATML_FALLBACK}) for a model that has no template. */
    public static ChatTemplate chatMlFallback() {
        return of("chatml fallback", CHATML_FALLBACK, Map.of());
    }

    /**
     * This template with another clock for {@code strftime_now} (templates that print today's date:
     * Llama 3.2, Mistral Small 3.x, gpt-oss). Fix it for reproducible prompts; the default is the system
     * clock in the default zone, like transformers' naive {@code datetime.now()}.
     */
    public ChatTemplate withClock(Clock newClock) {
        return new ChatTemplate(name, source, variables, Objects.requireNonNull(newClock, "clock"));
    }

    public String name() {
        return name;
    }

    public String source() {
        return source;
    }

    /** Renders without extra variables. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation to the prompt text.
     *
     * @param messages            the conversation
     * @param addGenerationPrompt append the header that starts the assistant's reply
     * @param extra               further template variables, overriding the fixed ones: {@code tools}
     *                            (a list of OpenAI-style tool definitions), {@code enable_thinking},
     *                            {@code reasoning_effort}, {@code date_string}, {@code builtin_tools}, ...
     *                            Values are String, Number, Boolean, null, List and Map.
     * @throws ChatTemplateException when the template raises (raise_exception) or cannot render
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("tools", PyNone.NONE);       // transformers always passes these two, None when absent
        bindings.put("documents", PyNone.NONE);
        bindings.putAll(variables);
        List<Object> conversation = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            conversation.add(m.toTemplateValue());
        }
        bindings.put("messages", conversation);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        if (extra != null) {
            extra.forEach((k, v) -> bindings.put(k, TemplateValues.copy(v)));
        }

        HfJinja.RenderState state = new HfJinja.RenderState(LocalDateTime.now(clock));
        RenderResult result;
        try {
            result = ScopedValue.where(HfJinja.STATE, state).call(() -> HfJinja.ENGINE.renderForResult(lexed, bindings));
        } catch (RuntimeException e) {
            throw failure(state, null, e);
        }
        if (state.raisedMessage != null) {
            throw failure(state, null, null);
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw failure(state, error, error.getException());
            }
        }
        return result.getOutput();
    }

    private ChatTemplateException failure(HfJinja.RenderState state, TemplateError error, Throwable cause) {
        if (state.raisedMessage != null) {
            return new ChatTemplateException(name, state.raisedLine, true, state.raisedMessage, null);
        }
        if (error != null) {
            return new ChatTemplateException(name, error.getLineno(), false, error.getMessage(), cause);
        }
        return new ChatTemplateException(name, -1, false, String.valueOf(cause.getMessage()), cause);
    }

    private static void checkSyntax(String name, String source) {
        JinjavaInterpreter interpreter = HfJinja.ENGINE.newInterpreter();
        interpreter.parse(source);
        for (TemplateError error : interpreter.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException(name, error.getLineno(), false, error.getMessage(), error.getException());
            }
        }
    }

    @Override
    public String toString() {
        return "ChatTemplate[" + name + ", " + source.length() + " chars]";
    }
}
