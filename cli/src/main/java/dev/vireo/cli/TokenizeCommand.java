/*
 * `vireo tokenize`: the ids of a text as one JSON array, without BOS/EOS (special tokens written in
 * the text are recognised, as llama.cpp's tokenizer does with parse_special).
 */
package dev.vireo.cli;

import dev.vireo.LanguageModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Prints token ids. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids of TEXT as a JSON array.")
final class TokenizeCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Parameters(paramLabel = "TEXT", description = "the text to tokenize")
    String text;

    @Override
    public Integer call() throws Exception {
        try (LanguageModel m = model.load()) {
            System.out.println(Ids.json(m.tokenize(text, false)));
        }
        return 0;
    }
}
