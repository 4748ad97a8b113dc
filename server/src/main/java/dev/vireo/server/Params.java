/*
 * Typed, validated reads of request fields, shared by the endpoints: each wrong type or value is a
 * 400 naming the parameter, as OpenAI answers. Also the sampling settings every endpoint takes.
 */
package dev.vireo.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.sample.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Field readers over a request object. */
final class Params {
    private final ObjectNode body;

    Params(ObjectNode body) {
        this.body = body;
    }

    ObjectNode body() {
        return body;
    }

    boolean has(String name) {
        JsonNode n = body.get(name);
        return n != null && !n.isNull();
    }

    JsonNode node(String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    String string(String name, String fallback) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(name, "'" + name + "' must be a string.");
        }
        return n.asText();
    }

    boolean bool(String name, boolean fallback) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest(name, "'" + name + "' must be a boolean.");
        }
        return n.asBoolean();
    }

    long integer(String name, long fallback, long min, long max) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.badRequest(name, "'" + name + "' must be an integer.");
        }
        long v = n.asLong();
        if (v < min || v > max) {
            throw ApiException.badRequest(name, "'" + name + "' must be between " + min + " and " + max + ", got " + v
                    + ".");
        }
        return v;
    }

    double number(String name, double fallback, double min, double max) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw ApiException.badRequest(name, "'" + name + "' must be a number.");
        }
        double v = n.asDouble();
        if (!(v >= min && v <= max)) {
            throw ApiException.badRequest(name, "'" + name + "' must be between " + min + " and " + max + ", got " + v
                    + ".");
        }
        return v;
    }

    /** {@code stop}: a string or up to 4 non-empty strings. */
    List<String> stop() {
        JsonNode n = node("stop");
        List<String> stop = new ArrayList<>();
        if (n == null) {
            return stop;
        }
        if (n.isTextual()) {
            stop.add(n.asText());
        } else if (n.isArray() && n.size() <= 4) {
            for (JsonNode s : n) {
                if (!s.isTextual()) {
                    throw ApiException.badRequest("stop", "'stop' must be a string or an array of strings.");
                }
                stop.add(s.asText());
            }
        } else {
            throw ApiException.badRequest("stop", "'stop' must be a string or an array of at most 4 strings.");
        }
        if (stop.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badRequest("stop", "Stop strings must not be empty.");
        }
        return stop;
    }

    /**
     * temperature (default 1), top_p (default 1), presence and frequency penalties, seed (random when
     * absent). Temperature 0 is greedy.
     */
    SamplingParams sampling() {
        float temperature = (float) number("temperature", 1, 0, 2);
        float topP = (float) number("top_p", 1, 0, 1);
        float presence = (float) number("presence_penalty", 0, -2, 2);
        float frequency = (float) number("frequency_penalty", 0, -2, 2);
        long seed = has("seed") ? integer("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE)
                : ThreadLocalRandom.current().nextLong();
        return new SamplingParams(temperature, 0, topP <= 0 ? Float.MIN_VALUE : topP, 0f, 1f, presence, frequency, 64,
                seed);
    }

    /** The model field, checked against the served model (404 for another). */
    void checkModel(String served) {
        String model = string("model", null);
        if (model != null && !model.equals(served)) {
            throw ApiException.notFound("model_not_found", "model", "The model '" + model
                    + "' does not exist; this server serves '" + served + "'.");
        }
    }
}
