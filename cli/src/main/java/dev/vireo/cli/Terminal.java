/*
 * Whether standard output is a terminal that may be styled (ANSI faint for reasoning). Asks the C
 * library's isatty(1) through FFM, since System.console() answers for standard input and output
 * together and chat reads piped input as often as not; falls back to the console where isatty is not
 * found (Windows). NO_COLOR (no-color.org) and TERM=dumb turn styling off.
 */
package dev.vireo.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/** Terminal facts for output styling. */
final class Terminal {
    private Terminal() {}

    private static final int STDOUT = 1;

    /** Whether output to standard output may carry ANSI styles. */
    static boolean stdoutStyled() {
        String noColor = System.getenv("NO_COLOR");
        if ((noColor != null && !noColor.isEmpty()) || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        return stdoutIsTerminal();
    }

    /** Whether standard output is a terminal. */
    static boolean stdoutIsTerminal() {
        Linker linker = Linker.nativeLinker();
        Optional<MethodHandle> isatty = linker.defaultLookup().find("isatty").map(address ->
                linker.downcallHandle(address, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)));
        if (isatty.isPresent()) {
            try {
                return (int) isatty.get().invokeExact(STDOUT) == 1;
            } catch (Throwable e) {
                throw new IllegalStateException("isatty failed", e);   // a plain C call: only a JVM fault gets here
            }
        }
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }
}
