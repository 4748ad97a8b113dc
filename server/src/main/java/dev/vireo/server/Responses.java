/*
 * POST /v1/responses: the Responses API in the basic shape gpt-oss clients use. Input is a string or a
 * list of items (messages with text content, function_call and function_call_output items), with
 * optional instructions and function tools ({"type": "function", "name", "parameters"}). The answer is
 * a response object whose output holds a reasoning item (when the model thinks), a message with
 * output_text, and function_call items; streamed, it is the documented event sequence
 * (response.created, response.output_item.added, response.output_text.delta, ...,
 * response.completed). Stored responses (previous_response_id) are not kept: stateless only.
 */
package dev.vireo.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ToolCall;
import dev.vireo.generate.StopReason;
import dev.vireo.serve.ParsedMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Responses endpoint. */
final class Responses {
    private final OpenAiServer server;
    private final Endpoints endpoints;

    Responses(OpenAiServer server, Endpoints endpoints) {
        this.server = server;
        this.endpoints = endpoints;
    }

    void handle(HttpExchange ex, Params p) throws IOException, InterruptedException {
        p.checkModel(server.options().modelId());
        if (p.has("previous_response_id")) {
            throw ApiException.badRequest("previous_response_id", "This server does not store responses; send the "
                    + "whole conversation as input.");
        }
        String instructions = p.string("instructions", null);
        List<ChatMessage> messages = new ArrayList<>();
        if (instructions != null) {
            messages.add(ChatMessage.system(instructions));
        }
        messages.addAll(input(p.node("input")));
        List<Map<String, Object>> tools = tools(p.node("tools"));
        JsonNode choice = p.node("tool_choice");
        boolean offerTools = !tools.isEmpty() && !(choice != null && choice.isTextual() && choice.asText().equals("none"));
        Map<String, Object> options = Endpoints.templateOptions(p);
        JsonNode reasoning = p.node("reasoning");
        if (reasoning != null && reasoning.path("effort").isTextual()) {
            options.put("reasoning_effort", reasoning.get("effort").asText());
        }
        boolean stream = p.bool("stream", false);
        var sampling = p.sampling();
        int[] prompt = server.format().prompt(messages, offerTools ? tools : List.of(), options);
        int maxTokens = endpoints.maxTokens(p, prompt.length, "max_output_tokens");
        Generation g = new Generation(server.engine(), List.of(prompt), maxTokens, List.of(sampling),
                server.format().parsesEndOfGeneration(), sink -> server.format().parser(List.of(), offerTools, sink));

        ObjectNode response = base(p, sampling.temperature(), sampling.topP(), maxTokens);
        if (options.get("reasoning_effort") instanceof String effort) {
            ((ObjectNode) response.get("reasoning")).put("effort", effort);
        }
        if (!stream) {
            Generation.Done d = g.await()[0];
            Endpoints.failIfErrored(new Generation.Done[] {d});
            finish(response, d, Endpoints.id("rs_"), Endpoints.id("msg_"));
            Http.json(ex, 200, response);
            return;
        }
        Http.Sse sse = new Http.Sse(ex);
        Stream s = new Stream(sse);
        try {
            s.send("response.created", "response", response.deepCopy().put("status", "in_progress"));
            s.send("response.in_progress", "response", response.deepCopy().put("status", "in_progress"));
            while (true) {
                Generation.Event e = g.next(Endpoints.KEEP_ALIVE_MS);
                switch (e) {
                    case null -> sse.keepAlive();
                    case Generation.Reasoning r -> s.reasoning(r.text());
                    case Generation.Content c -> s.text(c.text());
                    case Generation.Done d -> {
                        if (d.outcome().error() != null) {
                            response.put("status", "failed");
                            response.putObject("error").put("code", "server_error")
                                    .put("message", String.valueOf(d.outcome().error()));
                            s.send("response.failed", "response", response);
                            return;
                        }
                        s.closeOpen();
                        for (ToolCall call : d.message().toolCalls()) {
                            s.functionCall(call);
                        }
                        finish(response, d, s.reasoningId, s.messageId);
                        s.send("response.completed", "response", response);
                        return;
                    }
                }
            }
        } catch (IOException e) {
            g.cancel();
            throw e;
        } finally {
            sse.close();
        }
    }

