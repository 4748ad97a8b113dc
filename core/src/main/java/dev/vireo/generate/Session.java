/*
 * One conversation with a model at the token level: a KV sequence, its token history and scratch
 * buffers. The prompt is prefilled in batches of up to maxBatch tokens; a new prompt that starts
 * with what the session already holds (the next chat turn) reuses that prefix instead of recomputing
 * it. Decoding samples on the host from the last row of logits. Tested by SessionTest (with a tiny
 * model) and, end to end, by the model golden tests.
 */
package dev.vireo.generate;

import dev.vireo.model.Decoder;
import dev.vireo.model.KvCache;
import dev.vireo.model.Workspace;
import dev.vireo.sample.Sampler;
import dev.vireo.sample.SamplingParams;
import dev.vireo.tensor.Tensor;
import java.util.Arrays;
import java.util.function.IntPredicate;

/** A single-sequence generation session. Not thread-safe, except {@link #cancel()}. */
public final class Session implements AutoCloseable {

    /**
     * @param contextLength positions the session may hold (at most the model's trained context)
     * @param maxBatch tokens per forward step during prefill
     * @param pageSize positions per KV page
     */
    public record Options(int contextLength, int maxBatch, int pageSize) {
        public Options {
            if (contextLength <= 0 || maxBatch <= 0 || pageSize <= 0) {
                throw new IllegalArgumentException("session options must be positive: " + contextLength + ", "
                        + maxBatch + ", " + pageSize);
            }
        }

        /** The model's whole context, prefill batches of 128, pages of 32 positions. */
        public static Options defaults(Decoder decoder) {
            return new Options(decoder.shape().contextLength(), 128, 32);
        }

        public Options withContextLength(int n) {
            return new Options(n, maxBatch, pageSize);
        }
    }

    /** Receives the logits of each evaluated position (a reused array: copy what you keep). */
    @FunctionalInterface
    public interface LogitsConsumer {
        void accept(int position, float[] logits);
    }

    private final Decoder decoder;
    private final Options options;
    private final KvCache cache;
    private final KvCache.Sequence sequence;
    private final Workspace workspace;
    private final float[] lastLogits;
    private int[] history = new int[64];
    private volatile boolean cancelled;

    public Session(Decoder decoder, Options options) {
        if (options.contextLength() > decoder.shape().contextLength()) {
            throw new IllegalArgumentException("context " + options.contextLength() + " exceeds the model's "
                    + decoder.shape().contextLength());
        }
        this.decoder = decoder;
        this.options = options;
        this.cache = decoder.newKvCache(options.contextLength(), 1, options.maxBatch(), options.pageSize());
        this.sequence = cache.newSequence();
        this.workspace = new Workspace(decoder.ops(), options.maxBatch());
        this.lastLogits = new float[decoder.shape().vocabSize()];
    }

    public Options options() {
        return options;
    }

    /** Tokens the session holds (prompt and generated so far). */
    public int length() {
        return sequence.length();
    }

    /** A copy of the tokens the session holds. */
    public int[] tokens() {
        return Arrays.copyOf(history, sequence.length());
    }

    /** Forgets everything. */
    public void reset() {
        sequence.truncate(0);
    }

    /** Asks a running {@link #generate} to stop after the current step; callable from any thread. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Appends {@code tokens} to the session and evaluates them.
     *
     * @param consumer receives the logits of every appended position, or null for none
     * @return the logits after the last token (a reused array)
     */
    public float[] append(int[] tokens, LogitsConsumer consumer) {
        checkFits(tokens.length, 0);
        float[] row = consumer == null ? null : new float[decoder.shape().vocabSize()];
        for (int off = 0; off < tokens.length; off += options.maxBatch()) {
            int n = Math.min(options.maxBatch(), tokens.length - off);
            int start = sequence.length();
            remember(tokens, off, n);
            Tensor logits = decoder.forward(workspace, sequence, tokens, off, n, consumer != null);
            if (consumer != null) {
                for (int i = 0; i < n; i++) {
                    copyRow(logits, i, row);
                    consumer.accept(start + i, row);
                }
            }
            copyRow(logits, logits.rows() - 1, lastLogits);
        }
        return lastLogits;
    }

