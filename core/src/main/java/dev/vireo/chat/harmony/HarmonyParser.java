/*
 * A streaming parser of generated harmony output (model-spec.md §4.2): fed one sampled id at a time,
 * it follows the message grammar <|start|>{header}<|message|>{content}<|end|> with special tokens
 * recognised by id, and reports HarmonyEvents as soon as they are known. The prompt ends with
 * <|start|>assistant, so by default the stream begins inside an assistant header.
 *
 * It is lenient where the model is: several messages in one turn separated by <|end|>, a recipient
 * before or after the channel, a content type with or without <|constrain|>. Output that breaks the
 * grammar (a header that never ends, text outside messages, special tokens inside content, a new
 * <|start|> without <|end|>) is reported as HarmonyEvent.Unparsed text and parsing goes on; nothing
 * the model writes makes it throw. Text is decoded through the tokenizer's streaming Decoder, so a
 * character split across tokens is reported once whole. Tested in HarmonyParserTest.
 */
package dev.vireo.chat.harmony;

import dev.vireo.tokenizer.Decoder;
import dev.vireo.tokenizer.TokenType;
import dev.vireo.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Parses a generated harmony token stream into events. Not thread-safe: one per stream.
 *
 * <pre>{@code
 * HarmonyParser parser = new HarmonyParser(tokenizer, event -> {
 *     if (event instanceof HarmonyEvent.ContentDelta d && "final".equals(d.header().channel())) {
 *         System.out.print(d.text());
 *     }
 * });
 * for (int id : generated) parser.push(id);
 * parser.finish();
 * }</pre>
 */
public final class HarmonyParser {
    /** Headers are a few words; past this the model is not writing a header. */
    static final int MAX_HEADER_CHARS = 256;

    private enum State { EXPECT_START, HEADER, CONTENT }

    private final Tokenizer tokenizer;
    private final Consumer<HarmonyEvent> sink;
    private final List<HarmonyMessage> messages = new ArrayList<>();

    private State state;
    private Role headerRole;
    private final StringBuilder header = new StringBuilder();
    private final Decoder headerText;
    private HarmonyMessage current;
    private final StringBuilder content = new StringBuilder();
    private final Decoder contentText;
    private final Decoder strayText;
    private final StringBuilder stray = new StringBuilder();
    private Terminator turnEnd;   // how the turn ended; null while it goes on

    /**
     * A parser for the assistant's output after a prompt that ends with {@code <|start|>assistant}.
     *
     * @param tokenizer an o200k_harmony tokenizer (checked)
     * @param sink      receives the events, in order
     */
    public HarmonyParser(Tokenizer tokenizer, Consumer<HarmonyEvent> sink) {
        this(tokenizer, Role.ASSISTANT, sink);
    }

    /**
     * A parser for a stream that begins inside a header whose role the prompt wrote, or, with
     * {@code role} null, a stream that begins with {@code <|start|>}.
     */
    public HarmonyParser(Tokenizer tokenizer, Role role, Consumer<HarmonyEvent> sink) {
        HarmonyTokens.requireHarmony(Objects.requireNonNull(tokenizer, "tokenizer"));
        this.tokenizer = tokenizer;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.headerText = tokenizer.newDecoder(false);
        this.contentText = tokenizer.newDecoder(false);
        this.strayText = tokenizer.newDecoder(false);
        if (role == null) {
            state = State.EXPECT_START;
        } else {
            state = State.HEADER;
            headerRole = role;
        }
    }

    /** Parses {@code ids} (as {@link #push} each, then {@link #finish}) and returns the events. */
    public static List<HarmonyEvent> parse(Tokenizer tokenizer, int[] ids) {
        List<HarmonyEvent> events = new ArrayList<>();
        HarmonyParser p = new HarmonyParser(tokenizer, events::add);
        p.push(ids);
        p.finish();
        return events;
    }

    /** The messages completed so far. */
    public List<HarmonyMessage> messages() {
        return List.copyOf(messages);
    }

    /** Whether a stop token ({@code <|return|>}, {@code <|call|>}, {@code <|endoftext|>}) ended the turn. */
    public boolean turnEnded() {
        return turnEnd != null && turnEnd != Terminator.NONE;
    }

    /** Feeds several ids. */
    public void push(int[] ids) {
        for (int id : ids) {
            push(id);
        }
    }

    /**
     * Feeds one generated id.
     *
     * @throws IllegalArgumentException if {@code id} is not in the vocabulary (a caller's bug, not model output)
     */
    public void push(int id) {
        if (id < 0 || id >= tokenizer.vocabularySize()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (size "
                    + tokenizer.vocabularySize() + ")");
        }
        turnEnd = null;   // anything after a turn's end continues the stream
        boolean special = HarmonyTokens.text(id) != null || isOtherSpecial(id);
        switch (state) {
            case EXPECT_START -> outside(id, special);
            case HEADER -> inHeader(id, special);
            case CONTENT -> inContent(id, special);
        }
    }

    /**
     * Ends the stream: a message still open ends with {@link Terminator#NONE}, a header still open is
     * reported as unparsed, and a turn that no stop token ended gets a {@link Terminator#NONE} turn end.
     */
    public void finish() {
        switch (state) {
            case EXPECT_START -> flushStray();
            case HEADER -> abandonHeader("the stream ended inside a message header");
            case CONTENT -> endMessage(Terminator.NONE);
        }
        state = State.EXPECT_START;
        if (turnEnd == null) {
            endTurn(Terminator.NONE);
        }
    }

