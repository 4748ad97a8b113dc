/*
 * `vireo chat`: what a turn looks like (reasoning faint on a terminal, plain in a pipe, hidden with
 * --hide-reasoning; the answer plain) on a scripted gpt-oss whose output is known, and whole runs of
 * the command on the tiny random gpt-oss with piped input.
 */
package dev.vireo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.LanguageModel;
import dev.vireo.ScriptedModel;
import dev.vireo.generate.Session;
import dev.vireo.reference.TinyGptOss;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChatCommandTest {
    static final String HI = "Hi<|end|><|start|>assistant";
    static final String HI_REPLY = "<|channel|>analysis<|message|>Greet back.<|end|>"
            + "<|start|>assistant<|channel|>final<|message|>Hello!<|return|>";
    static final String MORE = "More<|end|><|start|>assistant";
    static final String MORE_REPLY = "<|channel|>analysis<|message|>Say more.<|end|>"
            + "<|start|>assistant<|channel|>final<|message|>More!<|return|>";

    /** Runs the conversation loop of {@code chat args} on the scripted gpt-oss; returns what it printed. */
    private static String converse(String input, boolean styled, String... args) throws Exception {
        ChatCommand chat = new ChatCommand();
        String[] all = new String[args.length + 2];
        all[0] = "-m";
        all[1] = "scripted";
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(chat).parseArgs(all);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (LanguageModel m = ScriptedModel.gptOss(HI, HI_REPLY, MORE, MORE_REPLY);
                Session session = m.newSession(1024);
                PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            chat.converse(m, session, new BufferedReader(new StringReader(input)), out, styled);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void reasoningIsFaintOnATerminalThenTheAnswerPlain() throws Exception {
        assertEquals("> " + ChatPrinter.FAINT + "Greet back." + ChatPrinter.NORMAL + "\n\nHello!\n"
                + "> " + ChatPrinter.FAINT + "Say more." + ChatPrinter.NORMAL + "\n\nMore!\n> ",
                converse("Hi\nMore\n", true, "--temp", "0"));
    }

    @Test
    void reasoningIsPlainInAPipeAndHiddenOnRequest() throws Exception {
        assertEquals("> Greet back.\n\nHello!\n> ", converse("Hi\n/exit\nignored\n", false));
        assertEquals("> Hello!\n> > More!\n> ", converse("Hi\n\nMore\n", true, "--hide-reasoning"),
                "a blank line asks again");
    }

    @Test
    void theReasoningEffortIsChecked() {
        ChatCommand chat = new ChatCommand();
        new CommandLine(chat).parseArgs("-m", "x", "--reasoning-effort", "HIGH");
        assertEquals(dev.vireo.chat.harmony.ReasoningEffort.HIGH, chat.reasoningEffort);
        assertTrue(CliTest.run("chat", "-m", "x", "--reasoning-effort", "extreme").exit() != 0);
    }

    /** {@code vireo chat ARGS} on the tiny gpt-oss, {@code input} piped to it. */
    private static CliTest.Result chatOnTinyGptOss(String input, String... args) {
        Path model = TinyGptOss.gguf(TinyGptOss.TINY,
                Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir"))));
        String[] all = new String[args.length + 9];
        System.arraycopy(new String[] {"chat", "-m", model.toString(), "-n", "3", "-t", "2", "-c", "512"}, 0, all, 0, 9);
        System.arraycopy(args, 0, all, 9, args.length);
        InputStream oldIn = System.in;
        try {
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            return CliTest.run(all);
        } finally {
            System.setIn(oldIn);
        }
    }

    @Test
    void chatsWithTheTinyGptOssThroughPipes() {
        CliTest.Result r = chatOnTinyGptOss("Hello\nAgain\n", "--temp", "0", "--reasoning-effort", "low",
                "--hide-reasoning", "--system", "Be brief.");
        assertEquals(0, r.exit(), r.err());
        assertEquals(3, r.out().split("> ", -1).length - 1, "a prompt per turn and one for the end of input:\n" + r.out());
        assertEquals(2, r.err().split("tok/s \\|", -1).length - 1, "timings per turn:\n" + r.err());
        assertFalse(r.out().contains("\033["), "no styles in a pipe");
        assertFalse(r.err().contains("no chat template"), "gpt-oss chats in harmony:\n" + r.err());
    }
}