    /** The response object before any output. */
    private ObjectNode base(Params p, float temperature, float topP, int maxTokens) {
        ObjectNode r = Http.JSON.createObjectNode();
        r.put("id", Endpoints.id("resp_")).put("object", "response").put("created_at", Endpoints.now())
                .put("status", "in_progress").putNull("error").putNull("incomplete_details");
        if (p.has("instructions")) {
            r.put("instructions", p.string("instructions", null));
        } else {
            r.putNull("instructions");
        }
        r.put("max_output_tokens", maxTokens).put("model", server.options().modelId());
        r.putArray("output");
        r.put("parallel_tool_calls", true).putNull("previous_response_id");
        r.putObject("reasoning").putNull("effort").putNull("summary");
        r.put("store", false).put("temperature", temperature);
        r.putObject("text").putObject("format").put("type", "text");
        r.put("tool_choice", "auto");
        r.set("tools", p.node("tools") == null ? Http.JSON.createArrayNode() : p.node("tools").deepCopy());
        r.put("top_p", topP).put("truncation", "disabled").putNull("usage").putNull("user");
        r.putObject("metadata");
        return r;
    }

    /** Fills in output, status and usage from a finished generation. */
    private static void finish(ObjectNode response, Generation.Done d, String reasoningId, String messageId) {
        ParsedMessage m = d.message();
        ArrayNode output = response.putArray("output");
        if (!m.reasoning().isEmpty()) {
            output.add(reasoningItem(reasoningId != null ? reasoningId : Endpoints.id("rs_"), m.reasoning(), "completed"));
        }
        if (!m.content().isEmpty() || m.toolCalls().isEmpty()) {
            output.add(messageItem(messageId != null ? messageId : Endpoints.id("msg_"), m.content(), "completed"));
        }
        for (ToolCall call : m.toolCalls()) {
            output.add(functionCallItem(call, "completed"));
        }
        boolean truncated = d.outcome().reason() == StopReason.MAX_TOKENS
                || d.outcome().reason() == StopReason.CONTEXT_FULL;
        response.put("status", truncated ? "incomplete" : "completed");
        if (truncated) {
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        }
        ObjectNode usage = response.putObject("usage");
        int in = d.outcome().promptTokens();
        int out = d.outcome().generatedTokens();
        usage.put("input_tokens", in);
        usage.putObject("input_tokens_details").put("cached_tokens", d.outcome().cachedPromptTokens());
        usage.put("output_tokens", out);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", in + out);
    }

