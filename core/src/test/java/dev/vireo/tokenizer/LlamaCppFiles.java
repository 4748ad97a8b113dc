/*
 * Test-only: llama.cpp's vocab files and reference tokenizations (found through the shared LlamaCpp
 * helper: tests skip without llama.cpp, except under CI=true where its absence fails them), and the
 * reading of the .gguf.inp / .gguf.out pairs as llama.cpp's tests/test-tokenizer-0.cpp reads them.
 */
package dev.vireo.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import dev.vireo.reference.LlamaCpp;

final class LlamaCppFiles {
    private LlamaCppFiles() {}

    /** llama.cpp's models/ directory, or the test is skipped (failed under CI=true). */
    static Path modelsDir() {
        return LlamaCpp.source("models");
    }

    /** ggml-vocab-NAME.gguf in llama.cpp's models/. */
    static Path vocabFile(String name) {
        Path p = modelsDir().resolve("ggml-vocab-" + name + ".gguf");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("missing " + p);
        }
        return p;
    }

    /** One reference case: input text and the ids llama.cpp produced (no BOS/EOS, no special parsing). */
    record Case(String text, int[] expected) {}

    /**
     * The cases of a vocab file: the .inp is split on "\n__ggml_vocab_test__\n", the .out has one
     * line of space-separated ids per case, as test-tokenizer-0.cpp reads them.
     */
    static List<Case> cases(Path gguf) throws IOException {
        String inp = Files.readString(Path.of(gguf + ".inp"), StandardCharsets.UTF_8);
        List<String> out = Files.readAllLines(Path.of(gguf + ".out"), StandardCharsets.UTF_8);
        String sep = "\n__ggml_vocab_test__\n";
        List<String> inputs = new ArrayList<>();
        int pos = 0;
        while (pos < inp.length()) {
            int next = inp.indexOf(sep, pos);
            if (next < 0) {
                inputs.add(inp.substring(pos));
                break;
            }
            inputs.add(inp.substring(pos, next));
            pos = next + sep.length();
        }
        if (inputs.size() != out.size()) {
            throw new IllegalStateException(gguf + ": " + inputs.size() + " inputs but " + out.size() + " outputs");
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String line = out.get(i).strip();
            int[] ids = line.isEmpty() ? new int[0] : Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
            cases.add(new Case(inputs.get(i), ids));
        }
        return cases;
    }
}
