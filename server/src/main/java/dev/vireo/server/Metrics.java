/*
 * The /metrics page in Prometheus' text exposition format (version 0.0.4): the engine's queue,
 * batch, KV pool and throughput, and the server's request counters.
 */
package dev.vireo.server;

import dev.vireo.serve.EngineStats;
import java.util.Locale;

/** Renders metrics. */
final class Metrics {
    private Metrics() {}

    static String render(EngineStats s, OpenAiServer server) {
        StringBuilder b = new StringBuilder();
        gauge(b, "vireo_queue_length", "Requests waiting for a sequence slot.", s.queued());
        gauge(b, "vireo_running_sequences", "Sequences being prefilled or decoded.", s.running());
        gauge(b, "vireo_kv_pages_total", "Pages in the KV cache pools.", s.kvPagesTotal());
        gauge(b, "vireo_kv_pages_used", "KV pages held by sequences or the prefix cache.", s.kvPagesUsed());
        gauge(b, "vireo_kv_pages_cached", "KV pages held only by the prefix cache (reclaimable).", s.kvPagesCached());
        gauge(b, "vireo_tokens_per_second", "Generated tokens per second over the last ten seconds.",
                s.tokensPerSecond());
        counter(b, "vireo_prompt_tokens_total", "Prompt tokens evaluated (prefix-cache hits excluded).",
                s.promptTokens());
        counter(b, "vireo_prompt_tokens_cached_total", "Prompt tokens served from the prefix cache.",
                s.cachedPromptTokens());
        counter(b, "vireo_generated_tokens_total", "Tokens generated.", s.generatedTokens());
        counter(b, "vireo_steps_total", "Batched forward steps.", s.steps());
        counter(b, "vireo_preemptions_total", "Sequences preempted for lack of KV pages.", s.preemptions());
        counter(b, "vireo_sequences_finished_total", "Sequences ended, for any reason.", s.requestsFinished());
        counter(b, "vireo_http_requests_total", "HTTP requests received.", server.requests.get());
        counter(b, "vireo_http_errors_total", "HTTP requests answered with an error.", server.errors.get());
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, double value) {
        metric(b, name, help, "gauge", value);
    }

    private static void counter(StringBuilder b, String name, String help, double value) {
        metric(b, name, help, "counter", value);
    }

    private static void metric(StringBuilder b, String name, String help, String type, double value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        b.append(name).append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            b.append((long) value);
        } else {
            b.append(String.format(Locale.ROOT, "%.3f", value));
        }
        b.append('\n');
    }
}
