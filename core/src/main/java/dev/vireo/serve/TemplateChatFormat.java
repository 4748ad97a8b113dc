/*
 * The chat format of template-based families (Llama 3.x, Qwen 2.5/3, Mistral, DeepSeek distills):
 * the prompt is the model's own Jinja template rendered with the messages and tools; the answer is
 * plain text in which reasoning sits in a leading <think>...</think> block and tool calls follow the
 * family's convention (ToolCallSyntax, recognised from the template). Streaming passes text on as
 * soon as it cannot be part of a stop string, a <think> tag or a tool call. Tested by
 * TemplateChatFormatTest on fixed token streams and end to end by the server tests.
 */
package dev.vireo.serve;

import dev.vireo.LanguageModel;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatTemplate;
import dev.vireo.chat.ToolCall;
import dev.vireo.generate.StopStringFilter;
import dev.vireo.tokenizer.Decoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/** Chat through the model's Jinja template. */
public final class TemplateChatFormat implements ChatFormat {
    static final String THINK_OPEN = "<think>";
    static final String THINK_CLOSE = "</think>";

    private final LanguageModel model;
    private final ChatTemplate template;
    private final ToolCallSyntax syntax;

    public TemplateChatFormat(LanguageModel model) {
        this.model = model;
        this.template = model.chatTemplate().orElseGet(ChatTemplate::chatMlFallback);
        this.syntax = ToolCallSyntax.ofTemplate(template.source());
    }

    @Override
    public String name() {
        return "template";
    }

    /** The tool-call convention read from the template. */
    public ToolCallSyntax syntax() {
        return syntax;
    }

    @Override
    public int[] prompt(List<ChatMessage> messages, List<Map<String, Object>> tools, Map<String, Object> options) {
        Map<String, Object> extra = new HashMap<>(options);
        if (!tools.isEmpty()) {
            extra.put("tools", tools);
        }
        return model.tokenizeRendered(template.render(messages, true, extra));
    }

    @Override
    public Parser parser(List<String> stop, boolean toolsOffered, Sink sink) {
        Decoder decoder = model.tokenizer().newDecoder(false);
        return new TextParser(decoder::push, decoder::flush, stop, toolsOffered ? syntax : ToolCallSyntax.NONE, true,
                sink);
    }

    /**
     * A parser for raw text completion: decoded text and stop strings only (no reasoning, no tool
     * calls).
     */
    public static Parser plain(dev.vireo.tokenizer.Tokenizer tokenizer, List<String> stop, Sink sink) {
        Decoder decoder = tokenizer.newDecoder(false);
        return new TextParser(decoder::push, decoder::flush, stop, ToolCallSyntax.NONE, false, sink);
    }

    /**
     * Text → stop strings → (reasoning | content | tool calls). Content is streamed; a possible tag
     * start at its end is held back until the next text decides.
     */
    static final class TextParser implements Parser {
        private final IntFunction<String> decode;
        private final Supplier<String> flush;
        private final StopStringFilter filter;
        private final ToolCallSyntax syntax;
        private final Sink sink;
        private final StringBuilder all = new StringBuilder();      // everything after the stop filter
        private final StringBuilder content = new StringBuilder();
        private final StringBuilder reasoning = new StringBuilder();
        private final List<ToolCall> calls = new ArrayList<>();
        private int done;             // characters of `all` consumed
        private boolean thinking;     // inside <think>
        private boolean afterThink;   // just past </think>: blank lines before the answer are dropped
        private boolean decided;      // past the answer's start (think block or whole-answer call decided)
        private boolean wholeCall;    // LLAMA/MISTRAL: the answer is a call, held until the end

        /**
         * @param decode the text a token adds (complete characters only)
         * @param flush what the decoder still holds at the end
         */
        TextParser(IntFunction<String> decode, Supplier<String> flush, List<String> stop, ToolCallSyntax syntax,
                boolean readThink, Sink sink) {
            this.decided = !readThink && syntax == ToolCallSyntax.NONE;
            this.decode = decode;
            this.flush = flush;
            this.syntax = syntax;
            this.sink = sink;
            this.filter = new StopStringFilter(stop, all::append);
        }

        @Override
        public boolean push(int token) {
            boolean goOn = filter.push(decode.apply(token));
            scan(false);
            return goOn;
        }

