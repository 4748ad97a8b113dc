/*
 * Quick start: load a model, continue a prompt, stream the text.
 *   examples/run QuickStart                                  (the embedded demo model)
 *   examples/run QuickStart MODEL.gguf "Once upon a time"
 */
package dev.vireo.examples;

import dev.vireo.Completion;
import dev.vireo.DemoModel;
import dev.vireo.LanguageModel;
import dev.vireo.Vireo;
import dev.vireo.generate.GenerationOptions;
import dev.vireo.generate.Session;
import java.nio.file.Path;

/** Loads a model and streams a continuation. */
public final class QuickStart {
    public static void main(String[] args) throws Exception {
        Path model = args.length > 0 ? Path.of(args[0]) : DemoModel.path();
        String prompt = args.length > 1 ? args[1] : "And it came to pass";
        try (LanguageModel m = Vireo.load(model); Session session = m.newSession(2048)) {
            System.out.print(prompt);
            Completion c = m.complete(session, prompt, GenerationOptions.of(64, 42), System.out::print);
            System.out.println();
            System.err.println(c.timings());
        }
    }
}
