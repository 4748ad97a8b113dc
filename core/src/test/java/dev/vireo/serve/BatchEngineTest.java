/*
 * The batching engine on a tiny Llama 3 model: many requests at once (prompts sharing a long prefix,
 * prompts of 1 to 60 tokens, chunked prefill, a queue) must generate exactly what a single-sequence
 * Session generates for each prompt, greedy and seeded; a KV pool too small for the batch forces
 * preemptions, which must not change any output either; cancelled requests free their pages; a full
 * queue refuses; afterwards only prefix-cache pages remain in use.
 */
package dev.vireo.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.LanguageModel;
import dev.vireo.LoadOptions;
import dev.vireo.Vireo;
import dev.vireo.generate.GenerationResult;
import dev.vireo.generate.Session;
import dev.vireo.generate.StopReason;
import dev.vireo.generate.TokenListener;
import dev.vireo.reference.LlamaCpp;
import dev.vireo.reference.TinyModels;
import dev.vireo.sample.SamplingParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchEngineTest {
    static final int CONTEXT = 256;
    static LanguageModel model;

    @BeforeAll
    static void load() throws Exception {
        LlamaCpp.require();
        Path dir = Path.of(System.getProperty("vireo.models.dir", System.getProperty("java.io.tmpdir")));
        model = Vireo.load(TinyModels.write(TinyModels.LLAMA3, dir), new LoadOptions(dev.vireo.Backend.CPU, 2).withBatchInvariant(true));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** Twelve prompts: four share a 40-token prefix, lengths 1..60. */
    static List<int[]> prompts() {
        SplittableRandom r = new SplittableRandom(5);
        int[] shared = new int[40];
        shared[0] = 128000;
        for (int i = 1; i < shared.length; i++) {
            shared[i] = 300 + r.nextInt(20000);
        }
        List<int[]> prompts = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            int n = k < 4 ? 40 + 3 * k + 1 : 1 + r.nextInt(60);
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = k < 4 && i < 40 ? shared[i] : 300 + r.nextInt(20000);
            }
            p[0] = 128000;
            prompts.add(p);
        }
        return prompts;
    }

    static SamplingParams sampling(int k) {
        return k % 3 == 2 ? SamplingParams.defaults(1000 + k) : SamplingParams.greedy();
    }

    static final java.util.Map<String, int[]> SINGLE = new java.util.HashMap<>();

    /** What a lone Session generates (computed once for 40 tokens; a shorter run is its prefix). */
    static int[] single(int[] prompt, int maxTokens, SamplingParams sampling) {
        int[] full = SINGLE.computeIfAbsent(Arrays.toString(prompt) + sampling, k -> single40(prompt, sampling));
        return Arrays.copyOf(full, Math.min(full.length, maxTokens));
    }

    static int[] single40(int[] prompt, SamplingParams sampling) {
        int maxTokens = 40;
        try (Session s = model.newSession(CONTEXT)) {
            GenerationResult r = s.generate(prompt, maxTokens, sampling, model.tokenizer()::isEndOfGeneration,
                    TokenListener.NONE);
            return r.tokens();
        }
    }

    record Run(int[] tokens, SequenceOutcome outcome) {}

    static CompletableFuture<Run> submit(BatchEngine engine, int[] prompt, int maxTokens, SamplingParams sampling) {
        CompletableFuture<Run> done = new CompletableFuture<>();
        List<Integer> got = new ArrayList<>();
        engine.submit(new SequenceRequest(prompt, maxTokens, sampling, false, new SequenceListener() {
            @Override
            public boolean onToken(int token) {
                got.add(token);
                return true;
            }

            @Override
            public void onFinish(SequenceOutcome outcome) {
                done.complete(new Run(got.stream().mapToInt(Integer::intValue).toArray(), outcome));
            }
        }));
        return done;
    }

    void runAll(EngineOptions options, int count, int maxTokens, boolean expectPreemption) throws Exception {
        List<int[]> prompts = prompts().subList(0, count);
        List<int[]> expected = new ArrayList<>();
        for (int k = 0; k < prompts.size(); k++) {
            expected.add(single(prompts.get(k), maxTokens, sampling(k)));
        }
        try (BatchEngine engine = new BatchEngine(model.decoder(), model.tokenizer()::isEndOfGeneration, options)) {
            List<CompletableFuture<Run>> runs = new ArrayList<>();
            // The first prompt alone, so that the three sharing its prefix find it in the cache.
            runs.add(submit(engine, prompts.get(0), maxTokens, sampling(0)));
            runs.get(0).get(120, TimeUnit.SECONDS);
            for (int k = 1; k < prompts.size(); k++) {
                runs.add(submit(engine, prompts.get(k), maxTokens, sampling(k)));
            }
            int preempted = 0;
            for (int k = 0; k < prompts.size(); k++) {
                Run run = runs.get(k).get(120, TimeUnit.SECONDS);
                assertArrayEquals(expected.get(k), run.tokens(), "prompt " + k + " (" + prompts.get(k).length
                        + " tokens, " + run.outcome() + ")");
                assertEquals(prompts.get(k).length, run.outcome().promptTokens());
                preempted += run.outcome().preemptions();
            }
            EngineStats s = awaitIdle(engine);
            assertEquals(0, s.running());
            assertEquals(0, s.queued());
            assertEquals(s.kvPagesCached(), s.kvPagesUsed(), "only prefix-cache pages remain: " + s);
            assertTrue(s.cachedPromptTokens() > 0, "the shared prefix was reused: " + s);
            if (expectPreemption) {
                assertTrue(preempted > 0 && s.preemptions() > 0, "the small pool forced preemptions: " + s);
            }
        }
    }

    static EngineStats awaitIdle(BatchEngine engine) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            EngineStats s = engine.stats();
            if (s.running() == 0 && s.queued() == 0) {
                return s;
            }
            Thread.sleep(10);
        }
        return engine.stats();
    }

    @Test
    void batchedOutputsEqualSingleSequenceOutputs() throws Exception {
        runAll(new EngineOptions(6, 48, 2048, 16, CONTEXT, 16, true), 12, 20, false);
    }

    @Test
    void preemptionDoesNotChangeOutputs() throws Exception {
        // Room for one context plus a little: six sequences growing by 40 tokens each cannot all fit.
        runAll(new EngineOptions(6, 48, CONTEXT, 16, CONTEXT, 16, true), 8, 40, true);
    }

    @Test
    void cancelledRequestsFreeTheirPages() throws Exception {
        EngineOptions options = new EngineOptions(2, 32, 1024, 16, CONTEXT, 4, false);
        try (BatchEngine engine = new BatchEngine(model.decoder(), model.tokenizer()::isEndOfGeneration, options)) {
            CountDownLatch firstToken = new CountDownLatch(1);
            CompletableFuture<SequenceOutcome> done = new CompletableFuture<>();
            BatchEngine.Handle h = engine.submit(new SequenceRequest(prompts().get(0), 200, SamplingParams.greedy(), true,
                    new SequenceListener() {
                        @Override
                        public boolean onToken(int token) {
                            firstToken.countDown();
                            return true;
                        }

                        @Override
                        public void onFinish(SequenceOutcome outcome) {
                            done.complete(outcome);
                        }
                    }));
            assertTrue(firstToken.await(60, TimeUnit.SECONDS));
            h.cancel();
            SequenceOutcome o = done.get(60, TimeUnit.SECONDS);
            assertEquals(StopReason.CANCELLED, o.reason());
            assertTrue(o.generatedTokens() < 200);
            EngineStats s = awaitIdle(engine);
            assertEquals(0, s.kvPagesUsed(), "no prefix cache: every page is back: " + s);
        }
    }

    @Test
    void aFullQueueRefusesAndShutdownDrains() throws Exception {
        EngineOptions options = new EngineOptions(1, 16, 1024, 16, CONTEXT, 1, false);
        BatchEngine engine = new BatchEngine(model.decoder(), model.tokenizer()::isEndOfGeneration, options);
        try {
            int[] p = prompts().get(5);
            // Long enough that the first request still runs when the third arrives, even on a fast machine.
            int firstLength = 120;
            CompletableFuture<Run> first = submit(engine, p, firstLength, SamplingParams.greedy());
            for (int i = 0; i < 500 && engine.stats().running() == 0; i++) {
                Thread.sleep(10);
            }
            CompletableFuture<Run> second = submit(engine, p, 5, SamplingParams.greedy());
            QueueFullException e = assertThrows(QueueFullException.class, () -> submit(engine, p, 5,
                    SamplingParams.greedy()));
            assertTrue(!e.shuttingDown());
            assertTrue(engine.drain(Duration.ofSeconds(60)), "running and queued requests finish");
            assertTrue(first.get().tokens().length == firstLength
                    || first.get().outcome().reason() != StopReason.MAX_TOKENS, "ran to its length or its end");
            assertArrayEquals(Arrays.copyOf(first.get().tokens(), second.get().tokens().length), second.get().tokens());
            assertThrows(QueueFullException.class, () -> submit(engine, p, 5, SamplingParams.greedy()));
        } finally {
            engine.close();
        }
    }
}
