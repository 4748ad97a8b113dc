/*
 * Entry point of the `vireo` command line: one picocli command with a subcommand per job.
 */
package dev.vireo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vireo} command. */
@Command(name = "vireo", mixinStandardHelpOptions = true, version = "vireo 0.1.0",
        description = "Run open-weight language models from Java.",
        subcommands = {InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
