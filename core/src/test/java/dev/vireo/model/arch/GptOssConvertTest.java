/*
 * GptOssConverter against llama.cpp's own layout: the tiny Hugging Face checkpoint (written from the
 * tiny GGUF, tokenizer.json included) converted back to GGUF must give the GGUF the golden test ran
 * llama.cpp on — every tensor with the same type, shape and bytes (experts repacked from split MXFP4
 * and de-interleaved, biases split into gate and up), every gpt-oss.* key with the same value, and the
 * tokenizer arrays (tokens padded with [PAD{id}], token types, merges) and special ids identical. Also
 * the 8-bit variant: Q8_0 matrices, F32 norms/biases/router, MXFP4 experts, and it runs.
 */
package dev.vireo.model.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.generate.Session;
import dev.vireo.io.GgufFile;
import dev.vireo.io.GgufMetadata;
import dev.vireo.model.Decoder;
import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.reference.LlamaCpp;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GptOssConvertTest {

    @Test
    void convertedCheckpointIsTheGgufLlamaCppRan(@TempDir Path tmp) throws Exception {
        LlamaCpp.require();
        Path gguf = GptOssGoldenTest.model();
        Path hf = GptOssLayoutsTest.hfDir(gguf);
        Path out = tmp.resolve("converted.gguf");
        List<String> progress = new ArrayList<>();
        GptOssConverter.convert(hf, out, GptOssConverter.MatrixType.SOURCE, progress::add);
        assertEquals("layer 4/4", progress.get(3));
        assertFalse(Files.exists(tmp.resolve("converted.gguf.experts.tmp")), "scratch file left behind");
        try (GgufFile want = GgufFile.open(gguf); GgufFile got = GgufFile.open(out)) {
            assertEquals(new TreeSet<>(want.names()), new TreeSet<>(got.names()), "tensor names");
            for (String name : want.names()) {
                Tensor a = want.require(name);
                Tensor b = got.require(name);
                assertEquals(a.type(), b.type(), name);
                assertEquals(a.shape(), b.shape(), name);
                assertEquals(-1, a.data().mismatch(b.data()), name + ": bytes differ");
            }
            GgufMetadata wm = want.metadata();
            GgufMetadata gm = got.metadata();
            for (String key : wm.keys()) {
                if (key.startsWith("gpt-oss.") || key.startsWith("tokenizer.") || key.equals("general.architecture")) {
                    assertEquals(wm.value(key), gm.value(key), key);
                }
            }
            assertEquals(wm.keys().stream().filter(k -> k.startsWith("gpt-oss.")).sorted().toList(),
                    gm.keys().stream().filter(k -> k.startsWith("gpt-oss.")).sorted().toList(), "gpt-oss.* keys");
        }
    }

    @Test
    void eightBitConversionLoadsAndRuns(@TempDir Path tmp) throws Exception {
        LlamaCpp.require();
        Path hf = GptOssLayoutsTest.hfDir(GptOssGoldenTest.model());
        Path out = tmp.resolve("q8.gguf");
        GptOssConverter.convert(hf, out, GptOssConverter.MatrixType.Q8_0, s -> { });
        try (GgufFile f = GgufFile.open(out)) {
            assertEquals(DType.Q8_0, f.require("token_embd.weight").type());
            assertEquals(DType.Q8_0, f.require("blk.0.attn_q.weight").type());
            assertEquals(DType.F32, f.require("blk.0.ffn_gate_inp.weight").type());
            assertEquals(DType.F32, f.require("blk.0.attn_q.bias").type());
            assertEquals(DType.MXFP4, f.require("blk.0.ffn_down_exps.weight").type());
            assertEquals(7, f.metadata().getInt("general.file_type"));
        }
        int[] prompt = Arrays.copyOf(GptOssGoldenTest.prompt(), 8);
        try (Ops ops = new CpuOps(); Decoder d = GptOssLoader.fromGguf(GgufFile.open(out), ops, Arena.ofShared());
                Session s = new Session(d, new Session.Options(64, 8, 16))) {
            s.append(prompt, (pos, row) -> {
                for (float v : row) {
                    assertTrue(Float.isFinite(v), "logit at " + pos);
                }
            });
        }
    }
}