    static ObjectNode messageItem(String id, String text, String status) {
        ObjectNode item = Http.JSON.createObjectNode().put("type", "message").put("id", id).put("status", status)
                .put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(textPart(text));
        }
        return item;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = Http.JSON.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    static ObjectNode reasoningItem(String id, String text, String status) {
        ObjectNode item = Http.JSON.createObjectNode().put("type", "reasoning").put("id", id).put("status", status);
        item.putArray("summary");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.addObject().put("type", "reasoning_text").put("text", text);
        }
        return item;
    }

    static ObjectNode functionCallItem(ToolCall call, String status) {
        return Http.JSON.createObjectNode().put("type", "function_call").put("id", "fc_" + call.id())
                .put("call_id", call.id()).put("name", call.name()).put("arguments", String.valueOf(call.arguments()))
                .put("status", status);
    }

    /** Input: a string (one user message) or items. */
    private static List<ChatMessage> input(JsonNode input) {
        List<ChatMessage> out = new ArrayList<>();
        if (input == null) {
            throw ApiException.badRequest("input", "'input' is required.");
        }
        if (input.isTextual()) {
            out.add(ChatMessage.user(input.asText()));
            return out;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw ApiException.badRequest("input", "'input' must be a string or a non-empty array of items.");
        }
        List<ToolCall> pendingCalls = new ArrayList<>();
        StringBuilder pendingReasoning = new StringBuilder();
        for (JsonNode item : input) {
            String type = item.path("type").asText("message");
            switch (type) {
                case "message" -> {
                    flushCalls(out, pendingCalls, pendingReasoning);
                    String role = item.path("role").asText();
                    if (!List.of("user", "system", "developer", "assistant").contains(role)) {
                        throw ApiException.badRequest("input", "A message item needs a role of user, system, "
                                + "developer or assistant.");
                    }
                    JsonNode content = item.get("content");
                    String text = content == null || content.isNull() ? ""
                            : content.isTextual() ? content.asText() : Endpoints.text(content, "input");
                    ChatMessage m = new ChatMessage(role.equals("developer") ? "system" : role, text);
                    if (role.equals("assistant") && !pendingReasoning.isEmpty()) {
                        m = m.withReasoningContent(pendingReasoning.toString());
                    }
                    pendingReasoning.setLength(0);
                    out.add(m);
                }
                case "function_call" -> {
                    if (!item.path("name").isTextual() || !item.path("call_id").isTextual()) {
                        throw ApiException.badRequest("input", "A function_call item needs name and call_id.");
                    }
                    pendingCalls.add(new ToolCall(item.get("call_id").asText(), item.get("name").asText(),
                            Endpoints.arguments(item.path("arguments").asText("{}"))));
                }
                case "function_call_output" -> {
                    flushCalls(out, pendingCalls, pendingReasoning);
                    if (!item.path("call_id").isTextual()) {
                        throw ApiException.badRequest("input", "A function_call_output item needs call_id.");
                    }
                    JsonNode o = item.get("output");
                    out.add(ChatMessage.tool(item.get("call_id").asText(),
                            o == null ? "" : o.isTextual() ? o.asText() : o.toString()));
                }
                // Reasoning goes with the assistant turn that follows it (a model that called tools needs
                // its chain of thought to go on); the chat format decides what the prompt keeps.
                case "reasoning" -> pendingReasoning.append(reasoningText(item));
                default -> throw ApiException.badRequest("input", "Unsupported input item type '" + type + "'.");
            }
        }
        flushCalls(out, pendingCalls, pendingReasoning);
        return out;
    }

    private static void flushCalls(List<ChatMessage> out, List<ToolCall> calls, StringBuilder reasoning) {
        if (!calls.isEmpty()) {
            ChatMessage m = ChatMessage.assistantToolCalls(null, List.copyOf(calls));
            out.add(reasoning.isEmpty() ? m : m.withReasoningContent(reasoning.toString()));
            calls.clear();
            reasoning.setLength(0);
        }
    }

    /** A reasoning item's text: its reasoning_text content, else its summary. */
    private static String reasoningText(JsonNode item) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : item.path("content")) {
            if (part.path("text").isTextual()) {
                text.append(part.get("text").asText());
            }
        }
        if (text.isEmpty()) {
            for (JsonNode part : item.path("summary")) {
                if (part.path("text").isTextual()) {
                    text.append(part.get("text").asText());
                }
            }
        }
        return text.toString();
    }

    /** Responses tools ({"type": "function", "name", ...}) in the Chat Completions shape templates know. */
    private static List<Map<String, Object>> tools(JsonNode tools) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (tools == null) {
            return out;
        }
        if (!tools.isArray()) {
            throw ApiException.badRequest("tools", "'tools' must be an array.");
        }
        for (JsonNode t : tools) {
            if (!"function".equals(t.path("type").asText()) || !t.path("name").isTextual()) {
                throw ApiException.badRequest("tools", "Only function tools are supported: {\"type\": \"function\", "
                        + "\"name\": ..., \"parameters\": {...}}.");
            }
            Map<String, Object> function = new LinkedHashMap<>();
            function.put("name", t.get("name").asText());
            if (t.has("description")) {
                function.put("description", t.get("description").asText());
            }
            function.put("parameters", t.has("parameters") ? Http.JSON.convertValue(t.get("parameters"), Object.class)
                    : Map.of("type", "object", "properties", Map.of()));
            Map<String, Object> tool = new LinkedHashMap<>();
            tool.put("type", "function");
            tool.put("function", function);
            out.add(tool);
        }
        return out;
    }

    /** The streamed event sequence, with the items opened so far. */
    private static final class Stream {
        private final Http.Sse sse;
        private int sequence;
        String reasoningId;
        String messageId;
        private int outputIndex = -1;
        private String openId;
        private String openType;
        private final StringBuilder openText = new StringBuilder();

        Stream(Http.Sse sse) {
            this.sse = sse;
        }

        void send(String type, String key, JsonNode value) throws IOException {
            ObjectNode e = Http.JSON.createObjectNode().put("type", type).put("sequence_number", sequence++);
            e.set(key, value);
            sse.event(type, e);
        }

        private ObjectNode event(String type) {
            return Http.JSON.createObjectNode().put("type", type).put("sequence_number", sequence++);
        }

        void reasoning(String delta) throws IOException {
            open("reasoning");
            openText.append(delta);
            ObjectNode e = event("response.reasoning_text.delta").put("item_id", openId).put("output_index", outputIndex)
                    .put("content_index", 0).put("delta", delta);
            sse.event("response.reasoning_text.delta", e);
        }

        void text(String delta) throws IOException {
            open("message");
            openText.append(delta);
            ObjectNode e = event("response.output_text.delta").put("item_id", openId).put("output_index", outputIndex)
                    .put("content_index", 0).put("delta", delta);
            e.putArray("logprobs");
            sse.event("response.output_text.delta", e);
        }

        void functionCall(ToolCall call) throws IOException {
            outputIndex++;
            ObjectNode added = event("response.output_item.added").put("output_index", outputIndex);
            ObjectNode item = functionCallItem(call, "in_progress").put("arguments", "");
            added.set("item", item);
            sse.event("response.output_item.added", added);
            String args = String.valueOf(call.arguments());
            ObjectNode delta = event("response.function_call_arguments.delta").put("item_id", "fc_" + call.id())
                    .put("output_index", outputIndex).put("delta", args);
            sse.event("response.function_call_arguments.delta", delta);
            ObjectNode doneArgs = event("response.function_call_arguments.done").put("item_id", "fc_" + call.id())
                    .put("output_index", outputIndex).put("name", call.name()).put("arguments", args);
            sse.event("response.function_call_arguments.done", doneArgs);
            ObjectNode done = event("response.output_item.done").put("output_index", outputIndex);
            done.set("item", functionCallItem(call, "completed"));
            sse.event("response.output_item.done", done);
        }

        /** Opens an item of {@code type} unless it is the one open (closing another first). */
        private void open(String type) throws IOException {
            if (type.equals(openType)) {
                return;
            }
            closeOpen();
            outputIndex++;
            openType = type;
            openId = Endpoints.id(type.equals("message") ? "msg_" : "rs_");
            if (type.equals("message")) {
                messageId = openId;
            } else {
                reasoningId = openId;
            }
            ObjectNode added = event("response.output_item.added").put("output_index", outputIndex);
            added.set("item", type.equals("message") ? messageItem(openId, null, "in_progress")
                    : reasoningItem(openId, null, "in_progress"));
            sse.event("response.output_item.added", added);
            ObjectNode part = event("response.content_part.added").put("item_id", openId)
                    .put("output_index", outputIndex).put("content_index", 0);
            part.set("part", type.equals("message") ? textPart("")
                    : Http.JSON.createObjectNode().put("type", "reasoning_text").put("text", ""));
            sse.event("response.content_part.added", part);
        }

        /** Closes the open item with its done events. */
        void closeOpen() throws IOException {
            if (openType == null) {
                return;
            }
            String text = openText.toString();
            boolean message = openType.equals("message");
            String doneType = message ? "response.output_text.done" : "response.reasoning_text.done";
            ObjectNode done = event(doneType).put("item_id", openId).put("output_index", outputIndex)
                    .put("content_index", 0).put("text", text);
            if (message) {
                done.putArray("logprobs");
            }
            sse.event(doneType, done);
            ObjectNode partDone = event("response.content_part.done").put("item_id", openId)
                    .put("output_index", outputIndex).put("content_index", 0);
            partDone.set("part", message ? textPart(text)
                    : Http.JSON.createObjectNode().put("type", "reasoning_text").put("text", text));
            sse.event("response.content_part.done", partDone);
            ObjectNode itemDone = event("response.output_item.done").put("output_index", outputIndex);
            itemDone.set("item", message ? messageItem(openId, text, "completed")
                    : reasoningItem(openId, text, "completed"));
            sse.event("response.output_item.done", itemDone);
            openType = null;
            openText.setLength(0);
        }
    }
}
