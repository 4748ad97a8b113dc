/*
 * Continuous batching over a paged KV cache (Orca's iteration-level scheduling with vLLM's paged
 * memory): one engine thread runs forward steps over all active sequences at once. Between steps new
 * requests join and finished or cancelled ones leave, returning their pages. A step holds one row per
 * decoding sequence plus prefill chunks of newly admitted prompts, up to maxBatchTokens rows, and
 * the decoder runs it as one batched forward (Decoder.forward over segments).
 *
 * Memory: one pool of KV pages for all sequences. With prefix caching, the full pages a sequence
 * writes are registered by content (PrefixCache) and a new prompt starting with cached pages maps
 * them instead of computing them. A request is admitted only when the pool (free plus reclaimable
 * pages) can hold its prompt; when decoding still runs the pool dry, the youngest sequence is
 * preempted: its pages are published to the prefix cache and released, it goes back to the head of
 * the queue, and it is later recomputed from its tokens (mostly from the cache), with its sampler
 * state kept, so its output is unchanged. Nothing ever fails for lack of pages as long as one
 * sequence fits the pool alone (EngineOptions requires it).
 *
 * Determinism: on a batch-invariant backend (CpuOps; see Matmul) a sequence's logits do not depend
 * on what it is batched with, how its prompt was chunked, or whether it was preempted, so greedy
 * outputs equal single-sequence Session outputs exactly (BatchEngineTest).
 *
 * Threads: submit, cancel and stats are thread-safe; listeners run on the engine thread.
 */
package dev.vireo.serve;

