/*
 * A model golden: llama.cpp's logits (top-K per prompt position, with the RMS of all logits as the
 * scale) and greedy continuation for one model file, with the file's SHA-256 and how it was made.
 * Written by llama.cpp's dumper (tools/llama-cpp/logits.cpp) in regeneration mode, read by the tests.
 */
package dev.vireo.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** llama.cpp's answer for one model and prompt. */
public record Golden(String model, String sha256, String producer, int[] prompt, List<Position> positions, int[] greedy) {

    /** Position {@code pos}: the top ids with their logits, and the RMS of all logits there. */
    public record Position(int pos, double rms, int[] ids, float[] logits) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final String PRODUCER = "llama.cpp v0.5.0 (de3ff81) via node-llama-cpp 3.22.1 prebuilt libllama, "
            + "tools/llama-cpp/logits.cpp";

    /** Where goldens live in the source tree (regeneration writes there). */
    public static Path sourceDir() {
        return Path.of(System.getProperty("vireo.core.dir", "."), "src/test/resources/goldens");
    }

    /** Whether this run should regenerate goldens instead of checking against them. */
    public static boolean regenerating() {
        return Boolean.getBoolean("vireo.goldens.regenerate");
    }

    public static Golden read(String name) {
        Path file = sourceDir().resolve(name + ".json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no golden " + file + ": regenerate with tools/goldens/regenerate.sh");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            List<Position> positions = new ArrayList<>();
            for (JsonNode p : root.get("positions")) {
                JsonNode top = p.get("top");
                int[] ids = new int[top.size()];
                float[] logits = new float[top.size()];
                for (int i = 0; i < top.size(); i++) {
                    ids[i] = top.get(i).get(0).asInt();
                    logits[i] = (float) top.get(i).get(1).asDouble();
                }
                positions.add(new Position(p.get("pos").asInt(), p.get("rms").asDouble(), ids, logits));
            }
            return new Golden(root.get("model").asText(), root.get("sha256").asText(), root.get("producer").asText(),
                    ints(root.get("prompt")), positions, ints(root.get("greedy")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    /** Runs llama.cpp's dumper on {@code model} and writes the golden {@code name}.json into the source tree. */
    public static void regenerate(String name, Path model, int[] prompt, int greedyTokens) {
        Path tool = LlamaCpp.require().resolve("bin/vireo-llama-logits");
        if (!Files.isExecutable(tool)) {
            throw new IllegalStateException(tool + " missing: run tools/llama-cpp/build-logits.sh");
        }
        StringBuilder ids = new StringBuilder();
        for (int id : prompt) {
            ids.append(ids.isEmpty() ? "" : ",").append(id);
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(tool.toString(), "-m", model.toString(), "--ids", ids.toString(),
                    "--top", "10", "--gen", Integer.toString(greedyTokens), "-t", "2")
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            // The prebuilt CPU backends sit beside libllama; the best one for the machine is picked.
            pb.environment().put("LLAMA_BACKEND_DIR", LlamaCpp.require().resolve("lib").toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("llama.cpp dumper failed on " + model);
            }
            ObjectNode root = JSON.createObjectNode();
            root.put("model", model.getFileName().toString());
            root.put("sha256", TinyModels.sha256(model));
            root.put("producer", PRODUCER);
            ArrayNode pr = root.putArray("prompt");
            for (int id : prompt) {
                pr.add(id);
            }
            ArrayNode positions = root.putArray("positions");
            for (String line : out.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                if (node.has("greedy")) {
                    root.set("greedy", node.get("greedy"));
                } else {
                    positions.add(node);
                }
            }
            Files.createDirectories(sourceDir());
            JSON.writeValue(sourceDir().resolve(name + ".json").toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
