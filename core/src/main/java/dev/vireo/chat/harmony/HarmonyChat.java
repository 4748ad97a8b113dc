/*
 * The piece a generation loop needs to chat with gpt-oss in harmony: prompt ids for a conversation,
 * the tokens that stop sampling, and a Turn that reads the sampled ids back into reasoning, answer and
 * tool calls as they stream (HarmonyParser underneath), ending with the messages to append to the
 * conversation. Tested in HarmonyChatTest.
 */
package dev.vireo.chat.harmony;

import dev.vireo.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Harmony chat for a generation loop. Immutable and thread-safe; each {@link Turn} is for one stream.
 *
 * <pre>{@code
 * HarmonyChat chat = new HarmonyChat(tokenizer);
 * HarmonyConversation c = HarmonyConversation.of(HarmonyMessage.user("Weather in Oslo?"))
 *         .withSystem(SystemOptions.defaults().withReasoningEffort(ReasoningEffort.HIGH))
 *         .withFunctions(List.of(weatherTool));
 * while (true) {
 *     HarmonyChat.Turn turn = chat.newTurn(new HarmonyChat.Listener() {
 *         public void onReasoning(String t) { showThinking(t); }
 *         public void onAnswer(String t) { System.out.print(t); }
 *     });
 *     // the stop test sees the stop token the session does not pass on
 *     session.generate(chat.promptIds(c), 2048, sampling, turn::acceptIfStop, turn::accept);
 *     TurnResult r = turn.finish();
 *     c = c.plus(r.historyMessages());
 *     if (!r.endedInToolCall()) break;
 *     for (var call : r.toolCalls()) {
 *         c = c.plus(HarmonyMessage.toolResult(call.functionName(), run(call)));
 *     }
 * }
 * }</pre>
 */
public final class HarmonyChat {

    /** Receives a turn as it streams. Every method has an empty default. */
    public interface Listener {
        /**
         * A message begins; its content follows through the other callbacks. Lets a listener separate
         * two messages of the same kind (two analysis messages in one turn, say).
         *
         * @param header the message's role, recipient, channel and content type (empty content)
         */
        default void onMessageStart(HarmonyMessage header) {}

        /** More chain of thought (analysis channel): for the developer, not for end users. */
        default void onReasoning(String text) {}

        /** More of the answer (final channel, or a message without a channel). */
        default void onAnswer(String text) {}

        /** More of a preamble: commentary-channel text for the user that announces tool calls. */
        default void onPreamble(String text) {}

        /** More of the arguments of a call to {@code recipient} (e.g. {@code functions.get_weather}). */
        default void onToolArguments(String recipient, String text) {}

        /**
         * A tool call is complete.
         *
         * @param name      the function name without {@code functions.} (other recipients, such as
         *                  {@code browser.search}, whole)
         * @param arguments the arguments as the model wrote them (JSON text for function tools)
         */
        default void onToolCall(String name, String arguments) {}

        /** Output that does not fit the format, as text. */
        default void onUnparsed(String text) {}
    }

    private final Tokenizer tokenizer;
    private final HarmonyRenderer renderer;

    /** @param tokenizer an o200k_harmony tokenizer (gpt-oss's; checked) */
    public HarmonyChat(Tokenizer tokenizer) {
        this(tokenizer, HarmonyRenderer.standard());
    }

    /** A chat whose prompts come from {@code renderer} (e.g. one that keeps all analysis). */
    public HarmonyChat(Tokenizer tokenizer, HarmonyRenderer renderer) {
        HarmonyTokens.requireHarmony(Objects.requireNonNull(tokenizer, "tokenizer"));
        this.tokenizer = tokenizer;
        this.renderer = Objects.requireNonNull(renderer, "renderer");
    }

    /** The prompt ids for the assistant's next turn (ending {@code <|start|>assistant}). */
    public int[] promptIds(HarmonyConversation c) {
        return renderer.renderForCompletion(c, tokenizer);
    }

    /** The prompt as text, for display and logs. */
    public String promptText(HarmonyConversation c) {
        return renderer.renderForCompletion(c);
    }

    /** The ids that end sampling: {@code <|return|>}, {@code <|call|>}, {@code <|endoftext|>} (not {@code <|end|>}). */
    public static Set<Integer> stopTokens() {
        return HarmonyTokens.samplingStops();
    }

