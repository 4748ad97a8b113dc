/*
 * The chat format of gpt-oss: OpenAI's harmony (model-spec.md §4), built from dev.vireo.chat.harmony.
 * Prompt: the OpenAI-style messages are read as the gpt-oss chat template reads them
 * (HarmonyConversation.fromChat: the first system/developer message becomes the developer's
 * instructions (a leading run of them is joined first), assistant tool calls go to functions.NAME on commentary, tool results answer them),
 * the function tools become the developer message's TypeScript-like namespace, and the system message
 * carries the reasoning effort (option reasoning_effort: low, medium or high; medium by default) and
 * today's date, as the template writes them. Answer: HarmonyAnswer reads the generated ids (stop
 * tokens included, see parsesEndOfGeneration) into reasoning, content and tool calls. Tested by
 * HarmonyChatFormatTest on fixed token streams and through the server by GptOssServerTest.
 */
package dev.vireo.serve;

import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.harmony.HarmonyConversation;
import dev.vireo.chat.harmony.HarmonyRenderer;
import dev.vireo.chat.harmony.HarmonyTokens;
import dev.vireo.chat.harmony.ReasoningEffort;
import dev.vireo.chat.harmony.SystemOptions;
import dev.vireo.tokenizer.Tokenizer;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Chat with gpt-oss in harmony. Immutable and thread-safe. */
public final class HarmonyChatFormat implements ChatFormat {
    /** The option (Chat Completions {@code reasoning_effort}, Responses {@code reasoning.effort}) read here. */
    public static final String REASONING_EFFORT = "reasoning_effort";
    /** The option that replaces the system message's first line, as the gpt-oss template's model_identity. */
    public static final String MODEL_IDENTITY = "model_identity";

    private final Tokenizer tokenizer;
    private final Clock clock;

    /** @param tokenizer an o200k_harmony tokenizer (gpt-oss's; checked) */
    public HarmonyChatFormat(Tokenizer tokenizer) {
        this(tokenizer, Clock.systemDefaultZone());
    }

    /** A format whose system message dates prompts by {@code clock} (tests fix it). */
    public HarmonyChatFormat(Tokenizer tokenizer, Clock clock) {
        HarmonyTokens.requireHarmony(Objects.requireNonNull(tokenizer, "tokenizer"));
        this.tokenizer = tokenizer;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "harmony";
    }

    /**
     * @param options {@code reasoning_effort} (low, medium, high; medium when absent) and
     *     {@code model_identity}; others are ignored
     * @throws IllegalArgumentException for another effort, or messages harmony cannot express
     */
    @Override
    public int[] prompt(List<ChatMessage> messages, List<Map<String, Object>> tools, Map<String, Object> options) {
        return HarmonyRenderer.standard().renderForCompletion(conversation(messages, tools, options), tokenizer);
    }

    /** The harmony conversation a request stands for (what {@link #prompt} renders). */
    public HarmonyConversation conversation(List<ChatMessage> messages, List<Map<String, Object>> tools,
            Map<String, Object> options) {
        SystemOptions system = SystemOptions.defaults().withReasoningEffort(effort(options.get(REASONING_EFFORT)))
                .withCurrentDate(LocalDate.now(clock));
        Object identity = options.get(MODEL_IDENTITY);
        if (identity != null) {
            if (!(identity instanceof String s)) {
                throw new IllegalArgumentException("model_identity must be a string, got " + identity);
            }
            system = system.withModelIdentity(s);
        }
        return HarmonyConversation.fromChat(leadingSystemJoined(messages), tools, system);
    }

    /**
     * The messages with a leading run of system/developer messages joined into one (blank line
     * between): harmony has one developer message, and the Responses API's instructions come before
     * any developer message of the input. A system message after a user turn is still refused.
     */
    static List<ChatMessage> leadingSystemJoined(List<ChatMessage> messages) {
        int n = 0;
        while (n < messages.size() && isSystem(messages.get(n))) {
            n++;
        }
        if (n < 2) {
            return messages;
        }
        List<String> parts = new ArrayList<>();
        for (ChatMessage m : messages.subList(0, n)) {
            if (m.content() == null) {
                throw new IllegalArgumentException("a " + m.role() + " message needs text content");
            }
            if (!m.content().isEmpty()) {
                parts.add(m.content());
            }
        }
        List<ChatMessage> out = new ArrayList<>();
        out.add(ChatMessage.system(String.join("\n\n", parts)));
        out.addAll(messages.subList(n, messages.size()));
        return out;
    }

    private static boolean isSystem(ChatMessage m) {
        return m.role().equals("system") || m.role().equals("developer");
    }

    /** The effort an option value asks for: medium when absent. */
    static ReasoningEffort effort(Object value) {
        if (value == null) {
            return ReasoningEffort.MEDIUM;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("reasoning_effort must be a string (low, medium or high), got " + value);
        }
        return ReasoningEffort.parse(s);
    }

    @Override
    public Parser parser(List<String> stop, boolean toolsOffered, Sink sink) {
        return new HarmonyAnswer(tokenizer, stop, toolsOffered, sink);
    }

    /** Harmony needs the stop token itself: {@code <|call|>} ends a tool call, {@code <|return|>} an answer. */
    @Override
    public boolean parsesEndOfGeneration() {
        return true;
    }
}