        @Override
        public ParsedMessage finish() {
            if (!filter.stopped()) {
                filter.push(flush.get());
                filter.flush();
            }
            scan(true);
            if (wholeCall) {
                String text = all.substring(done);
                done = all.length();
                var parsed = syntax.parse(text, 0);
                if (parsed.isPresent()) {
                    calls.addAll(parsed.get());
                } else {
                    emitContent(text);
                }
            }
            return new ParsedMessage(content.toString(), reasoning.toString(), calls);
        }

        /** Consumes as much of `all` as can be classified now. */
        private void scan(boolean end) {
            while (done < all.length()) {
                String rest = all.substring(done);
                if (!decided) {
                    String lead = rest.stripLeading();
                    if (lead.isEmpty() && !end) {
                        return;
                    }
                    if (lead.startsWith(THINK_OPEN)) {
                        done += rest.indexOf(THINK_OPEN) + THINK_OPEN.length();
                        thinking = true;
                        decided = true;
                        continue;
                    }
                    if (!end && (THINK_OPEN.startsWith(lead) || lead.isEmpty())) {
                        return;   // could still become <think>
                    }
                    decided = true;
                    if (syntax.startsCall(lead)) {
                        wholeCall = true;
                    }
                    continue;
                }
                if (wholeCall) {
                    return;   // parsed at the end
                }
                if (thinking) {
                    int close = rest.indexOf(THINK_CLOSE);
                    if (close >= 0) {
                        emitReasoning(rest.substring(0, close));
                        done += close + THINK_CLOSE.length();
                        thinking = false;
                        afterThink = true;
                        continue;
                    }
                    int keep = end ? 0 : partialSuffix(rest, THINK_CLOSE);
                    emitReasoning(rest.substring(0, rest.length() - keep));
                    done += rest.length() - keep;
                    return;
                }
                if (afterThink) {
                    // The answer proper usually starts after blank lines: drop them.
                    while (done < all.length() && Character.isWhitespace(all.charAt(done))) {
                        done++;
                    }
                    if (done == all.length()) {
                        return;
                    }
                    afterThink = false;
                    continue;
                }
                if (syntax == ToolCallSyntax.HERMES) {
                    int open = rest.indexOf(ToolCallSyntax.HERMES_OPEN);
                    if (open >= 0) {
                        int close = rest.indexOf(ToolCallSyntax.HERMES_CLOSE, open);
                        if (close < 0 && !end) {
                            emitContent(rest.substring(0, open));
                            done += open;
                            return;   // wait for the closing tag
                        }
                        String body = close < 0 ? rest.substring(open + ToolCallSyntax.HERMES_OPEN.length())
                                : rest.substring(open + ToolCallSyntax.HERMES_OPEN.length(), close);
                        var parsed = ToolCallSyntax.HERMES.parse(body, calls.size());
                        if (parsed.isPresent()) {
                            emitContent(rest.substring(0, open));
                            calls.addAll(parsed.get());
                        } else {
                            int end2 = close < 0 ? rest.length() : close + ToolCallSyntax.HERMES_CLOSE.length();
                            emitContent(rest.substring(0, end2));
                        }
                        done += close < 0 ? rest.length() : close + ToolCallSyntax.HERMES_CLOSE.length();
                        continue;
                    }
                    int keep = end ? 0 : partialSuffix(rest, ToolCallSyntax.HERMES_OPEN);
                    emitContent(rest.substring(0, rest.length() - keep));
                    done += rest.length() - keep;
                    return;
                }
                emitContent(rest);
                done = all.length();
            }
        }

        /** Length of the longest end of {@code text} that is a proper prefix of {@code tag}. */
        private static int partialSuffix(String text, String tag) {
            for (int k = Math.min(tag.length() - 1, text.length()); k > 0; k--) {
                if (text.endsWith(tag.substring(0, k))) {
                    return k;
                }
            }
            return 0;
        }

        private void emitContent(String s) {
            if (!s.isEmpty()) {
                content.append(s);
                sink.content(s);
            }
        }

        private void emitReasoning(String s) {
            if (!s.isEmpty()) {
                reasoning.append(s);
                sink.reasoning(s);
            }
        }
    }
}
