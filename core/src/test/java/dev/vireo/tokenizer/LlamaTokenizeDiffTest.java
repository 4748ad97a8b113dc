/*
 * Differential test against a built llama.cpp: random documents (TextSamples) are tokenized by
 * llama.cpp's llama-tokenize tool and by our tokenizer, for each vocab file with a tokenizer we
 * implement; the ids must be identical, half of the documents with BOS/EOS added and special tokens
 * parsed (llama-tokenize's defaults), half without. Needs the tool: set VIREO_LLAMA_TOKENIZE to its path (build
 * llama.cpp's llama-tokenize target); skipped otherwise. Slow (one process per document): tag "slow".
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("slow")
class LlamaTokenizeDiffTest {
    private static final int DOCUMENTS = 40;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"llama-bpe", "qwen2", "gpt-2", "llama-spm", "qwen35", "mpt", "starcoder", "refact",
            "command-r", "falcon", "deepseek-coder", "phi-3"})
    void randomDocumentsMatchLlamaTokenize(String name) throws Exception {
        String tool = System.getenv("VIREO_LLAMA_TOKENIZE");
        Assumptions.assumeTrue(tool != null && Files.isExecutable(Path.of(tool)),
                "set VIREO_LLAMA_TOKENIZE to llama.cpp's llama-tokenize to run this test");
        Path vocab = LlamaCppFiles.vocabFile(name);
        Tokenizer tok = LlamaCppVocabTest.load(name);
        Random rnd = new Random(name.hashCode());
        long chars = 0;
        for (int d = 0; d < DOCUMENTS; d++) {
            String doc = TextSamples.document(rnd, 200 + rnd.nextInt(3000));
            chars += doc.length();
            // Every other document with BOS/EOS and special tokens parsed, as llama-tokenize does by default.
            // (Not for Phi-3: llama.cpp strips spaces around its special tokens, chosen by model name; not
            // implemented here.)
            boolean special = d % 2 == 1 && !name.equals("phi-3");
            int[] expected = llamaTokenize(tool, vocab, doc, special);
            int[] got = tok.encode(doc, special, special);
            if (!Arrays.equals(expected, got)) {
                int at = Arrays.mismatch(expected, got);
                String context = tok.decode(Arrays.copyOfRange(expected, Math.max(0, at - 3), Math.min(expected.length, at + 6)));
                assertEquals(describe(tok, expected, at), describe(tok, got, at),
                        name + " document " + d + ": first difference at token " + at + ", near '" + context + "'");
            }
        }
        System.out.printf("%s: %d documents, %d chars identical to llama-tokenize%n", name, DOCUMENTS, chars);
    }

    private int[] llamaTokenize(String tool, Path vocab, String text, boolean special)
            throws IOException, InterruptedException {
        Path in = tmp.resolve("doc.txt");
        Files.writeString(in, text, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(tool, "-m", vocab.toString(), "-f", in.toString(), "--ids",
                "--no-escape", "--log-disable"));
        if (!special) {
            cmd.addAll(List.of("--no-bos", "--no-parse-special"));
        }
        Process p = new ProcessBuilder(cmd).start();
        p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IOException("llama-tokenize failed: " + out);
        }
        String list = out.substring(out.lastIndexOf('[') + 1, out.lastIndexOf(']')).strip();
        return list.isEmpty() ? new int[0] : Arrays.stream(list.split(",\\s*")).mapToInt(Integer::parseInt).toArray();
    }

    /** A few tokens around position {@code at}, with their texts. */
    private static String describe(Tokenizer tok, int[] ids, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, at - 3); i < Math.min(ids.length, at + 6); i++) {
            sb.append(i == at ? "> " : "  ").append(ids[i]).append(" '").append(tok.tokenText(ids[i])).append("'\n");
        }
        return sb.toString();
    }
}
