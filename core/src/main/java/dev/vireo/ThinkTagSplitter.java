/*
 * Splits the streamed text of a template-based model into reasoning and answer where the model thinks
 * in a leading <think>...</think> block (Qwen3, QwQ, DeepSeek-R1 and its distills). The block may also
 * begin in the prompt: R1-style templates end the generation prompt with "<think>\n", so the output
 * starts inside it. Only a leading block counts; "<think>" later in an answer is answer text. The
 * whitespace around the reasoning and before the answer is layout, not content, and is dropped; text
 * that could still become a tag is held back until the next piece decides. Tested in
 * ThinkTagSplitterTest.
 */
package dev.vireo;

import java.util.function.Consumer;

/** Streams reasoning and answer apart. Not thread-safe: one per generation. */
final class ThinkTagSplitter {
    static final String OPEN = "<think>";
    static final String CLOSE = "</think>";

    private enum State { LEADING, THINKING, AFTER_THINKING, ANSWER }

    private final Consumer<String> reasoning;
    private final Consumer<String> content;
    private final StringBuilder held = new StringBuilder();
    private State state;
    private boolean reasoningBegun;

    /**
     * @param startsThinking the prompt ended with {@code <think>}: the output begins inside the block
     * @param reasoning      receives the reasoning
     * @param content        receives the answer
     */
    ThinkTagSplitter(boolean startsThinking, Consumer<String> reasoning, Consumer<String> content) {
        this.state = startsThinking ? State.THINKING : State.LEADING;
        this.reasoning = reasoning;
        this.content = content;
    }

    /** Whether a rendered prompt leaves the model inside a think block. */
    static boolean endsInsideThink(String prompt) {
        String p = prompt.stripTrailing();
        return p.endsWith(OPEN);
    }

    /** Adds generated text. */
    void push(String text) {
        held.append(text);
        drain(false);
    }

    /** The text is complete: releases what was held back. */
    void finish() {
        drain(true);
    }

    private void drain(boolean end) {
        while (true) {
            switch (state) {
                case LEADING -> {
                    String lead = held.toString().stripLeading();
                    if (lead.startsWith(OPEN)) {
                        held.delete(0, held.indexOf(OPEN) + OPEN.length());
                        state = State.THINKING;
                    } else if (!end && OPEN.startsWith(lead)) {
                        return;   // only whitespace, or the start of "<think>", so far
                    } else {
                        state = State.ANSWER;
                    }
                }
                case THINKING -> {
                    if (!reasoningBegun) {
                        dropLeadingWhitespace();
                    }
                    int close = held.indexOf(CLOSE);
                    if (close >= 0) {
                        emitReasoning(held.substring(0, close).stripTrailing());
                        held.delete(0, close + CLOSE.length());
                        state = State.AFTER_THINKING;
                    } else if (end) {
                        emitReasoning(held.toString().stripTrailing());
                        held.setLength(0);
                        return;
                    } else {
                        // Hold back what may be the start of </think>, and the whitespace before it.
                        int cut = held.length() - partialSuffix(held, CLOSE);
                        while (cut > 0 && Character.isWhitespace(held.charAt(cut - 1))) {
                            cut--;
                        }
                        emitReasoning(held.substring(0, cut));
                        held.delete(0, cut);
                        return;
                    }
                }
                case AFTER_THINKING -> {
                    dropLeadingWhitespace();
                    if (held.isEmpty()) {
                        return;
                    }
                    state = State.ANSWER;
                }
                case ANSWER -> {
                    if (!held.isEmpty()) {
                        content.accept(held.toString());
                        held.setLength(0);
                    }
                    return;
                }
            }
        }
    }

    private void dropLeadingWhitespace() {
        int n = 0;
        while (n < held.length() && Character.isWhitespace(held.charAt(n))) {
            n++;
        }
        held.delete(0, n);
    }

    private void emitReasoning(String s) {
        if (!s.isEmpty()) {
            reasoningBegun = true;
            reasoning.accept(s);
        }
    }

    /** Length of the longest end of {@code text} that is a proper prefix of {@code tag}. */
    private static int partialSuffix(CharSequence text, String tag) {
        for (int k = Math.min(tag.length() - 1, text.length()); k > 0; k--) {
            boolean match = true;
            for (int i = 0; i < k && match; i++) {
                match = text.charAt(text.length() - k + i) == tag.charAt(i);
            }
            if (match) {
                return k;
            }
        }
        return 0;
    }
}
