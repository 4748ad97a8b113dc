/*
 * /v1/chat/completions and /v1/completions: request validation, prompt building through the model's
 * ChatFormat, submission of the n choices to the engine, and the answer as one JSON object or as
 * server-sent events (chat.completion.chunk / text_completion chunks, then "data: [DONE]"), following
 * OpenAI's API reference. /v1/responses is in Responses.
 */
package dev.vireo.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ToolCall;
import dev.vireo.generate.StopReason;
import dev.vireo.sample.SamplingParams;
import dev.vireo.serve.ParsedMessage;
import dev.vireo.serve.SequenceOutcome;
import dev.vireo.serve.TemplateChatFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** The completion endpoints. */
final class Endpoints {
    /**
     * Silence after which a stream gets a keep-alive comment. Writing is the only way to notice that
     * a client has gone, so a request still queued or prefilling is written to every second: a
     * dropped client is noticed within about two seconds and its request leaves the queue unrun.
     */
    static final long KEEP_ALIVE_MS = 1000;

    private final OpenAiServer server;
    final Responses responses;

    Endpoints(OpenAiServer server) {
        this.server = server;
        this.responses = new Responses(server, this);
    }

    static String id(String prefix) {
        return prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
    }

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    // ---- shared request pieces ----

    /** max_tokens / max_completion_tokens (or another name), checked against the limit and the context. */
    int maxTokens(Params p, int promptLength, String... names) {
        int limit = server.options().maxTokens();
        int room = server.engine().options().contextLength() - promptLength;
        if (room <= 0) {
            throw ApiException.badRequest("messages", "context_length_exceeded", "The prompt has " + promptLength
                    + " tokens but this model's context holds " + server.engine().options().contextLength()
                    + "; shorten it.");
        }
        for (String name : names) {
            if (p.has(name)) {
                return (int) p.integer(name, 0, 0, limit);
            }
        }
        return Math.min(limit, room);
    }

