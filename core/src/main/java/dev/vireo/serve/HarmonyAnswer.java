/*
 * Reads one generated gpt-oss answer (harmony, model-spec.md §4.2) for the server, on top of the
 * streaming HarmonyParser: the analysis channel is reasoning (reasoning_content, as vLLM and
 * llama-server report it); the final channel, a message without a channel, and commentary without a
 * recipient (a preamble, which the format says the user sees) are content; a message to
 * functions.NAME that ends with <|call|> is a tool call whose content is its JSON arguments. The turn
 * ends on <|return|>, <|call|> or <|endoftext|> (push returns false), so the parser is fed the stop
 * tokens. Stop strings apply to the content only: reasoning never stops an answer. Several messages
 * of one kind are joined with a newline, in the stream as in the result, so the deltas always add up
 * to the final message. Calls to other recipients (built-in tools nobody offered) and output that
 * does not fit the format are dropped. Tested by HarmonyChatFormatTest.
 */
package dev.vireo.serve;

import dev.vireo.chat.ToolCall;
import dev.vireo.chat.harmony.HarmonyEvent;
import dev.vireo.chat.harmony.HarmonyMessage;
import dev.vireo.chat.harmony.HarmonyParser;
import dev.vireo.chat.harmony.Role;
import dev.vireo.chat.harmony.Terminator;
import dev.vireo.generate.StopStringFilter;
import dev.vireo.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/** A harmony answer parser. Not thread-safe: one per generation. */
final class HarmonyAnswer implements ChatFormat.Parser {
    private static final String FUNCTIONS_PREFIX = HarmonyMessage.FUNCTIONS + ".";

    private enum Kind { REASONING, CONTENT, CALL, IGNORED }

    private final Tokenizer tokenizer;
    private final HarmonyParser harmony;
    private final StopStringFilter filter;
    private final boolean toolsOffered;
    private final ChatFormat.Sink sink;
    private final StringBuilder reasoning = new StringBuilder();
    private final StringBuilder content = new StringBuilder();
    private final List<ToolCall> calls = new ArrayList<>();
    private boolean contentStarted;   // content text was passed to the filter (some may be held back there)
    private boolean freshMessage;     // no text of the current message seen yet
    private boolean ended;            // a stop token ended the turn
    private boolean finished;

    HarmonyAnswer(Tokenizer tokenizer, List<String> stop, boolean toolsOffered, ChatFormat.Sink sink) {
        this.tokenizer = tokenizer;
        this.toolsOffered = toolsOffered;
        this.sink = sink;
        this.filter = new StopStringFilter(stop, this::emitContent);
        this.harmony = new HarmonyParser(tokenizer, this::on);
    }

    @Override
    public boolean push(int token) {
        if (ended || filter.stopped()) {
            return false;
        }
        harmony.push(token);
        if (tokenizer.isEndOfGeneration(token)) {
            ended = true;   // an end the format does not know (none in o200k_harmony) still ends
        }
        return !ended && !filter.stopped();
    }

    @Override
    public ParsedMessage finish() {
        if (!finished) {
            finished = true;
            harmony.finish();
            filter.flush();
        }
        return new ParsedMessage(content.toString(), reasoning.toString(), calls);
    }

    private void on(HarmonyEvent e) {
        switch (e) {
            case HarmonyEvent.MessageStart s -> freshMessage = true;
            case HarmonyEvent.ContentDelta d -> text(kind(d.header()), d.text());
            case HarmonyEvent.ToolCallComplete c -> call(c);
            case HarmonyEvent.TurnEnd t -> ended |= t.terminator() != Terminator.NONE;
            case HarmonyEvent.MessageEnd m -> { }
            case HarmonyEvent.Unparsed u -> { }
        }
    }

    private void text(Kind kind, String text) {
        boolean first = freshMessage;
        freshMessage = false;
        switch (kind) {
            case REASONING -> {
                if (first && !reasoning.isEmpty()) {
                    emitReasoning("\n");
                }
                emitReasoning(text);
            }
            case CONTENT -> {
                if (filter.stopped()) {
                    return;
                }
                if (first && contentStarted) {
                    filter.push("\n");
                }
                contentStarted = true;
                filter.push(text);
            }
            case CALL, IGNORED -> { }   // arguments arrive whole with ToolCallComplete
        }
    }

    private void call(HarmonyEvent.ToolCallComplete c) {
        if (toolsOffered && c.recipient().startsWith(FUNCTIONS_PREFIX)) {
            calls.add(new ToolCall(ToolCallSyntax.callId(calls.size()), c.functionName(), c.arguments().strip()));
        }
    }

    /** What an assistant message is to the client, from its header. */
    private static Kind kind(HarmonyMessage h) {
        if (h.role() != Role.ASSISTANT) {
            return Kind.IGNORED;
        }
        if (h.isToolCall()) {
            return Kind.CALL;
        }
        if (HarmonyMessage.ANALYSIS.equals(h.channel())) {
            return Kind.REASONING;
        }
        return Kind.CONTENT;   // final, a preamble on commentary, or no channel
    }

    private void emitReasoning(String s) {
        if (!s.isEmpty()) {
            reasoning.append(s);
            sink.reasoning(s);
        }
    }

    private void emitContent(String s) {
        content.append(s);
        sink.content(s);
    }
}