    /** Whether sampling {@code id} ends the turn. */
    public static boolean isStop(int id) {
        return HarmonyTokens.isSamplingStop(id);
    }

    /** A turn reading the ids sampled after {@link #promptIds}. */
    public Turn newTurn(Listener listener) {
        return new Turn(Objects.requireNonNull(listener, "listener"));
    }

    /** One assistant turn being generated. Not thread-safe. */
    public final class Turn {
        private final Listener listener;
        private final HarmonyParser parser;
        private final List<HarmonyEvent.ToolCallComplete> calls = new ArrayList<>();
        private final StringBuilder unparsed = new StringBuilder();
        private Terminator end;
        private TurnResult result;

        private Turn(Listener listener) {
            this.listener = listener;
            this.parser = new HarmonyParser(tokenizer, this::route);
        }

        /**
         * Feeds one sampled id (stop tokens included, if the loop passes them).
         *
         * @return false once a stop token has ended the turn, so it fits a token listener's "go on"
         * @throws IllegalStateException after {@link #finish()}
         */
        public boolean accept(int id) {
            if (result != null) {
                throw new IllegalStateException("the turn is finished");
            }
            parser.push(id);
            return end == null;
        }

        /**
         * For a loop's end-of-generation test: if {@code id} is a stop token, feeds it and returns true;
         * otherwise returns false and feeds nothing (the loop then passes the id to {@link #accept}).
         */
        public boolean acceptIfStop(int id) {
            if (!isStop(id)) {
                return false;
            }
            accept(id);
            return true;
        }

        /** Whether a stop token has ended the turn. */
        public boolean ended() {
            return end != null && end != Terminator.NONE;
        }

        /** Ends the turn (a message cut short is kept as it stands) and returns what it amounted to. Idempotent. */
        public TurnResult finish() {
            if (result == null) {
                parser.finish();
                List<HarmonyMessage> messages = parser.messages();
                result = new TurnResult(messages, join(messages, Kind.REASONING), join(messages, Kind.ANSWER), calls,
                        end, unparsed.toString());
            }
            return result;
        }

        private void route(HarmonyEvent e) {
            switch (e) {
                case HarmonyEvent.ContentDelta d -> {
                    HarmonyMessage h = d.header();
                    if (h.isToolCall()) {
                        listener.onToolArguments(h.recipient(), d.text());
                    } else {
                        switch (kind(h)) {
                            case REASONING -> listener.onReasoning(d.text());
                            case PREAMBLE -> listener.onPreamble(d.text());
                            case ANSWER -> listener.onAnswer(d.text());
                            case OTHER -> {
                                unparsed.append(d.text());   // the model wrote as someone else
                                listener.onUnparsed(d.text());
                            }
                        }
                    }
                }
                case HarmonyEvent.ToolCallComplete c -> {
                    calls.add(c);
                    listener.onToolCall(c.functionName(), c.arguments());
                }
                case HarmonyEvent.Unparsed u -> {
                    unparsed.append(u.text());
                    listener.onUnparsed(u.text());
                }
                case HarmonyEvent.TurnEnd t -> {
                    if (end == null || end == Terminator.NONE) {
                        end = t.terminator();
                    }
                }
                case HarmonyEvent.MessageStart s -> listener.onMessageStart(s.header());
                case HarmonyEvent.MessageEnd m -> { }
            }
        }
    }

    /** What an assistant message without recipient is to the user. */
    private enum Kind { REASONING, PREAMBLE, ANSWER, OTHER }

    /** Analysis is reasoning, commentary a preamble, and final (or a missing or unknown channel) the answer. */
    private static Kind kind(HarmonyMessage h) {
        if (h.role() != Role.ASSISTANT) {
            return Kind.OTHER;
        }
        if (HarmonyMessage.ANALYSIS.equals(h.channel())) {
            return Kind.REASONING;
        }
        return HarmonyMessage.COMMENTARY.equals(h.channel()) ? Kind.PREAMBLE : Kind.ANSWER;
    }

    /** The contents of the messages of one kind (tool calls aside), one per line. */
    private static String join(List<HarmonyMessage> messages, Kind kind) {
        List<String> parts = new ArrayList<>();
        for (HarmonyMessage m : messages) {
            if (!m.isToolCall() && kind(m) == kind) {
                parts.add(m.content());
            }
        }
        return String.join("\n", parts);
    }
}