    private void outside(int id, boolean special) {
        if (!special) {
            stray.append(strayText.push(id));   // reported as one piece when the run of text ends
            return;
        }
        flushStray();
        switch (id) {
            case HarmonyTokens.START -> beginHeader(null);
            case HarmonyTokens.RETURN -> endTurn(Terminator.RETURN);
            case HarmonyTokens.CALL -> endTurn(Terminator.CALL);
            case HarmonyTokens.END_OF_TEXT -> endTurn(Terminator.END_OF_TEXT);
            default -> unparsed(id, "special token outside a message");
        }
    }

    private void inHeader(int id, boolean special) {
        if (!special) {
            header.append(headerText.push(id));
            if (header.length() > MAX_HEADER_CHARS) {
                abandonHeader("a message header longer than " + MAX_HEADER_CHARS + " characters");
                state = State.EXPECT_START;
            }
            return;
        }
        switch (id) {
            case HarmonyTokens.MESSAGE -> {
                header.append(headerText.flush());
                HeaderParser.Parsed parsed = HeaderParser.parse(header.toString(), headerRole);
                if (parsed.leftover() != null) {
                    sink.accept(new HarmonyEvent.Unparsed(parsed.leftover(), "unrecognised words in a message header"));
                }
                current = parsed.header();
                content.setLength(0);
                state = State.CONTENT;
                sink.accept(new HarmonyEvent.MessageStart(current));
            }
            case HarmonyTokens.CHANNEL, HarmonyTokens.CONSTRAIN -> header.append(headerText.flush()).append(HarmonyTokens.text(id));
            case HarmonyTokens.START -> {
                abandonHeader("a message header without <|message|>");
                beginHeader(null);
            }
            case HarmonyTokens.END -> {
                abandonHeader("a message header without <|message|>");
                state = State.EXPECT_START;
            }
            case HarmonyTokens.RETURN, HarmonyTokens.CALL, HarmonyTokens.END_OF_TEXT -> {
                abandonHeader("a message header without <|message|>");
                state = State.EXPECT_START;
                endTurn(terminator(id));
            }
            default -> unparsed(id, "special token in a message header");
        }
    }

    private void inContent(int id, boolean special) {
        if (!special) {
            String text = contentText.push(id);
            if (!text.isEmpty()) {
                content.append(text);
                sink.accept(new HarmonyEvent.ContentDelta(current, text));
            }
            return;
        }
        switch (id) {
            case HarmonyTokens.END -> {
                endMessage(Terminator.END);
                state = State.EXPECT_START;
            }
            case HarmonyTokens.RETURN, HarmonyTokens.CALL, HarmonyTokens.END_OF_TEXT -> {
                endMessage(terminator(id));
                state = State.EXPECT_START;
                endTurn(terminator(id));
            }
            case HarmonyTokens.START -> {
                // The model forgot <|end|>: close the message as it stands and read the new one.
                endMessage(Terminator.NONE);
                beginHeader(null);
            }
            default -> unparsed(id, "special token inside message content");
        }
    }

    private void beginHeader(Role role) {
        state = State.HEADER;
        headerRole = role;
        header.setLength(0);
    }

    /** Reports what a header that never reached {@code <|message|>} held. */
    private void abandonHeader(String reason) {
        header.append(headerText.flush());
        if (!header.isEmpty()) {
            sink.accept(new HarmonyEvent.Unparsed(header.toString(), reason));
        }
        header.setLength(0);
    }

    private void endMessage(Terminator terminator) {
        String tail = contentText.flush();
        if (!tail.isEmpty()) {
            content.append(tail);
            sink.accept(new HarmonyEvent.ContentDelta(current, tail));
        }
        HarmonyMessage done = current.withContent(content.toString());
        messages.add(done);
        current = null;
        content.setLength(0);
        sink.accept(new HarmonyEvent.MessageEnd(done, terminator));
        if (done.isToolCall() && terminator != Terminator.NONE) {
            sink.accept(new HarmonyEvent.ToolCallComplete(done.recipient(), done.content(), done.channel(),
                    done.contentType()));
        }
    }

    private void endTurn(Terminator terminator) {
        turnEnd = terminator;
        sink.accept(new HarmonyEvent.TurnEnd(terminator));
    }

    private void flushStray() {
        stray.append(strayText.flush());
        if (!stray.isEmpty()) {
            sink.accept(new HarmonyEvent.Unparsed(stray.toString(), "text outside a message"));
            stray.setLength(0);
        }
    }

    private void unparsed(int id, String reason) {
        String text = HarmonyTokens.text(id);
        sink.accept(new HarmonyEvent.Unparsed(text != null ? text : tokenizer.tokenText(id), reason));
    }

    /** Control, reserved and unknown entries other than harmony's own (e.g. {@code <|reserved_200013|>}). */
    private boolean isOtherSpecial(int id) {
        TokenType t = tokenizer.tokenType(id);
        return t != TokenType.NORMAL && t != TokenType.BYTE && t != TokenType.USER_DEFINED;
    }

    private static Terminator terminator(int id) {
        return switch (id) {
            case HarmonyTokens.RETURN -> Terminator.RETURN;
            case HarmonyTokens.CALL -> Terminator.CALL;
            case HarmonyTokens.END_OF_TEXT -> Terminator.END_OF_TEXT;
            default -> Terminator.END;
        };
    }
}
