/*
 * Entry point of the `vireo` command line: one picocli command with a subcommand per job.
 */
package dev.vireo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vireo} command. */
@Command(name = "vireo", mixinStandardHelpOptions = true, version = "vireo 0.1.0",
        description = "Run open-weight language models from Java.",
        subcommands = {RunCommand.class, ChatCommand.class, ServeCommand.class, TokenizeCommand.class,
            EvalCommand.class, PerplexityCommand.class, BenchCommand.class, InfoCommand.class, ConvertCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Vireo's error handling: a user error is one clear line, not a stack trace. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (isUserError(e)) {
                cmd.getErr().println("vireo: " + message(e));
                return 1;
            }
            throw e;
        });
    }

    /** Errors the user can act on: bad files, bad arguments, missing files, unsupported requests. */
    private static boolean isUserError(Throwable e) {
        return e instanceof dev.vireo.io.ModelFormatException || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException
                || e instanceof dev.vireo.chat.ChatTemplateException;
    }

    private static String message(Throwable e) {
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
