/*
 * Renders a HarmonyConversation as gpt-oss reads it (model-spec.md §4, following the rules of OpenAI's
 * harmony format documentation and its reference renderer): the system message (identity, knowledge
 * cutoff, date, reasoning effort, built-in tools, valid channels), the developer message (instructions
 * and the function tools as a TypeScript-like namespace), then every message as
 * <|start|>{header}<|message|>{content}<|end|> (<|call|> after a tool call), and for generation the
 * opening <|start|>assistant. Analysis that a later final answer made obsolete is dropped, as the
 * format prescribes (auto_drop_analysis).
 *
 * The same walk produces text or token ids: ids encode each text piece on its own with special tokens
 * treated as text, so a user who types "<|end|>" cannot end a message, and the special tokens go in
 * by id. Tested byte for byte in HarmonyRendererTest, against the gpt-oss chat template in
 * HarmonyTemplateAgreementTest.
 */
package dev.vireo.chat.harmony;

import dev.vireo.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns harmony conversations into prompt text or token ids. Immutable and thread-safe.
 *
 * <pre>{@code
 * HarmonyConversation c = HarmonyConversation.of(HarmonyMessage.user("What is 2 + 2?"))
 *         .withSystem(SystemOptions.defaults().withReasoningEffort(ReasoningEffort.LOW));
 * int[] prompt = HarmonyRenderer.standard().renderForCompletion(c, tokenizer);
 * }</pre>
 */
public final class HarmonyRenderer {
    private static final HarmonyRenderer STANDARD = new HarmonyRenderer(true);

    /** The channel list of the system message; every harmony model expects these three, channel required. */
    static final String VALID_CHANNELS = "# Valid channels: analysis, commentary, final. Channel must be included for every message.";
    static final String FUNCTIONS_TO_COMMENTARY = "Calls to these tools must go to the commentary channel: 'functions'.";

    private final boolean autoDropAnalysis;

    private HarmonyRenderer(boolean autoDropAnalysis) {
        this.autoDropAnalysis = autoDropAnalysis;
    }

    /** The renderer for inference: drops analysis that a later final answer follows. */
    public static HarmonyRenderer standard() {
        return STANDARD;
    }

    /** A renderer that keeps every analysis message (for training data, or to inspect a whole transcript). */
    public static HarmonyRenderer keepingAnalysis() {
        return new HarmonyRenderer(false);
    }

    /** The conversation as text, without the generation prompt. */
    public String render(HarmonyConversation c) {
        TextSink out = new TextSink();
        conversation(c, out);
        return out.text.toString();
    }

    /** The prompt text for the assistant's next turn: the conversation and {@code <|start|>assistant}. */
    public String renderForCompletion(HarmonyConversation c) {
        TextSink out = new TextSink();
        conversation(c, out);
        generationPrompt(out);
        return out.text.toString();
    }

    /** The conversation as token ids (see {@link #renderForCompletion(HarmonyConversation, Tokenizer)}). */
    public int[] render(HarmonyConversation c, Tokenizer tokenizer) {
        IdSink out = new IdSink(tokenizer);
        conversation(c, out);
        return out.ids();
    }

    /**
     * The prompt ids for the assistant's next turn. Text is encoded piece by piece with special tokens
     * treated as text, so content can never inject a control token; this is not always the same as
     * encoding {@link #renderForCompletion(HarmonyConversation)} with special tokens parsed.
     *
     * @param tokenizer an o200k_harmony tokenizer (checked)
     */
    public int[] renderForCompletion(HarmonyConversation c, Tokenizer tokenizer) {
        IdSink out = new IdSink(tokenizer);
        conversation(c, out);
        generationPrompt(out);
        return out.ids();
    }

    /** One message as text, e.g. {@code <|start|>user<|message|>Hi<|end|>}. */
    public String renderMessage(HarmonyMessage m) {
        TextSink out = new TextSink();
        message(m, out);
        return out.text.toString();
    }

