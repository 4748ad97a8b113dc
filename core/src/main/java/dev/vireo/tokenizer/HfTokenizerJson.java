/*
 * Builds a Vocabulary from a Hugging Face tokenizer.json (the "tokenizers" library format) for
 * byte-level BPE models (Llama 3, Qwen 2/3, GPT-2, gpt-oss): model.type "BPE" with its vocab and merges
 * (either "a b" strings or ["a", "b"] pairs), added_tokens (special → CONTROL, others USER_DEFINED),
 * the pre-tokenizer (Split patterns with behaviour Isolated, then ByteLevel, optionally with GPT-2's
 * own pattern), an optional NFC normalizer, and BOS/EOS from the TemplateProcessing post-processor.
 * tokenizer_config.json and generation_config.json beside the file, when present, name BOS/EOS, the
 * add-BOS/EOS flags and further end-of-generation ids. Anything else (SentencePiece-style BPE with
 * byte fallback, other normalizers or pre-tokenizers) is refused with a ModelFormatException.
 * Tested in HfTokenizerJsonTest against the GGUF vocabulary the same tokenizer came from.
 */
package dev.vireo.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vireo.io.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a byte-level BPE vocabulary out of a Hugging Face {@code tokenizer.json}. */
public final class HfTokenizerJson {
    private HfTokenizerJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The vocabulary of {@code tokenizerJson}, with tokenizer_config.json and generation_config.json
     * from the same directory when they exist.
     *
     * @throws ModelFormatException if a file is not valid JSON or describes a tokenizer this library
     *     does not implement; the message names the file and the field
     * @throws IOException if a file cannot be read
     */
    public static Vocabulary load(Path tokenizerJson) throws IOException {
        JsonNode root = read(tokenizerJson);
        Path dir = tokenizerJson.toAbsolutePath().getParent();
        Path config = dir.resolve("tokenizer_config.json");
        Path generation = dir.resolve("generation_config.json");
        return fromJson(root, Files.isRegularFile(config) ? read(config) : null,
                Files.isRegularFile(generation) ? read(generation) : null, tokenizerJson.toString());
    }