    /** n choices, each with its own seed (seed + i) so that n > 1 gives different samples. */
    List<SamplingParams> choices(Params p) {
        int n = (int) p.integer("n", 1, 1, server.options().maxChoices());
        SamplingParams base = p.sampling();
        List<SamplingParams> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(base.withSeed(base.seed() + i));
        }
        return out;
    }

    static void rejectUnsupported(Params p, String... names) {
        for (String name : names) {
            JsonNode n = p.node(name);
            if (n != null && !(n.isBoolean() && !n.asBoolean()) && !(n.isNumber() && n.asInt() == 0)) {
                throw ApiException.badRequest(name, "'" + name + "' is not supported by this server.");
            }
        }
    }

    static String finishReason(SequenceOutcome o, ParsedMessage m) {
        if (!m.toolCalls().isEmpty()) {
            return "tool_calls";
        }
        return o.reason() == StopReason.MAX_TOKENS || o.reason() == StopReason.CONTEXT_FULL ? "length" : "stop";
    }

    static ObjectNode usage(Generation.Done[] done) {
        int prompt = 0;
        int cached = 0;
        int completion = 0;
        for (Generation.Done d : done) {
            prompt = d.outcome().promptTokens();
            cached = Math.max(cached, d.outcome().cachedPromptTokens());
            completion += d.outcome().generatedTokens();
        }
        ObjectNode u = Http.JSON.createObjectNode();
        u.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
        u.putObject("prompt_tokens_details").put("cached_tokens", cached);
        return u;
    }

    static void failIfErrored(Generation.Done[] done) {
        for (Generation.Done d : done) {
            if (d.outcome().error() != null) {
                throw ApiException.internal("generation failed: " + d.outcome().error());
            }
        }
    }

    /** The messages array as ChatMessages (content parts joined, tool-call arguments parsed). */
    static List<ChatMessage> messages(JsonNode array, String param) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw ApiException.badRequest(param, "'" + param + "' must be a non-empty array of messages.");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : array) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw ApiException.badRequest(param, "Each message must be an object with a string 'role'.");
            }
            String role = m.get("role").asText();
            if (!List.of("system", "developer", "user", "assistant", "tool").contains(role)) {
                throw ApiException.badRequest(param, "Unknown role '" + role + "'.");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = Http.JSON.convertValue(m, LinkedHashMap.class);
            map.put("role", role.equals("developer") ? "system" : role);
            JsonNode content = m.get("content");
            if (content != null && content.isArray()) {
                map.put("content", text(content, param));
            } else if (content != null && !content.isTextual() && !content.isNull()) {
                throw ApiException.badRequest(param, "A message's content must be a string or an array of parts.");
            }
            if (m.has("tool_calls") && m.get("tool_calls").isArray()) {
                List<Object> calls = new ArrayList<>();
                for (JsonNode c : m.get("tool_calls")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> call = Http.JSON.convertValue(c, LinkedHashMap.class);
                    if (c.path("function").path("arguments").isTextual()) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> function = (Map<String, Object>) call.get("function");
                        function.put("arguments", arguments(c.path("function").path("arguments").asText()));
                    }
                    calls.add(call);
                }
                map.put("tool_calls", calls);
            }
            out.add(ChatMessage.fromMap(map));
        }
        return out;
    }

    /** Text parts joined; other part types are refused (this server reads text only). */
    static String text(JsonNode parts, String param) {
        StringBuilder b = new StringBuilder();
        for (JsonNode part : parts) {
            String type = part.path("type").asText();
            if (!List.of("text", "input_text", "output_text").contains(type) || !part.path("text").isTextual()) {
                throw ApiException.badRequest(param, "Only text content parts are supported, got '" + type + "'.");
            }
            b.append(part.get("text").asText());
        }
        return b.toString();
    }

    /** Tool-call arguments as a map when they are a JSON object (templates expect one), else the text. */
    static Object arguments(String json) {
        try {
            JsonNode n = Http.JSON.readTree(json);
            if (n != null && n.isObject()) {
                return Http.JSON.convertValue(n, LinkedHashMap.class);
            }
        } catch (IOException e) {
            // not JSON: hand the text to the template as it is
        }
        return json;
    }

    /** Chat Completions tools: [{"type": "function", "function": {"name", "description", "parameters"}}]. */
    static List<Map<String, Object>> tools(JsonNode tools) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (tools == null) {
            return out;
        }
        if (!tools.isArray()) {
            throw ApiException.badRequest("tools", "'tools' must be an array.");
        }
        for (JsonNode t : tools) {
            if (!"function".equals(t.path("type").asText()) || !t.path("function").path("name").isTextual()) {
                throw ApiException.badRequest("tools", "Each tool must be {\"type\": \"function\", \"function\": "
                        + "{\"name\": ...}}.");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = Http.JSON.convertValue(t, LinkedHashMap.class);
            out.add(map);
        }
        return out;
    }

    /** Template variables: chat_template_kwargs (as vLLM takes them) and reasoning_effort. */
    static Map<String, Object> templateOptions(Params p) {
        Map<String, Object> options = new LinkedHashMap<>();
        JsonNode kwargs = p.node("chat_template_kwargs");
        if (kwargs != null) {
            if (!kwargs.isObject()) {
                throw ApiException.badRequest("chat_template_kwargs", "'chat_template_kwargs' must be an object.");
            }
            Iterator<Map.Entry<String, JsonNode>> it = kwargs.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                options.put(e.getKey(), Http.JSON.convertValue(e.getValue(), Object.class));
            }
        }
        String effort = p.string("reasoning_effort", null);
        if (effort != null) {
            options.put("reasoning_effort", effort);
        }
        return options;
    }

    // ---- /v1/chat/completions ----

    void chat(HttpExchange ex, Params p) throws IOException, InterruptedException {
        p.checkModel(server.options().modelId());
        rejectUnsupported(p, "logprobs", "top_logprobs", "audio", "prediction");
        List<ChatMessage> messages = messages(p.node("messages"), "messages");
        List<Map<String, Object>> tools = tools(p.node("tools"));
        JsonNode choice = p.node("tool_choice");
        boolean offerTools = !tools.isEmpty() && !(choice != null && choice.isTextual() && choice.asText().equals("none"));
        boolean stream = p.bool("stream", false);
        boolean includeUsage = stream && p.node("stream_options") != null
                && p.node("stream_options").path("include_usage").asBoolean(false);
        List<String> stop = p.stop();
        List<SamplingParams> sampling = choices(p);
        int[] prompt = server.format().prompt(messages, offerTools ? tools : List.of(), templateOptions(p));
        int maxTokens = maxTokens(p, prompt.length, "max_completion_tokens", "max_tokens");

        List<int[]> prompts = new ArrayList<>();
        sampling.forEach(s -> prompts.add(prompt));
        Generation g = new Generation(server.engine(), prompts, maxTokens, sampling,
                server.format().parsesEndOfGeneration(), sink -> server.format().parser(stop, offerTools, sink));
        String id = id("chatcmpl-");
        long created = now();
        if (!stream) {
            Generation.Done[] done = g.await();
            failIfErrored(done);
            ObjectNode root = Http.JSON.createObjectNode();
            root.put("id", id).put("object", "chat.completion").put("created", created)
                    .put("model", server.options().modelId()).put("system_fingerprint", "vireo");
            ArrayNode choices = root.putArray("choices");
            for (Generation.Done d : done) {
                ObjectNode c = choices.addObject();
                c.put("index", d.index());
                c.set("message", message(d.message()));
                c.putNull("logprobs");
                c.put("finish_reason", finishReason(d.outcome(), d.message()));
            }
            root.set("usage", usage(done));
            Http.json(ex, 200, root);
            return;
        }
        Http.Sse sse = new Http.Sse(ex);
        try {
            for (int i = 0; i < g.choices(); i++) {
                ObjectNode delta = Http.JSON.createObjectNode().put("role", "assistant").put("content", "");
                sse.data(chunk(id, created, i, delta, null));
            }
            Generation.Done[] done = new Generation.Done[g.choices()];
            int left = g.choices();
            while (left > 0) {
                Generation.Event e = g.next(KEEP_ALIVE_MS);
                switch (e) {
                    case null -> sse.keepAlive();
                    case Generation.Content c -> sse.data(chunk(id, created, c.index(),
                            Http.JSON.createObjectNode().put("content", c.text()), null));
                    case Generation.Reasoning r -> sse.data(chunk(id, created, r.index(),
                            Http.JSON.createObjectNode().put("reasoning_content", r.text()), null));
                    case Generation.Done d -> {
                        done[d.index()] = d;
                        left--;
                        if (d.outcome().error() != null) {
                            sse.data(Http.errorBody(ApiException.internal("generation failed: " + d.outcome().error())));
                            return;
                        }
                        if (!d.message().toolCalls().isEmpty()) {
                            ObjectNode delta = Http.JSON.createObjectNode();
                            ArrayNode calls = delta.putArray("tool_calls");
                            int k = 0;
                            for (ToolCall call : d.message().toolCalls()) {
                                ObjectNode tc = toolCall(call);
                                tc.put("index", k++);
                                calls.add(tc);
                            }
                            sse.data(chunk(id, created, d.index(), delta, null));
                        }
                        sse.data(chunk(id, created, d.index(), Http.JSON.createObjectNode(),
                                finishReason(d.outcome(), d.message())));
                    }
                }
            }
            if (includeUsage) {
                ObjectNode last = chunkBase(id, created);
                last.putArray("choices");
                last.set("usage", usage(done));
                sse.data(last);
            }
            sse.done();
        } catch (IOException e) {
            g.cancel();   // the client went away: free its sequences now
            throw e;
        } finally {
            sse.close();
        }
    }

    private ObjectNode chunkBase(String id, long created) {
        return Http.JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", server.options().modelId()).put("system_fingerprint", "vireo");
    }

    private ObjectNode chunk(String id, long created, int index, ObjectNode delta, String finishReason) {
        ObjectNode root = chunkBase(id, created);
        ObjectNode c = root.putArray("choices").addObject();
        c.put("index", index);
        c.set("delta", delta);
        c.putNull("logprobs");
        if (finishReason == null) {
            c.putNull("finish_reason");
        } else {
            c.put("finish_reason", finishReason);
        }
        return root;
    }

    static ObjectNode toolCall(ToolCall call) {
        ObjectNode tc = Http.JSON.createObjectNode();
        tc.put("id", call.id()).put("type", "function");
        tc.putObject("function").put("name", call.name()).put("arguments", String.valueOf(call.arguments()));
        return tc;
    }

    private static ObjectNode message(ParsedMessage m) {
        ObjectNode msg = Http.JSON.createObjectNode().put("role", "assistant");
        if (m.content().isEmpty() && !m.toolCalls().isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", m.content());
        }
        msg.putNull("refusal");
        if (!m.reasoning().isEmpty()) {
            msg.put("reasoning_content", m.reasoning());
        }
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = msg.putArray("tool_calls");
            m.toolCalls().forEach(c -> calls.add(toolCall(c)));
        }
        msg.putArray("annotations");
        return msg;
    }

    // ---- /v1/completions ----

    void completions(HttpExchange ex, Params p) throws IOException, InterruptedException {
        p.checkModel(server.options().modelId());
        rejectUnsupported(p, "logprobs", "echo", "suffix");
        List<int[]> texts = completionPrompts(p.node("prompt"));
        boolean stream = p.bool("stream", false);
        boolean includeUsage = stream && p.node("stream_options") != null
                && p.node("stream_options").path("include_usage").asBoolean(false);
        List<String> stop = p.stop();
        List<SamplingParams> sampling = choices(p);
        int longest = texts.stream().mapToInt(t -> t.length).max().orElse(0);
        int maxTokens = p.has("max_tokens") ? maxTokens(p, longest, "max_tokens") : Math.min(16, maxTokens(p, longest));
        List<int[]> prompts = new ArrayList<>();
        List<SamplingParams> perChoice = new ArrayList<>();
        for (int[] t : texts) {
            for (SamplingParams s : sampling) {
                prompts.add(t);
                perChoice.add(s);
            }
        }
        Generation g = new Generation(server.engine(), prompts, maxTokens, perChoice, false,
                sink -> TemplateChatFormat.plain(server.model().tokenizer(), stop, sink));
        String id = id("cmpl-");
        long created = now();
        if (!stream) {
            Generation.Done[] done = g.await();
            failIfErrored(done);
            ObjectNode root = completionBase(id, created);
            ArrayNode choices = root.putArray("choices");
            for (Generation.Done d : done) {
                ObjectNode c = choices.addObject();
                c.put("text", d.message().content()).put("index", d.index()).putNull("logprobs");
                c.put("finish_reason", finishReason(d.outcome(), d.message()));
            }
            root.set("usage", completionUsage(done, texts));
            Http.json(ex, 200, root);
            return;
        }
        Http.Sse sse = new Http.Sse(ex);
        try {
            Generation.Done[] done = new Generation.Done[g.choices()];
            int left = g.choices();
            while (left > 0) {
                Generation.Event e = g.next(KEEP_ALIVE_MS);
                switch (e) {
                    case null -> sse.keepAlive();
                    case Generation.Content c -> sse.data(completionChunk(id, created, c.index(), c.text(), null));
                    case Generation.Reasoning r -> { }
                    case Generation.Done d -> {
                        done[d.index()] = d;
                        left--;
                        sse.data(completionChunk(id, created, d.index(), "", finishReason(d.outcome(), d.message())));
                    }
                }
            }
            if (includeUsage) {
                ObjectNode last = completionBase(id, created);
                last.putArray("choices");
                last.set("usage", completionUsage(done, texts));
                sse.data(last);
            }
            sse.done();
        } catch (IOException e) {
            g.cancel();
            throw e;
        } finally {
            sse.close();
        }
    }

    /** prompt: a string, an array of strings, an array of token ids, or an array of such arrays. */
    private List<int[]> completionPrompts(JsonNode prompt) {
        List<int[]> out = new ArrayList<>();
        if (prompt == null) {
            throw ApiException.badRequest("prompt", "'prompt' is required.");
        }
        if (prompt.isTextual()) {
            out.add(server.model().tokenize(prompt.asText(), true));
        } else if (prompt.isArray() && !prompt.isEmpty() && prompt.get(0).isIntegralNumber()) {
            out.add(ids(prompt));
        } else if (prompt.isArray() && !prompt.isEmpty() && prompt.size() <= 16) {
            for (JsonNode n : prompt) {
                if (n.isTextual()) {
                    out.add(server.model().tokenize(n.asText(), true));
                } else if (n.isArray()) {
                    out.add(ids(n));
                } else {
                    throw ApiException.badRequest("prompt", "'prompt' entries must be strings or arrays of token ids.");
                }
            }
        } else {
            throw ApiException.badRequest("prompt", "'prompt' must be a string, an array of up to 16 strings, or token ids.");
        }
        for (int[] t : out) {
            if (t.length == 0) {
                throw ApiException.badRequest("prompt", "The prompt is empty.");
            }
        }
        return out;
    }

    private int[] ids(JsonNode array) {
        int vocab = server.model().tokenizer().vocabularySize();
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode n = array.get(i);
            if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() >= vocab) {
                throw ApiException.badRequest("prompt", "Token ids must be integers in 0.." + (vocab - 1) + ".");
            }
            ids[i] = n.asInt();
        }
        return ids;
    }

    private ObjectNode completionBase(String id, long created) {
        return Http.JSON.createObjectNode().put("id", id).put("object", "text_completion").put("created", created)
                .put("model", server.options().modelId()).put("system_fingerprint", "vireo");
    }

    private ObjectNode completionChunk(String id, long created, int index, String text, String finishReason) {
        ObjectNode root = completionBase(id, created);
        ObjectNode c = root.putArray("choices").addObject();
        c.put("text", text).put("index", index).putNull("logprobs");
        if (finishReason == null) {
            c.putNull("finish_reason");
        } else {
            c.put("finish_reason", finishReason);
        }
        return root;
    }

    private static ObjectNode completionUsage(Generation.Done[] done, List<int[]> prompts) {
        int prompt = prompts.stream().mapToInt(t -> t.length).sum();
        int completion = 0;
        for (Generation.Done d : done) {
            completion += d.outcome().generatedTokens();
        }
        return Http.JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }
}