    /**
     * The messages a prompt shows: without the analysis-channel messages that an assistant message on
     * the final channel follows (when this renderer drops analysis), the others in order.
     */
    public List<HarmonyMessage> shownMessages(List<HarmonyMessage> messages) {
        if (!autoDropAnalysis) {
            return List.copyOf(messages);
        }
        int lastFinal = -1;
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).isAssistant(HarmonyMessage.FINAL)) {
                lastFinal = i;
            }
        }
        List<HarmonyMessage> shown = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            HarmonyMessage m = messages.get(i);
            if (!(i < lastFinal && HarmonyMessage.ANALYSIS.equals(m.channel()))) {
                shown.add(m);
            }
        }
        return shown;
    }

    private void conversation(HarmonyConversation c, Sink out) {
        if (c.system() != null) {
            out.special(HarmonyTokens.START);
            out.text(Role.SYSTEM.text());
            out.special(HarmonyTokens.MESSAGE);
            out.text(systemContent(c.system(), !c.functions().isEmpty()));
            out.special(HarmonyTokens.END);
        }
        if (c.instructions() != null || !c.functions().isEmpty()) {
            List<String> sections = new ArrayList<>();
            if (c.instructions() != null) {
                sections.add("# Instructions");
                sections.add(c.instructions());
            }
            if (!c.functions().isEmpty()) {
                sections.add(toolsSection(List.of(new ToolNamespace(HarmonyMessage.FUNCTIONS, null, c.functions()))));
            }
            out.special(HarmonyTokens.START);
            out.text(Role.DEVELOPER.text());
            out.special(HarmonyTokens.MESSAGE);
            out.text(String.join("\n\n", sections));
            out.special(HarmonyTokens.END);
        }
        for (HarmonyMessage m : shownMessages(c.messages())) {
            message(m, out);
        }
    }

    private static void generationPrompt(Sink out) {
        out.special(HarmonyTokens.START);
        out.text(Role.ASSISTANT.text());
    }

    /** Sections separated by a blank line: identity and dates; effort; built-in tools; channels. */
    static String systemContent(SystemOptions s, boolean hasFunctions) {
        List<String> sections = new ArrayList<>();
        List<String> top = new ArrayList<>();
        if (s.modelIdentity() != null) {
            top.add(s.modelIdentity());
        }
        if (s.knowledgeCutoff() != null) {
            top.add("Knowledge cutoff: " + s.knowledgeCutoff());
        }
        if (s.currentDate() != null) {
            top.add("Current date: " + s.currentDate());
        }
        if (!top.isEmpty()) {
            sections.add(String.join("\n", top));
        }
        if (s.reasoningEffort() != null) {
            sections.add("Reasoning: " + s.reasoningEffort().text());
        }
        if (!s.builtinTools().isEmpty()) {
            List<ToolNamespace> sorted = new ArrayList<>(s.builtinTools());
            sorted.sort(Comparator.comparing(ToolNamespace::name));
            sections.add(toolsSection(sorted));
        }
        sections.add(hasFunctions ? VALID_CHANNELS + "\n" + FUNCTIONS_TO_COMMENTARY : VALID_CHANNELS);
        return String.join("\n\n", sections);
    }

    /** {@code # Tools}, then one {@code ## namespace} block per namespace, blank lines between. */
    static String toolsSection(List<ToolNamespace> namespaces) {
        List<String> blocks = new ArrayList<>();
        blocks.add("# Tools");
        for (ToolNamespace ns : namespaces) {
            List<String> lines = new ArrayList<>();
            lines.add("## " + ns.name() + "\n");
            boolean hasTools = !ns.tools().isEmpty();
            if (ns.description() != null) {
                ns.description().lines().forEach(line -> lines.add(hasTools ? "// " + line : line));
            }
            if (hasTools) {
                lines.add("namespace " + ns.name() + " {\n");
                for (ToolDefinition tool : ns.tools()) {
                    tool.description().lines().forEach(line -> lines.add("// " + line));
                    if (TypeScriptSchema.hasNoParameters(tool.parameters())) {
                        lines.add("type " + tool.name() + " = () => any;\n");
                    } else {
                        lines.add("type " + tool.name() + " = (_: " + TypeScriptSchema.parameters(tool.parameters())
                                + ") => any;\n");
                    }
                }
                lines.add("} // namespace " + ns.name());
            }
            blocks.add(String.join("\n", lines));
        }
        return String.join("\n\n", blocks);
    }

    /** Header order: author, {@code to=recipient}, {@code <|channel|>channel}, then a space and the content type. */
    private static void message(HarmonyMessage m, Sink out) {
        out.special(HarmonyTokens.START);
        if (m.role() == Role.TOOL) {
            out.text(m.name());
        } else {
            out.text(m.name() == null ? m.role().text() : m.role().text() + ":" + m.name());
        }
        if (m.recipient() != null && !m.recipient().equals("all")) {
            out.text(" to=" + m.recipient());
        }
        if (m.channel() != null) {
            out.special(HarmonyTokens.CHANNEL);
            out.text(m.channel());
        }
        if (m.contentType() != null) {
            String constrain = HarmonyTokens.text(HarmonyTokens.CONSTRAIN);
            if (m.contentType().startsWith(constrain)) {
                out.text(" ");
                out.special(HarmonyTokens.CONSTRAIN);
                out.text(m.contentType().substring(constrain.length()));
            } else {
                out.text(" " + m.contentType());
            }
        }
        out.special(HarmonyTokens.MESSAGE);
        out.text(m.content());
        out.special(m.isToolCall() ? HarmonyTokens.CALL : HarmonyTokens.END);
    }

    /** Where rendering goes: text, or ids. */
    private interface Sink {
        void special(int id);

        void text(String s);
    }

    private static final class TextSink implements Sink {
        final StringBuilder text = new StringBuilder();

        @Override
        public void special(int id) {
            text.append(HarmonyTokens.text(id));
        }

        @Override
        public void text(String s) {
            text.append(s);
        }
    }

    private static final class IdSink implements Sink {
        private final Tokenizer tokenizer;
        private int[] ids = new int[1024];
        private int size;

        IdSink(Tokenizer tokenizer) {
            HarmonyTokens.requireHarmony(Objects.requireNonNull(tokenizer, "tokenizer"));
            this.tokenizer = tokenizer;
        }

        @Override
        public void special(int id) {
            add(id);
        }

        @Override
        public void text(String s) {
            if (!s.isEmpty()) {
                for (int id : tokenizer.encode(s, false, false)) {
                    add(id);
                }
            }
        }

        private void add(int id) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }

        int[] ids() {
            return Arrays.copyOf(ids, size);
        }
    }
}
