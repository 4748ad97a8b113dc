/*
 * Byte-exact comparison of our renders of real chat templates with Python jinja2's, set up as
 * transformers sets it up. Inputs are core/src/test/resources/chat/cases.json, expected outputs one JSON
 * file per template beside it (tools/chat-goldens/make-goldens.py wrote both; see its README). The
 * templates are llama.cpp's copies of the models' templates (not committed): read from
 * ${vireo.llamacpp.dir}/src/models/templates, skipped when absent unless CI=true, and checked against the
 * sha256 the goldens recorded so a changed template is reported as such. The ChatML fallback's goldens
 * need nothing outside the repository.
 */
package dev.vireo.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ChatTemplateGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The template goldens, one per file under resources/chat (cases.json is the shared input). */
    static final List<String> TEMPLATES = List.of(
            "meta-llama-Llama-3.1-8B-Instruct", "meta-llama-Llama-3.2-3B-Instruct",
            "meta-llama-Llama-3.3-70B-Instruct", "Qwen-Qwen2.5-7B-Instruct", "Qwen-Qwen3-0.6B", "Qwen-QwQ-32B",
            "Qwen3-Coder", "Qwen3.5-4B",
            "deepseek-ai-DeepSeek-R1-Distill-Llama-8B", "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B",
            "mistralai-Mistral-Nemo-Instruct-2407", "Mistral-Small-3.2-24B-Instruct-2506", "openai-gpt-oss-120b",
            "google-gemma-2-2b-it", "microsoft-Phi-3.5-mini-instruct");

    @TestFactory
    List<DynamicTest> modelTemplates() throws IOException {
        Map<String, Object> inputs = resource("cases.json");
        List<DynamicTest> tests = new ArrayList<>();
        for (String stem : TEMPLATES) {
            Map<String, Object> golden = resource(stem + ".json");
            String file = (String) golden.get("template");
            tests.add(DynamicTest.dynamicTest(stem, () -> {
                String source = llamaCppTemplate(file);
                assertEquals(golden.get("template_sha256"), sha256(source),
                        file + " differs from the one the goldens were made from: regenerate them"
                                + " (tools/chat-goldens/README.md)");
                checkAll(ChatTemplate.of(file, source, tokens(golden)), inputs, golden);
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> chatMlFallback() throws IOException {
        Map<String, Object> inputs = resource("cases.json");
        Map<String, Object> golden = resource("chatml-fallback.json");
        return List.of(DynamicTest.dynamicTest("chatml-fallback", () -> {
            assertEquals(golden.get("template_sha256"), sha256(ChatTemplate.CHATML_FALLBACK),
                    "ChatTemplate.CHATML_FALLBACK differs from the copy in make-goldens.py");
            checkAll(ChatTemplate.chatMlFallback(), inputs, golden);
        }));
    }

    /** Renders every case, collecting all mismatches so one run shows the whole picture. */
    @SuppressWarnings("unchecked")
    private static void checkAll(ChatTemplate template, Map<String, Object> inputs, Map<String, Object> golden) {
        LocalDateTime now = LocalDateTime.parse((String) inputs.get("now"));
        ChatTemplate fixed = template.withClock(Clock.fixed(now.toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
        Map<String, Object> results = (Map<String, Object>) golden.get("results");
        List<String> failures = new ArrayList<>();
        for (Object o : (List<Object>) inputs.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            String name = (String) c.get("name");
            Map<String, Object> expected = (Map<String, Object>) results.get(name);
            if (expected == null) {
                failures.add(name + ": no golden (regenerate)");
                continue;
            }
            String problem = check(fixed, c, expected);
            if (problem != null) {
                failures.add(name + ": " + problem);
            }
        }
        if (!failures.isEmpty()) {
            fail(template.name() + ": " + failures.size() + " of " + results.size() + " cases differ\n"
                    + String.join("\n", failures));
        }
    }

    @SuppressWarnings("unchecked")
    private static String check(ChatTemplate template, Map<String, Object> c, Map<String, Object> expected) {
        List<ChatMessage> messages = new ArrayList<>();
        for (Object m : (List<Object>) c.get("messages")) {
            messages.add(ChatMessage.fromMap((Map<String, Object>) m));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (c.get("variables") != null) {
            extra.putAll((Map<String, Object>) c.get("variables"));
        }
        if (c.get("tools") != null) {
            extra.put("tools", c.get("tools"));
        }
        boolean generationPrompt = (Boolean) c.get("add_generation_prompt");
        if (expected.containsKey("expected")) {
            try {
                String actual = template.render(messages, generationPrompt, extra);
                return describeDifference((String) expected.get("expected"), actual);
            } catch (ChatTemplateException e) {
                return "threw " + e.getMessage();
            }
        }
        Map<String, Object> error = (Map<String, Object>) expected.get("error");
        try {
            String actual = template.render(messages, generationPrompt, extra);
            return "Python raised " + error.get("type") + ": " + error.get("message") + ", we rendered "
                    + quote(actual.length() > 200 ? actual.substring(0, 200) + "..." : actual);
        } catch (ChatTemplateException e) {
            if ("TemplateError".equals(error.get("type"))) {
                if (!e.raisedByTemplate() || !error.get("message").equals(e.templateMessage())) {
                    return "expected raise_exception(" + quote((String) error.get("message")) + "), got " + e.getMessage();
                }
            }
            return null;   // Python's own errors (TypeError, UndefinedError): any failure will do
        }
    }

    static String describeDifference(String expected, String actual) {
        if (expected.equals(actual)) {
            return null;
        }
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 40);
        return "first difference at char " + i + " (expected length " + expected.length() + ", actual "
                + actual.length() + ")\n    expected: " + quote(expected.substring(from, Math.min(expected.length(), i + 60)))
                + "\n    actual:   " + quote(actual.substring(from, Math.min(actual.length(), i + 60)));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r") + '"';
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tokens(Map<String, Object> golden) {
        return (Map<String, Object>) golden.get("special_tokens");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resource(String name) throws IOException {
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream("/chat/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource chat/" + name);
            }
            return JSON.readValue(in, Map.class);
        }
    }

    /** The template text from llama.cpp's source tree; skips (or fails under CI=true) when it is absent. */
    static String llamaCppTemplate(String file) throws IOException {
        String dir = System.getProperty("vireo.llamacpp.dir", ".cache/llama.cpp");
        Path path = Path.of(dir, "src", "models", "templates", file);
        boolean present = Files.isRegularFile(path);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + path + " is missing: run tools/llama-cpp/fetch.sh");
        }
        assumeTrue(present, () -> path + " absent (tools/llama-cpp/fetch.sh fetches it)");
        return Files.readString(path, StandardCharsets.UTF_8);
    }

    static String sha256(String text) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    /** Sanity check of the comparison helper itself. */
    @org.junit.jupiter.api.Test
    void differenceIsReportedAtTheFirstDivergingChar() {
        assertTrue(describeDifference("abcdef", "abcXef").startsWith("first difference at char 3"));
        assertEquals(null, describeDifference("same", "same"));
        assertThrows(NullPointerException.class, () -> describeDifference(null, "x"));
    }
}