    /**
     * Generates a continuation of {@code prompt}. The session keeps whatever prefix of its history
     * the prompt starts with and evaluates only the rest.
     *
     * @param isEndOfGeneration tokens that end generation (the tokenizer's EOG set)
     */
    public GenerationResult generate(int[] prompt, int maxTokens, SamplingParams sampling,
            IntPredicate isEndOfGeneration, TokenListener listener) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty: at least one token (e.g. BOS) is needed");
        }
        cancelled = false;
        long t0 = System.nanoTime();
        // Keep the shared prefix, but always re-evaluate at least the last prompt token for its logits.
        // A sliding-window layer may no longer hold what a rewind needs: then start over.
        int keep = Math.min(commonPrefix(prompt), prompt.length - 1);
        if (!sequence.canTruncate(keep)) {
            keep = 0;
        }
        sequence.truncate(keep);
        checkFits(prompt.length - keep, Math.min(1, maxTokens));
        float[] logits = append(Arrays.copyOfRange(prompt, keep, prompt.length), null);
        long t1 = System.nanoTime();

        Sampler sampler = new Sampler(sampling, logits.length);
        int[] out = new int[Math.max(16, Math.min(maxTokens, 4096))];
        int produced = 0;
        StopReason reason = StopReason.MAX_TOKENS;
        while (produced < maxTokens) {
            if (cancelled || Thread.currentThread().isInterrupted()) {
                reason = StopReason.CANCELLED;
                break;
            }
            int token = sampler.sample(logits, history, sequence.length());
            if (isEndOfGeneration.test(token)) {
                reason = StopReason.END_OF_GENERATION;
                break;
            }
            if (produced == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[produced++] = token;
            boolean goOn = listener.onToken(token);
            if (!goOn) {
                reason = StopReason.STOP_STRING;
                break;
            }
            if (produced == maxTokens) {
                break;
            }
            if (sequence.length() >= options.contextLength()) {
                reason = StopReason.CONTEXT_FULL;
                break;
            }
            logits = append(new int[] {token}, null);
        }
        long t2 = System.nanoTime();
        Timings timings = new Timings(prompt.length - keep, t1 - t0, produced, t2 - t1);
        return new GenerationResult(Arrays.copyOf(out, produced), reason, timings);
    }

    /** Length of the longest common prefix of {@code prompt} and the session's tokens. */
    public int commonPrefix(int[] prompt) {
        int n = Math.min(prompt.length, sequence.length());
        int i = 0;
        while (i < n && prompt[i] == history[i]) {
            i++;
        }
        return i;
    }

    private void checkFits(int newTokens, int reserve) {
        long needed = (long) sequence.length() + newTokens + reserve;
        if (needed > options.contextLength()) {
            throw new ContextLengthException("the prompt needs " + needed + " positions (" + sequence.length()
                    + " already held + " + newTokens + " new" + (reserve > 0 ? " + " + reserve + " to generate" : "")
                    + ") but the context holds " + options.contextLength()
                    + "; shorten the prompt or raise the context length");
        }
    }

    private void remember(int[] tokens, int off, int n) {
        int start = sequence.length();
        if (start + n > history.length) {
            history = Arrays.copyOf(history, Math.max(start + n, history.length * 2));
        }
        System.arraycopy(tokens, off, history, start, n);
    }

    private static void copyRow(Tensor logits, int row, float[] dst) {
        java.lang.foreign.MemorySegment.copy(logits.data(), Tensor.F32_LE, (long) row * dst.length * Float.BYTES,
                dst, 0, dst.length);
    }

    @Override
    public void close() {
        sequence.close();
        cache.close();
        workspace.close();
    }
}
