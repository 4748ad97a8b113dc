/*
 * HfConfig over a gpt-oss-style config.json (model-spec.md §2.4), generation_config.json and
 * tokenizer_config.json shapes: typed getters, defaults, nested objects, and error messages.
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfConfigTest {
    private static final String GPT_OSS = """
            {
              "architectures": ["GptOssForCausalLM"],
              "attention_bias": true,
              "eos_token_id": 200002,
              "head_dim": 64,
              "hidden_act": "silu",
              "hidden_size": 2880,
              "layer_types": ["sliding_attention", "full_attention"],
              "max_position_embeddings": 131072,
              "model_type": "gpt_oss",
              "num_hidden_layers": 36,
              "quantization_config": {"quant_method": "mxfp4", "modules_to_not_convert": ["lm_head"]},
              "rms_norm_eps": 1e-05,
              "rope_scaling": {"rope_type": "yarn", "factor": 32.0, "beta_fast": 32.0, "beta_slow": 1.0,
                               "original_max_position_embeddings": 4096, "truncate": false},
              "rope_theta": 150000,
              "sliding_window": 128,
              "swiglu_limit": 7.0,
              "tie_word_embeddings": false,
              "pad_token_id": null,
              "vocab_size": 201088
            }""";

    @Test
    void typedGetters() {
        HfConfig c = HfConfig.parse(GPT_OSS, "config.json");
        assertEquals(List.of("GptOssForCausalLM"), c.architectures());
        assertEquals("gpt_oss", c.modelType());
        assertEquals(2880, c.getInt("hidden_size"));
        assertEquals(131072L, c.getLong("max_position_embeddings"));
        assertEquals(1e-5, c.getDouble("rms_norm_eps"));
        assertEquals(150000.0, c.getDouble("rope_theta"));
        assertEquals(7, c.getInt("swiglu_limit"), "an integral float is an int");
        assertTrue(c.getBool("attention_bias"));
        assertEquals("silu", c.getString("hidden_act"));
        assertEquals(List.of("sliding_attention", "full_attention"), c.getStringList("layer_types"));
        assertArrayEquals(new int[] {200002}, c.getIntList("eos_token_id"));
        assertEquals(8, c.getInt("num_key_value_heads", 8));
        assertTrue(c.findInt("num_key_value_heads").isEmpty());
        assertTrue(c.findInt("pad_token_id").isEmpty(), "null is absent");
        assertFalse(c.contains("pad_token_id"));
        assertEquals(-1, c.getInt("pad_token_id", -1));
        HfConfig rope = c.getObject("rope_scaling");
        assertEquals("yarn", rope.getString("rope_type"));
        assertEquals(32.0, rope.getDouble("factor"));
        assertEquals(4096, rope.getInt("original_max_position_embeddings"));
        assertFalse(rope.getBool("truncate"));
        assertTrue(c.findObject("rope_parameters").isEmpty());
        assertEquals(List.of("lm_head"), c.getObject("quantization_config").getStringList("modules_to_not_convert"));
        assertTrue(c.keys().contains("vocab_size"));
        assertTrue(c.raw("quantization_config").orElseThrow().isObject());
    }

    @Test
    void errorsNameFileKeyExpectedAndFound() {
        HfConfig c = HfConfig.parse(GPT_OSS, "config.json");
        String m = assertThrows(ModelFormatException.class, () -> c.getInt("hidden_act")).getMessage();
        assertEquals("config.json: key 'hidden_act': expected an integer, found string \"silu\"", m);
        m = assertThrows(ModelFormatException.class, () -> c.getInt("rms_norm_eps")).getMessage();
        assertTrue(m.contains("'rms_norm_eps'") && m.contains("expected an integer"), m);
        m = assertThrows(ModelFormatException.class, () -> c.getObject("rope_scaling").getInt("rope_type")).getMessage();
        assertTrue(m.contains("'rope_scaling.rope_type'"), m);
        m = assertThrows(ModelFormatException.class, () -> c.getString("nope")).getMessage();
        assertEquals("config.json: missing key 'nope' (expected a string)", m);
        m = assertThrows(ModelFormatException.class, () -> c.getInt("pad_token_id")).getMessage();
        assertTrue(m.contains("is null"), m);
        m = assertThrows(ModelFormatException.class, () -> c.getBool("hidden_size")).getMessage();
        assertTrue(m.contains("expected true or false, found number 2880"), m);
        HfConfig big = HfConfig.parse("{\"x\": 5000000000, \"y\": 1e300, \"l\": [1, \"a\"]}", "c.json");
        assertEquals(5_000_000_000L, big.getLong("x"));
        m = assertThrows(ModelFormatException.class, () -> big.getInt("x")).getMessage();
        assertTrue(m.contains("does not fit in an int"), m);
        assertThrows(ModelFormatException.class, () -> big.getLong("y"));
        assertThrows(ModelFormatException.class, () -> big.getIntList("l"));
        assertThrows(ModelFormatException.class, () -> big.getStringList("l"));
        assertThrows(ModelFormatException.class, () -> HfConfig.parse("[1]", "c.json"));
        assertThrows(ModelFormatException.class, () -> HfConfig.parse("{\"a\": 1, \"a\": 2}", "c.json"));
        assertThrows(ModelFormatException.class, () -> HfConfig.parse("{\"a\": 1", "c.json"));
        assertThrows(ModelFormatException.class, () -> HfConfig.parse("", "c.json"));
    }

    @Test
    void generationAndTokenizerConfigs(@TempDir Path dir) throws IOException {
        Path gen = dir.resolve("generation_config.json");
        Files.writeString(gen, "{\"bos_token_id\": 199998, \"eos_token_id\": [200002, 199999, 200012],"
                + " \"temperature\": 0.6, \"do_sample\": true}");
        HfConfig g = HfConfig.read(gen);
        assertArrayEquals(new int[] {200002, 199999, 200012}, g.getIntList("eos_token_id"));
        assertEquals(0.6, g.getDouble("temperature"));
        assertEquals(gen.toString(), g.source());
        Path tok = dir.resolve("tokenizer_config.json");
        Files.writeString(tok, "{\"chat_template\": \"{% for m in messages %}{{ m.content }}{% endfor %}\","
                + " \"added_tokens_decoder\": {\"0\": {\"content\": \"<s>\", \"special\": true}}}");
        HfConfig t = HfConfig.read(tok);
        assertTrue(t.getString("chat_template").startsWith("{% for"));
        assertTrue(t.getObject("added_tokens_decoder").getObject("0").getBool("special"));
        Files.writeString(tok, "{\"chat_template\": 5}");
        String m = assertThrows(ModelFormatException.class, () -> HfConfig.read(tok).getString("chat_template"))
                .getMessage();
        assertTrue(m.startsWith(tok.toString()), m);
    }
}
