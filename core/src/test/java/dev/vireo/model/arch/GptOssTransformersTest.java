/*
 * gpt-oss against Hugging Face transformers' GptOssForCausalLM (the reference's maths in PyTorch,
 * float32, eager attention with sinks, experts dequantized by transformers' own MXFP4 code), when its
 * golden exists. transformers does not run on this project's build machines: the golden is made by
 * tools/gpt-oss-goldens/make_goldens.py on a machine with torch and transformers, from the tiny
 * Hugging Face checkpoint the tests generate (golden tiny-gpt-oss-transformers.json) or from a random
 * checkpoint the script saves itself (any other *-transformers.json naming a directory under the
 * models directory). Without a golden the test is skipped with that instruction.
 * Vireo loads with its defaults — the reference's unrounded YaRN range (truncate: false) and F32
 * activations, the same maths as transformers. Bounds from the issue: each of transformers' top-10
 * logits per position within 1e-3 of the logit scale, 32 greedy ids identical.
 */
package dev.vireo.model.arch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vireo.generate.GenerationResult;
import dev.vireo.generate.Session;
import dev.vireo.io.HfConfig;
import dev.vireo.io.TensorSource;
import dev.vireo.model.Decoder;
import dev.vireo.model.ModelOptions;
import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.reference.Golden;
import dev.vireo.reference.TinyGptOss;
import dev.vireo.sample.SamplingParams;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GptOssTransformersTest {
    static final String HOW = "run tools/gpt-oss-goldens/make_goldens.py on a machine with torch and transformers"
            + " (see its header) to make core/src/test/resources/goldens/*-transformers.json";

    /** The transformers goldens present, by name; a placeholder that skips when there is none. */
    static Stream<String> goldens() throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(Golden.sourceDir())) {
            try (Stream<Path> s = Files.list(Golden.sourceDir())) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-transformers.json")).sorted()
                        .forEach(n -> names.add(n.substring(0, n.length() - ".json".length())));
            }
        }
        return names.isEmpty() ? Stream.of("(none)") : names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void matchesTransformers(String name) throws Exception {
        Assumptions.assumeFalse(name.equals("(none)"), "no transformers golden for gpt-oss: " + HOW);
        Golden golden = Golden.read(name);
        Path models = LlamaFamilyGoldenTest.modelsDir();
        Path dir = golden.model().equals("tiny-gpt-oss-hf")
                ? GptOssLayoutsTest.hfDir(TinyGptOss.gguf(TinyGptOss.TINY, models))
                : models.resolve(golden.model());
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("config.json")), name + " was computed on "
                + golden.model() + ", which is not in " + models + " (copy it there from where the script ran)");
        assertEquals(golden.sha256(), checkpointSha256(dir),
                name + ": the checkpoint differs from the one transformers ran; regenerate the golden");

        try (Ops ops = new CpuOps();
                Decoder decoder = GptOssCheckpoints.fromHf(HfConfig.read(dir.resolve("config.json")),
                        TensorSource.open(dir), ops, Arena.ofShared(), ModelOptions.defaults());
                Session session = new Session(decoder, new Session.Options(512, 64, 16))) {
            int[] prompt = golden.prompt();
            float[][] logits = new float[prompt.length][];
            session.append(prompt, (pos, row) -> logits[pos] = row.clone());
            LlamaFamilyGoldenTest.checkLogits(name, golden, logits);
            System.out.printf("%s: logits within %.3g of transformers' scale%n", name,
                    GptOssGoldenTest.worst(golden, logits));
            session.reset();
            GenerationResult r = session.generate(prompt, golden.greedy().length, SamplingParams.greedy(),
                    t -> false, t -> true);
            assertArrayEquals(golden.greedy(), Arrays.copyOf(r.tokens(), golden.greedy().length), name
                    + ": greedy continuation differs from transformers'\n ours   " + Arrays.toString(r.tokens())
                    + "\n theirs " + Arrays.toString(golden.greedy()));
        }
    }

    /** SHA-256 over config.json, then every *.safetensors file in name order (as make_goldens.py computes it). */
    static String checkpointSha256(Path dir) throws Exception {
        List<Path> files = new ArrayList<>(List.of(dir.resolve("config.json")));
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().forEach(files::add);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    sha.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
