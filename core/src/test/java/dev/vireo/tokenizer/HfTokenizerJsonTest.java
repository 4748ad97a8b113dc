/*
 * The tokenizer.json loader: a tokenizer.json is written from a llama.cpp vocab GGUF the way Hugging
 * Face's files are laid out (vocab + merges, added tokens, Split + ByteLevel pre-tokenizer with the
 * original pattern, TemplateProcessing for BOS), loaded back, and must tokenize exactly as the GGUF
 * vocabulary does: llama.cpp's reference lines (identical to the .out ids) and random documents.
 * Also: both merge forms, NFC, and the errors for what the loader does not support.
 */
package dev.vireo.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.io.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfTokenizerJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The patterns as the Hugging Face files have them (case-insensitive group, not llama.cpp's [sS]). */
    private static final String LLAMA3_HF = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private static final String QWEN2_HF = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    @TempDir
    Path tmp;

    @Test
    void llama3FromTokenizerJsonMatchesGguf() throws Exception {
        Tokenizer gguf = LlamaCppVocabTest.load("llama-bpe");
        ObjectNode json = tokenizerJson(gguf.vocabulary(), LLAMA3_HF, false, false);
        Tokenizer hf = Tokenizer.of(HfTokenizerJson.load(write(json, "llama3")));
        assertEquals(gguf.vocabularySize(), hf.vocabularySize());
        assertEquals(gguf.vocabulary().bos(), hf.vocabulary().bos());
        assertTrue(hf.vocabulary().addBos());
        compare("llama-bpe", gguf, hf, false);
    }

    @Test
    void arrayMergesAndNfc() throws Exception {
        Tokenizer gguf = LlamaCppVocabTest.load("qwen2");
        ObjectNode json = tokenizerJson(gguf.vocabulary(), QWEN2_HF, true, true);
        Tokenizer hf = Tokenizer.of(HfTokenizerJson.load(write(json, "qwen2")));
        compare("qwen2", gguf, hf, true);
        // NFC: a decomposed é is composed before tokenizing.
        assertArrayEquals(gguf.encode("caf\u00E9"), hf.encode("cafe\u0301"));
    }

    /** llama.cpp's reference lines and random documents give the same ids both ways. */
    private static void compare(String name, Tokenizer gguf, Tokenizer hf, boolean nfc) throws Exception {
        Path file = LlamaCppFiles.vocabFile(name);
        for (LlamaCppFiles.Case c : LlamaCppFiles.cases(file)) {
            if (nfc && !Normalizer.isNormalized(c.text(), Normalizer.Form.NFC)) {
                continue;
            }
            assertArrayEquals(c.expected(), hf.encode(c.text(), false, false), () -> name + ": '" + c.text() + "'");
        }
        Random rnd = new Random(7);
        for (int d = 0; d < 60; d++) {
            String doc = TextSamples.document(rnd, 1500);
            // Differences that are the formats' own: tokenizer.json's (?i) also folds 'ſ' to 's', Hugging
            // Face classifies with current Unicode data where llama.cpp has 15.1, and NFC.
            doc = doc.replace("ſ", "s");
            doc = doc.codePoints().filter(cp -> !Unicode15.isUnicode16Addition(cp))
                    .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
            if (nfc) {
                doc = Normalizer.normalize(doc, Normalizer.Form.NFC);
            }
            String text = doc;
            assertArrayEquals(gguf.encode(text, false, false), hf.encode(text, false, false), () -> name + ": " + text);
            assertArrayEquals(gguf.encode(text, true, true), hf.encode(text, true, true), () -> name + " special: " + text);
        }
    }

    /** A tokenizer.json for a byte-level GGUF vocabulary, laid out as Hugging Face writes them. */
    static ObjectNode tokenizerJson(Vocabulary v, String regex, boolean arrayMerges, boolean nfc) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode vocab = JSON.createObjectNode();
        for (int id = 0; id < v.size(); id++) {
            TokenType t = v.types().get(id);
            if (t == TokenType.CONTROL || t == TokenType.USER_DEFINED) {
                ObjectNode a = added.addObject();
                a.put("id", id).put("content", v.tokens().get(id)).put("single_word", false).put("lstrip", false)
                        .put("rstrip", false).put("normalized", false).put("special", t == TokenType.CONTROL);
            } else {
                vocab.put(v.tokens().get(id), id);
            }
        }
        if (nfc) {
            root.putObject("normalizer").put("type", "NFC");
        } else {
            root.putNull("normalizer");
        }
        ObjectNode pre = root.putObject("pre_tokenizer").put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject().put("type", "Split");
        split.putObject("pattern").put("Regex", regex);
        split.put("behavior", "Isolated").put("invert", false);
        steps.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", false);
        if (v.addBos()) {
            ObjectNode post = root.putObject("post_processor").put("type", "Sequence");
            ArrayNode procs = post.putArray("processors");
            procs.addObject().put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", false)
                    .put("use_regex", true);
            ObjectNode tp = procs.addObject().put("type", "TemplateProcessing");
            ArrayNode single = tp.putArray("single");
            single.addObject().putObject("SpecialToken").put("id", v.tokens().get(v.bos())).put("type_id", 0);
            single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        }
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", v.ignoreMerges());
        model.set("vocab", vocab);
        ArrayNode merges = model.putArray("merges");
        for (String m : v.merges()) {
            if (arrayMerges) {
                int sp = m.indexOf(' ', 1);
                merges.addArray().add(m.substring(0, sp)).add(m.substring(sp + 1));
            } else {
                merges.add(m);
            }
        }
        return root;
    }

    private Path write(ObjectNode json, String dir) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(dir));
        Path f = d.resolve("tokenizer.json");
        JSON.writeValue(f.toFile(), json);
        return f;
    }

    @Test
    void configAndGenerationConfigNameSpecials() throws Exception {
        ObjectNode json = smallTokenizerJson();
        Path f = write(json, "small");
        Files.writeString(f.resolveSibling("tokenizer_config.json"),
                "{\"bos_token\": {\"content\": \"<s>\"}, \"eos_token\": \"</s>\", \"add_bos_token\": true}");
        Files.writeString(f.resolveSibling("generation_config.json"), "{\"eos_token_id\": [3, 4]}");
        Vocabulary v = HfTokenizerJson.load(f);
        assertEquals(3, v.bos());
        assertEquals(4, v.eos());
        assertTrue(v.addBos());
        assertTrue(v.endOfGeneration().contains(3) && v.endOfGeneration().contains(4));
        assertArrayEquals(new int[] {3, 2}, Tokenizer.of(v).encode("ab", true, true));
    }

    @Test
    void unsupportedFormsAreRefusedWithTheField() throws Exception {
        ObjectNode fallback = smallTokenizerJson();
        ((ObjectNode) fallback.get("model")).put("byte_fallback", true);
        assertRefused(fallback, "model.byte_fallback");

        ObjectNode metaspace = smallTokenizerJson();
        metaspace.putObject("pre_tokenizer").put("type", "Metaspace");
        assertRefused(metaspace, "pre_tokenizer");

        ObjectNode badMerge = smallTokenizerJson();
        ((ArrayNode) badMerge.get("model").get("merges")).add("nospace");
        assertRefused(badMerge, "model.merges[1]");

        ObjectNode wordPiece = smallTokenizerJson();
        ((ObjectNode) wordPiece.get("model")).put("type", "WordPiece");
        assertRefused(wordPiece, "model.type");

        Path bad = tmp.resolve("broken.json");
        Files.writeString(bad, "{\"model\": ");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfTokenizerJson.load(bad));
        assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
    }

    private void assertRefused(ObjectNode json, String field) throws Exception {
        Path f = write(json, "refused" + field.hashCode());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfTokenizerJson.load(f));
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains("tokenizer.json"), e.getMessage());
    }

    /** Tokens a, b, ab, <s>, </s>; one merge. */
    private static ObjectNode smallTokenizerJson() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"added_tokens": [{"id": 3, "content": "<s>", "special": true},
                                  {"id": 4, "content": "</s>", "special": true}],
                 "normalizer": null,
                 "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
                 "decoder": {"type": "ByteLevel"},
                 "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}}
                """);
    }
}