    private static JsonNode read(Path file) throws IOException {
        try {
            return JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ModelFormatException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The vocabulary of a parsed tokenizer.json.
     *
     * @param config tokenizer_config.json, or null
     * @param generation generation_config.json, or null
     * @param source the file name, for messages
     */
    public static Vocabulary fromJson(JsonNode root, JsonNode config, JsonNode generation, String source) {
        Ctx c = new Ctx(source);
        JsonNode model = c.object(root, "model");
        String type = model.path("type").asText("");
        if (!type.equals("BPE")) {
            throw c.error("model.type", "is '" + type + "'; only BPE is supported");
        }
        if (model.path("byte_fallback").asBoolean(false)) {
            throw c.error("model.byte_fallback", "is true: a SentencePiece-style BPE; load its GGUF instead");
        }

        // Ids: the vocab, then added tokens (which may extend it).
        Map<Integer, String> byId = new HashMap<>();
        JsonNode vocab = c.object(model, "vocab");
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            byId.put(c.id("model.vocab[\"" + e.getKey() + "\"]", e.getValue()), e.getKey());
        }
        Map<Integer, TokenType> addedTypes = new HashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            int id = c.id("added_tokens[].id", t.path("id"));
            String content = t.path("content").asText("");
            if (content.isEmpty()) {
                throw c.error("added_tokens[" + id + "].content", "is missing or empty");
            }
            byId.put(id, content);
            addedTypes.put(id, t.path("special").asBoolean(false) ? TokenType.CONTROL : TokenType.USER_DEFINED);
        }
        if (byId.isEmpty()) {
            throw c.error("model.vocab", "is empty");
        }
        int n = byId.keySet().stream().mapToInt(Integer::intValue).max().getAsInt() + 1;
        if (n > byId.size() + 65_536) {
            throw c.error("model.vocab", "has ids up to " + (n - 1) + " for only " + byId.size() + " tokens");
        }
        List<String> tokens = new ArrayList<>(n);
        TokenType[] types = new TokenType[n];
        for (int id = 0; id < n; id++) {
            String text = byId.get(id);
            // An id no entry names cannot be produced; it gets a unique placeholder.
            tokens.add(text != null ? text : "[UNUSED_" + id + "]");
            types[id] = text == null ? TokenType.UNUSED : addedTypes.getOrDefault(id, TokenType.NORMAL);
        }
        Map<String, Integer> ids = new HashMap<>(n * 2);
        for (int id = 0; id < n; id++) {
            ids.put(tokens.get(id), id);
        }

        List<String> merges = new ArrayList<>();
        JsonNode ms = model.path("merges");
        for (int i = 0; i < ms.size(); i++) {
            JsonNode m = ms.get(i);
            String left;
            String right;
            if (m.isTextual()) {
                String s = m.asText();
                int sp = s.indexOf(' ', 1);
                if (sp < 0) {
                    throw c.error("model.merges[" + i + "]", "'" + s + "' is not two pieces separated by a space");
                }
                left = s.substring(0, sp);
                right = s.substring(sp + 1);
            } else if (m.isArray() && m.size() == 2 && m.get(0).isTextual() && m.get(1).isTextual()) {
                left = m.get(0).asText();
                right = m.get(1).asText();
            } else {
                throw c.error("model.merges[" + i + "]", "should be \"a b\" or [\"a\", \"b\"], found " + m);
            }
            if (left.isEmpty() || right.isEmpty() || left.indexOf(' ', 1) >= 0) {
                throw c.error("model.merges[" + i + "]", "pieces '" + left + "', '" + right + "' cannot be represented");
            }
            merges.add(left + " " + right);
        }

        List<String> regexes = preTokenizer(c, root.path("pre_tokenizer"));
        String normalizer = normalizer(c, root.path("normalizer"));
        JsonNode decoder = root.path("decoder");
        if (!decoder.isMissingNode() && !decoder.isNull() && !hasType(decoder, "ByteLevel")) {
            throw c.error("decoder", "is " + decoder.path("type").asText("?") + "; only ByteLevel is supported");
        }

        // BOS/EOS: the post-processor's template, then tokenizer_config.json.
        int bos = Vocabulary.NONE;
        int eos = Vocabulary.NONE;
        boolean addBos = false;
        boolean addEos = false;
        JsonNode template = findType(root.path("post_processor"), "TemplateProcessing");
        if (template != null) {
            JsonNode single = template.path("single");
            int seq = -1;
            for (int i = 0; i < single.size(); i++) {
                if (single.get(i).has("Sequence")) {
                    seq = i;
                }
            }
            for (int i = 0; i < single.size(); i++) {
                JsonNode st = single.get(i).path("SpecialToken");
                if (st.isMissingNode()) {
                    continue;
                }
                int id = c.known(ids, "post_processor.single[" + i + "]", st.path("id").asText(""));
                if (i < seq) {
                    bos = id;
                    addBos = true;
                } else {
                    eos = id;
                    addEos = true;
                }
            }
        }
        Set<Integer> extraEog = new LinkedHashSet<>();
        if (config != null) {
            String b = tokenContent(config.path("bos_token"));
            String e = tokenContent(config.path("eos_token"));
            if (b != null) {
                bos = c.known(ids, "tokenizer_config.json bos_token", b);
            }
            if (e != null) {
                eos = c.known(ids, "tokenizer_config.json eos_token", e);
            }
            if (config.path("add_bos_token").isBoolean()) {
                addBos = config.path("add_bos_token").asBoolean();
            }
            if (config.path("add_eos_token").isBoolean()) {
                addEos = config.path("add_eos_token").asBoolean();
            }
        }
        if (generation != null) {
            JsonNode g = generation.path("eos_token_id");
            for (JsonNode id : g.isArray() ? g : List.of(g)) {
                if (id.canConvertToInt()) {
                    extraEog.add(c.id("generation_config.json eos_token_id", id));
                }
            }
        }
        if (addBos && bos == Vocabulary.NONE) {
            throw c.error("tokenizer_config.json add_bos_token", "is true but no BOS token is named");
        }
        if (addEos && eos == Vocabulary.NONE) {
            throw c.error("tokenizer_config.json add_eos_token", "is true but no EOS token is named");
        }
        int unk = Vocabulary.NONE;
        if (model.path("unk_token").isTextual()) {
            unk = c.known(ids, "model.unk_token", model.path("unk_token").asText());
        }

        SpecialTokenRules.Result rules = SpecialTokenRules.apply(t -> ids.getOrDefault(t, -1), types, eos,
                Vocabulary.NONE, Vocabulary.NONE);
        Set<Integer> eog = new LinkedHashSet<>(rules.endOfGeneration());
        for (int id : extraEog) {
            if (id >= n) {
                throw c.error("generation_config.json eos_token_id", id + " is outside the vocabulary of " + n + " tokens");
            }
            eog.add(id);
        }
        return Vocabulary.builder(Vocabulary.MODEL_BYTE_LEVEL_BPE, tokens)
                .pre("tokenizer.json")
                .preRegexes(regexes)
                .types(Arrays.asList(types))
                .merges(merges)
                .bos(bos).eos(eos).eot(rules.eot()).eom(rules.eom()).unk(unk)
                .addBos(addBos).addEos(addEos)
                .ignoreMerges(model.path("ignore_merges").asBoolean(false))
                .endOfGeneration(eog)
                .normalizer(normalizer)
                .build();
    }

