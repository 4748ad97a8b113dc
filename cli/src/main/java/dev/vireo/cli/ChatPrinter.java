/*
 * How `vireo chat` shows a turn: the reasoning (gpt-oss's analysis, a <think> block) first, faint on a
 * terminal and plain elsewhere, or not at all; then a blank line and the answer, plain; tool calls as a
 * line of their own in the reasoning's style. Tested in ChatCommandTest.
 */
package dev.vireo.cli;

import dev.vireo.chat.ChatListener;
import dev.vireo.chat.ToolCall;
import java.io.PrintStream;

/** Prints one assistant turn as it streams. */
final class ChatPrinter implements ChatListener {
    static final String FAINT = "\033[2m";
    static final String NORMAL = "\033[22m";

    private enum Shown { NOTHING, REASONING, CONTENT }

    private final PrintStream out;
    private final boolean showReasoning;
    private final boolean styled;
    private Shown last = Shown.NOTHING;

    /**
     * @param showReasoning print the reasoning (otherwise it is dropped)
     * @param styled        print the reasoning faint (ANSI), for a terminal
     */
    ChatPrinter(PrintStream out, boolean showReasoning, boolean styled) {
        this.out = out;
        this.showReasoning = showReasoning;
        this.styled = styled;
    }

    @Override
    public void reasoning(String text) {
        if (showReasoning) {
            aside(text);
        }
    }

    @Override
    public void content(String text) {
        if (last == Shown.REASONING) {
            endAside();
            out.print("\n\n");
        }
        last = Shown.CONTENT;
        out.print(text);
        out.flush();
    }

    @Override
    public void toolCall(ToolCall call) {
        if (last == Shown.CONTENT) {
            out.print("\n\n");
            last = Shown.NOTHING;
        } else if (last == Shown.REASONING) {
            aside("\n");
        }
        aside("[tool call] " + call.name() + " " + call.arguments());
    }

    /** The turn is over: closes the style and the line. */
    void finish() {
        endAside();
        out.println();
        last = Shown.NOTHING;
    }

    private void aside(String text) {
        if (last != Shown.REASONING) {
            if (last == Shown.CONTENT) {
                out.print("\n\n");
            }
            if (styled) {
                out.print(FAINT);
            }
            last = Shown.REASONING;
        }
        out.print(text);
        out.flush();
    }

    private void endAside() {
        if (last == Shown.REASONING && styled) {
            out.print(NORMAL);
        }
    }
}
