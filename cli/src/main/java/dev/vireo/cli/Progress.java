/*
 * Status lines on stderr: overwritten in place on a terminal, plain lines otherwise (logs, pipes).
 */
package dev.vireo.cli;

/** Terminal-aware status output. */
final class Progress {
    private Progress() {}

    private static final boolean TERMINAL = System.console() != null && System.console().isTerminal();

    /** A transient status (replaced by the next one on a terminal; not printed elsewhere). */
    static void status(String s) {
        if (TERMINAL) {
            System.err.print("\r\033[K" + s);
            System.err.flush();
        }
    }

    /** A final line. */
    static void done(String s) {
        System.err.print(TERMINAL ? "\r\033[K" + s + "\n" : s + "\n");
        System.err.flush();
    }
}