import dev.vireo.generate.StopReason;
import dev.vireo.model.Decoder;
import dev.vireo.model.KvCache;
import dev.vireo.model.KvCacheFullException;
import dev.vireo.model.PrefixCache;
import dev.vireo.model.Workspace;
import dev.vireo.sample.Sampler;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Serves many generation requests on one decoder with continuous batching. */
public final class BatchEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchEngine.class.getName());

    /** A submitted request; cancel it from any thread. */
    public static final class Handle {
        private final Active active;

        private Handle(Active active) {
            this.active = active;
        }

        /** Stops the request at the next step boundary; its pages are freed and it finishes CANCELLED. */
        public void cancel() {
            active.cancelled = true;
        }
    }

    /** A request's state: tokens so far, its KV sequence while admitted, its sampler. */
    private static final class Active {
        final SequenceRequest request;
        final Sampler sampler;
        int[] tokens;            // prompt, then generated tokens
        int total;               // tokens[0, total) are meaningful
        int generated;
        int cachedPromptTokens = -1;
        int preemptions;
        long admittedAt;         // admission order: the youngest is preempted first
        KvCache.Sequence kv;     // null while waiting
        PrefixCache.Chain chain;
        volatile boolean cancelled;

        Active(SequenceRequest request, int vocab) {
            this.request = request;
            this.sampler = new Sampler(request.sampling(), vocab);
            this.tokens = Arrays.copyOf(request.prompt(), request.prompt().length + 16);
            this.total = request.prompt().length;
        }

        int computed() {
            return kv.length();
        }

        void append(int token) {
            if (total == tokens.length) {
                tokens = Arrays.copyOf(tokens, tokens.length * 2);
            }
            tokens[total++] = token;
        }
    }

    private final Decoder decoder;
    private final IntPredicate endOfGeneration;
    private final EngineOptions options;
    private final KvCache cache;
    private final PrefixCache prefixCache;
    private final Workspace workspace;
    private final float[] row;
    private final Thread thread;

    private final LinkedBlockingQueue<Active> incoming = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();    // incoming + waiting
    private final AtomicInteger inFlight = new AtomicInteger();   // submitted and not yet finished
    private final Deque<Active> waiting = new ArrayDeque<>();     // engine thread only
    private final List<Active> running = new ArrayList<>();       // engine thread only
    private volatile boolean accepting = true;
    private volatile boolean stopping;

    // Counters (engine thread writes, anyone reads the snapshot).
    private long promptTokens;
    private long cachedTokens;
    private long generatedTokens;
    private long steps;
    private long preemptions;
    private final AtomicLong finished = new AtomicLong();
    private long admissions;
    private final long[] rateTimes = new long[64];
    private final long[] rateTokens = new long[64];
    private int rateHead;
    private volatile EngineStats stats;

    /**
     * Starts the engine thread.
     *
     * @param endOfGeneration the tokenizer's end-of-generation test
     */
    public BatchEngine(Decoder decoder, IntPredicate endOfGeneration, EngineOptions options) {
        if (options.contextLength() > decoder.shape().contextLength()) {
            throw new IllegalArgumentException("context " + options.contextLength() + " exceeds the model's "
                    + decoder.shape().contextLength());
        }
        this.decoder = decoder;
        this.endOfGeneration = endOfGeneration;
        this.options = options;
        this.cache = decoder.newKvCache(options.kvCapacity(), options.maxSequences(), options.maxBatchTokens(),
                options.pageSize());
        this.prefixCache = options.prefixCaching() ? cache.prefixCache() : null;
        this.workspace = new Workspace(decoder.ops(), options.maxBatchTokens());
        this.row = new float[decoder.shape().vocabSize()];
        this.stats = snapshot();
        this.thread = Thread.ofPlatform().name("vireo-engine").daemon(true).unstarted(this::loop);
        thread.start();
    }

    public EngineOptions options() {
        return options;
    }

    /**
     * Queues a request.
     *
     * @throws QueueFullException when the queue is full or the engine is shutting down
     * @throws dev.vireo.generate.ContextLengthException when the prompt leaves no room to generate
     */
    public Handle submit(SequenceRequest request) {
        if (request.prompt().length >= options.contextLength()) {
            throw new dev.vireo.generate.ContextLengthException("the prompt has " + request.prompt().length
                    + " tokens but the context holds " + options.contextLength()
                    + " (and at least one more is needed to generate)");
        }
        for (int id : request.prompt()) {
            if (id < 0 || id >= row.length) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary (0.."
                        + (row.length - 1) + ")");
            }
        }
        if (!accepting) {
            throw new QueueFullException("the server is shutting down", true);
        }
        if (pending.incrementAndGet() > options.maxQueue() + Math.max(0, options.maxSequences() - running())) {
            pending.decrementAndGet();
            throw new QueueFullException("too many requests waiting (" + options.maxQueue() + "); retry later", false);
        }
        Active a = new Active(request, row.length);
        inFlight.incrementAndGet();
        incoming.add(a);
        return new Handle(a);
    }

    private int running() {
        return stats.running();
    }

    /** Requests submitted and not yet finished (queued or running). */
    public int inFlight() {
        return inFlight.get();
    }

    /** The latest snapshot (updated after every step). */
    public EngineStats stats() {
        return stats;
    }

    /**
     * Stops taking requests and waits up to {@code timeout} for the queued and running ones to
     * finish; what is left is cancelled.
     *
     * @return true when everything finished in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        accepting = false;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (inFlight.get() == 0) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    /** Cancels what is left, stops the thread and frees the KV cache. */
    @Override
    public void close() {
        accepting = false;
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workspace.close();
        cache.close();
    }

    // ---- engine thread ----

    private void loop() {
        while (!stopping) {
            try {
                if (running.isEmpty() && waiting.isEmpty()) {
                    Active a = incoming.poll(100, TimeUnit.MILLISECONDS);
                    if (a != null) {
                        waiting.add(a);
                    }
                }
                incoming.drainTo(waiting);
                dropCancelled();
                admit();
                if (!running.isEmpty()) {
                    step();
                }
                stats = snapshot();
            } catch (InterruptedException e) {
                if (stopping) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "engine step failed; failing the running requests", e);
                for (Active a : new ArrayList<>(running)) {
                    finish(a, StopReason.CANCELLED, e);
                }
                stats = snapshot();
            }
        }
        incoming.drainTo(waiting);
        for (Active a : new ArrayList<>(running)) {
            finish(a, StopReason.CANCELLED, null);
        }
        while (!waiting.isEmpty()) {
            finish(waiting.poll(), StopReason.CANCELLED, null);
        }
        stats = snapshot();
    }

    private void dropCancelled() {
        for (Active a : new ArrayList<>(running)) {
            if (a.cancelled) {
                finish(a, StopReason.CANCELLED, null);
            }
        }
        waiting.removeIf(a -> {
            if (a.cancelled) {
                finish(a, StopReason.CANCELLED, null);
                return true;
            }
            return false;
        });
    }

    /** Moves waiting requests into the batch while there are slots and pages for their prompts. */
    private void admit() {
        while (running.size() < options.maxSequences() && !waiting.isEmpty()) {
            Active a = waiting.peekFirst();
            if (a.request.maxTokens() == 0) {
                waiting.pollFirst();
                finish(a, StopReason.MAX_TOKENS, null);
                continue;
            }
            KvCache.Sequence kv = cache.newSequence();
            PrefixCache.Chain chain = prefixCache != null ? prefixCache.attach(kv, a.tokens, a.total - 1) : null;
            if (!running.isEmpty() && !fits(a.total + 1 - kv.length())) {
                kv.close();
                return;   // wait for pages; FIFO, so later requests wait too
            }
            waiting.pollFirst();
            pending.decrementAndGet();
            a.kv = kv;
            a.chain = chain;
            a.admittedAt = ++admissions;
            if (a.cachedPromptTokens < 0) {
                a.cachedPromptTokens = Math.min(kv.length(), a.request.prompt().length);
                cachedTokens += a.cachedPromptTokens;
            }
            running.add(a);
        }
    }

    /** Whether the pools (free and reclaimable pages) can take {@code positions} more positions. */
    private boolean fits(int positions) {
        int needed = (positions + options.pageSize() - 1) / options.pageSize() + 1;
        int reclaimable = prefixCache != null ? prefixCache.reclaimablePages() : 0;
        return cache.freePages(0) + reclaimable >= needed;
    }

    /** One forward over every running sequence: decode rows first, then prefill chunks. */
    private void step() {
        List<Active> batch = new ArrayList<>();
        List<Decoder.Segment> segments = new ArrayList<>();
        while (true) {
            batch.clear();
            segments.clear();
            int budget = options.maxBatchTokens();
            running.sort(Comparator.comparingLong(x -> x.admittedAt));
            for (Active a : running) {
                if (a.total - a.computed() == 1) {
                    batch.add(a);
                    segments.add(new Decoder.Segment(a.kv, a.tokens, a.computed(), 1, false));
                    budget--;
                }
            }
            for (Active a : running) {
                int todo = a.total - a.computed();
                if (todo > 1 && budget > 0) {
                    int n = Math.min(todo, budget);
                    batch.add(a);
                    segments.add(new Decoder.Segment(a.kv, a.tokens, a.computed(), n, false));
                    budget -= n;
                }
            }
            try {
                for (Decoder.Segment s : segments) {
                    s.sequence().reserve(s.count());
                }
                break;
            } catch (KvCacheFullException e) {
                if (running.size() == 1) {
                    throw new IllegalStateException("one sequence does not fit the KV pool", e);
                }
                preemptYoungest();
            }
        }

        Tensor logits = decoder.forward(workspace, segments);
        steps++;
        int produced = 0;
        for (int i = 0; i < batch.size(); i++) {
            Active a = batch.get(i);
            Decoder.Segment s = segments.get(i);
            int promptLength = a.request.prompt().length;
            promptTokens += Math.max(0, Math.min(s.offset() + s.count(), promptLength) - s.offset());
            if (prefixCache != null) {
                prefixCache.publish(a.chain, a.kv, a.tokens);
            }
            if (a.computed() < a.total) {
                continue;   // more prompt to prefill
            }
            MemorySegment.copy(logits.data(), Tensor.F32_LE, (long) i * row.length * Float.BYTES, row, 0, row.length);
            int token = a.sampler.sample(row, a.tokens, a.total);
            produced += emit(a, token);
        }
        generatedTokens += produced;
        recordRate();
    }

    /** Handles a sampled token: ends the request or appends it. Returns 1 if a token was generated. */
    private int emit(Active a, int token) {
        if (!a.request.ignoreEndOfGeneration() && endOfGeneration.test(token)) {
            finish(a, StopReason.END_OF_GENERATION, null);
            return 0;
        }
        a.append(token);
        a.generated++;
        boolean goOn;
        try {
            goOn = a.request.listener().onToken(token);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a token listener failed; cancelling its request", e);
            goOn = false;
            a.cancelled = true;
        }
        if (a.cancelled) {
            finish(a, StopReason.CANCELLED, null);
        } else if (!goOn) {
            finish(a, StopReason.STOP_STRING, null);
        } else if (a.generated == a.request.maxTokens()) {
            finish(a, StopReason.MAX_TOKENS, null);
        } else if (a.computed() >= options.contextLength()) {
            finish(a, StopReason.CONTEXT_FULL, null);
        }
        return 1;
    }

    /** Frees the youngest sequence's pages (keeping them in the prefix cache) and requeues it first. */
    private void preemptYoungest() {
        Active victim = running.stream().max(Comparator.comparingLong(x -> x.admittedAt)).orElseThrow();
        if (prefixCache != null) {
            prefixCache.publish(victim.chain, victim.kv, victim.tokens);
        }
        victim.kv.close();
        victim.kv = null;
        victim.chain = null;
        victim.preemptions++;
        preemptions++;
        running.remove(victim);
        waiting.addFirst(victim);
        pending.incrementAndGet();
    }

    private void finish(Active a, StopReason reason, Throwable error) {
        if (a.kv != null) {
            if (prefixCache != null && error == null) {
                prefixCache.publish(a.chain, a.kv, a.tokens);
            }
            a.kv.close();
            a.kv = null;
            running.remove(a);
        } else {
            pending.decrementAndGet();
        }
        finished.incrementAndGet();
        SequenceOutcome outcome = new SequenceOutcome(reason, a.request.prompt().length,
                Math.max(0, a.cachedPromptTokens), a.generated, a.preemptions, error);
        try {
            a.request.listener().onFinish(outcome);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a finish listener failed", e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void recordRate() {
        rateHead = (rateHead + 1) % rateTimes.length;
        rateTimes[rateHead] = System.nanoTime();
        rateTokens[rateHead] = generatedTokens;
    }

    /** Generated tokens per second over the recorded steps of the last ten seconds. */
    private double rate() {
        long now = System.nanoTime();
        long newest = rateTokens[rateHead];
        int oldest = rateHead;
        for (int k = 1; k < rateTimes.length; k++) {
            int i = Math.floorMod(rateHead - k, rateTimes.length);
            if (rateTimes[i] == 0 || now - rateTimes[i] > 10_000_000_000L) {
                break;
            }
            oldest = i;
        }
        long dt = now - rateTimes[oldest];
        if (oldest == rateHead || dt <= 0) {
            return 0;
        }
        return (newest - rateTokens[oldest]) * 1e9 / dt;
    }

    private EngineStats snapshot() {
        int cached = prefixCache != null ? prefixCache.reclaimablePages() : 0;
        return new EngineStats(pending.get(), running.size(), cache.totalPages(), cache.usedPages(), cached,
                promptTokens, cachedTokens, generatedTokens, steps, preemptions, finished.get(), rate());
    }
}