    /** The split patterns of the pre-tokenizer; it must end in byte-level encoding. */
    private static List<String> preTokenizer(Ctx c, JsonNode pre) {
        List<JsonNode> steps = new ArrayList<>();
        if (hasType(pre, "Sequence")) {
            pre.path("pretokenizers").forEach(steps::add);
        } else if (!pre.isMissingNode() && !pre.isNull()) {
            steps.add(pre);
        }
        List<String> regexes = new ArrayList<>();
        boolean byteLevel = false;
        for (JsonNode step : steps) {
            String type = step.path("type").asText("");
            if (byteLevel) {
                throw c.error("pre_tokenizer", "has " + type + " after ByteLevel; not supported");
            }
            switch (type) {
                case "Split" -> {
                    if (!step.path("behavior").asText("").equals("Isolated") || step.path("invert").asBoolean(false)) {
                        throw c.error("pre_tokenizer.Split", "behavior " + step.path("behavior").asText("?")
                                + (step.path("invert").asBoolean(false) ? " inverted" : "") + "; only Isolated is supported");
                    }
                    JsonNode pattern = step.path("pattern");
                    if (pattern.path("Regex").isTextual()) {
                        regexes.add(pattern.path("Regex").asText());
                    } else if (pattern.path("String").isTextual()) {
                        regexes.add(java.util.regex.Pattern.quote(pattern.path("String").asText()));
                    } else {
                        throw c.error("pre_tokenizer.Split.pattern", "should hold a Regex or a String, found " + pattern);
                    }
                }
                case "ByteLevel" -> {
                    if (step.path("add_prefix_space").asBoolean(false)) {
                        throw c.error("pre_tokenizer.ByteLevel.add_prefix_space", "is true; not supported");
                    }
                    if (step.path("use_regex").asBoolean(true)) {
                        regexes.add(PreTokenizers.GPT2);
                    }
                    byteLevel = true;
                }
                default -> throw c.error("pre_tokenizer", "type '" + type + "' is not supported (Split, ByteLevel)");
            }
        }
        if (!byteLevel) {
            throw c.error("pre_tokenizer", "has no ByteLevel step: not a byte-level BPE tokenizer");
        }
        if (regexes.isEmpty()) {
            regexes.add("(?s).+"); // no splitting: the whole text is one word
        }
        return regexes;
    }

    private static String normalizer(Ctx c, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return "";
        }
        if (hasType(node, "NFC")) {
            return Vocabulary.NORMALIZER_NFC;
        }
        if (hasType(node, "Sequence") && node.path("normalizers").isEmpty()) {
            return "";
        }
        throw c.error("normalizer", "is " + node.path("type").asText("?") + "; supported: none, NFC");
    }

    /** A token named in tokenizer_config.json: a string, or an object with "content". */
    private static String tokenContent(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.path("content").isTextual()) {
            return node.path("content").asText();
        }
        return null;
    }

    private static boolean hasType(JsonNode node, String type) {
        return node.path("type").asText("").equals(type);
    }

    /** {@code node} itself or a member of its Sequence with this type, or null. */
    private static JsonNode findType(JsonNode node, String type) {
        if (hasType(node, type)) {
            return node;
        }
        if (hasType(node, "Sequence")) {
            for (JsonNode p : node.path("processors")) {
                if (hasType(p, type)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Error reporting with the file name. */
    private record Ctx(String source) {
        ModelFormatException error(String field, String problem) {
            return new ModelFormatException(source + ": " + field + " " + problem);
        }

        JsonNode object(JsonNode parent, String field) {
            JsonNode v = parent.path(field);
            if (!v.isObject()) {
                throw error(field, "is missing or not an object");
            }
            return v;
        }

        int id(String field, JsonNode v) {
            if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0) {
                throw error(field, "should be a non-negative integer id, found " + v);
            }
            return v.asInt();
        }

        int known(Map<String, Integer> ids, String field, String text) {
            Integer id = ids.get(text);
            if (id == null) {
                throw error(field, "names '" + text + "', which is not in the vocabulary");
            }
            return id;
        }
    }
}
