/*
 * Test-only: a Decoder that writes a script instead of computing logits, so chat plumbing can be tested
 * on exact token streams. Each Cue says "after a context whose text ends with AFTER, write REPLY": the
 * decoder keeps each sequence's tokens, and at every step looks for a cue whose AFTER the context ends
 * with, followed by exactly the part of REPLY written so far; it puts all the probability on REPLY's
 * next id (logit 0 against -1e4, so any sampler picks it). Where no cue fits it writes the fallback id
 * (an end-of-generation token), so a prompt that differs from the expected one shows as a missing reply.
 * The KV cache is real (pages reserved and advanced) but never read.
 */
package dev.vireo;

import dev.vireo.model.Decoder;
import dev.vireo.model.DecoderShape;
import dev.vireo.model.KvCache;
import dev.vireo.model.Workspace;
import dev.vireo.ops.Ops;
import dev.vireo.tensor.Tensor;
import dev.vireo.tokenizer.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

final class ScriptedDecoder implements Decoder {
    /** Write {@code reply} (text with special tokens, as the model would) after a context ending with {@code after}. */
    record Cue(String after, String reply) {}

    private record Compiled(byte[] after, int[] reply) {}

    private final DecoderShape shape;
    private final Ops ops;
    private final Tokenizer tokenizer;
    private final List<Compiled> cues;
    private final int fallback;
    private final float[] floor;
    private final Map<KvCache.Sequence, int[]> histories = new IdentityHashMap<>();

    ScriptedDecoder(String architecture, Ops ops, Tokenizer tokenizer, int fallback, List<Cue> cues) {
        this.shape = new DecoderShape(architecture, 8, new int[] {8}, new int[] {0}, tokenizer.vocabularySize(), 8192);
        this.ops = ops;
        this.tokenizer = tokenizer;
        this.fallback = fallback;
        this.cues = cues.stream().map(c -> new Compiled(c.after().getBytes(StandardCharsets.UTF_8),
                tokenizer.encode(c.reply(), false, true))).toList();
        this.floor = new float[tokenizer.vocabularySize()];
        Arrays.fill(floor, -1e4f);
    }

    @Override
    public DecoderShape shape() {
        return shape;
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public Tensor forward(Workspace ws, List<Segment> segments) {
        int rows = segments.stream().mapToInt(Segment::logitRows).sum();
        Tensor logits = ws.get("logits", rows, shape.vocabSize());
        int row = 0;
        for (Segment s : segments) {
            KvCache.Sequence seq = s.sequence();
            int start = seq.length();
            int[] h = histories.getOrDefault(seq, new int[0]);
            if (h.length < start + s.count()) {
                h = Arrays.copyOf(h, Math.max(2 * h.length, start + s.count()));
            }
            System.arraycopy(s.tokens(), s.offset(), h, start, s.count());
            histories.put(seq, h);
            seq.reserve(s.count());
            seq.advance(s.count());
            for (int i = s.allLogits() ? 0 : s.count() - 1; i < s.count(); i++) {
                writeRow(logits, row++, next(h, start + i + 1));
            }
        }
        return logits;
    }

    /** The id the script writes after the first {@code n} tokens of {@code h}. */
    private int next(int[] h, int n) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int[] ends = new int[n + 1];   // ends[p]: bytes of the first p tokens
        for (int i = 0; i < n; i++) {
            text.writeBytes(tokenizer.tokenBytes(h[i], true));
            ends[i + 1] = text.size();
        }
        byte[] bytes = text.toByteArray();
        for (Compiled c : cues) {
            for (int p = n; p >= 0 && n - p < c.reply().length; p--) {
                if (endsWith(bytes, ends[p], c.after()) && Arrays.equals(h, p, n, c.reply(), 0, n - p)) {
                    return c.reply()[n - p];
                }
            }
        }
        return fallback;
    }

    private static boolean endsWith(byte[] text, int length, byte[] suffix) {
        return length >= suffix.length && Arrays.equals(text, length - suffix.length, length, suffix, 0, suffix.length);
    }

    private void writeRow(Tensor logits, int row, int id) {
        long base = (long) row * shape.vocabSize() * Float.BYTES;
        MemorySegment.copy(floor, 0, logits.data(), Tensor.F32_LE, base, floor.length);
        logits.data().set(Tensor.F32_LE, base + (long) id * Float.BYTES, 0f);
    }

    @Override
    public void close() {
        histories.clear();
    }
}
