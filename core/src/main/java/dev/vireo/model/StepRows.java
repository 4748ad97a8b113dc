/*
 * The rows of one batched forward step laid out once: the segments' token ids and positions
 * concatenated (row r of every activation belongs to one segment), where each segment starts, and
 * where its logit rows land. Families use it to run row-wise ops over all rows and attention per
 * segment (Blocks.attention). Tested through BatchedForwardTest.
 */
package dev.vireo.model;

import java.util.IdentityHashMap;
import java.util.List;

/** Row bookkeeping of a batched step. */
public final class StepRows {
    private final List<Decoder.Segment> segments;
    private final int[] ids;
    private final int[] positions;
    private final int[] start;
    private final int[][] segmentPositions;
    private final int logitRows;

    /**
     * Lays out {@code segments} and checks them: distinct sequences, at least one segment, at most
     * {@code maxRows} rows.
     */
    public StepRows(List<Decoder.Segment> segments, int maxRows) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a step needs at least one segment");
        }
        this.segments = List.copyOf(segments);
        int rows = 0;
        int logits = 0;
        IdentityHashMap<KvCache.Sequence, Boolean> seen = new IdentityHashMap<>();
        for (Decoder.Segment s : this.segments) {
            if (seen.put(s.sequence(), Boolean.TRUE) != null) {
                throw new IllegalArgumentException("a sequence appears twice in one step");
            }
            rows = Math.addExact(rows, s.count());
            logits += s.logitRows();
        }
        if (rows > maxRows) {
            throw new IllegalArgumentException("step of " + rows + " tokens exceeds the workspace's " + maxRows);
        }
        ids = new int[rows];
        positions = new int[rows];
        start = new int[this.segments.size()];
        segmentPositions = new int[this.segments.size()][];
        int r = 0;
        for (int i = 0; i < this.segments.size(); i++) {
            Decoder.Segment s = this.segments.get(i);
            start[i] = r;
            int first = s.sequence().length();
            segmentPositions[i] = Blocks.positions(first, s.count());
            System.arraycopy(s.tokens(), s.offset(), ids, r, s.count());
            System.arraycopy(segmentPositions[i], 0, positions, r, s.count());
            r += s.count();
        }
        logitRows = logits;
    }

    /** Reserves KV pages for every segment (before anything is computed). */
    public void reserve() {
        for (Decoder.Segment s : segments) {
            s.sequence().reserve(s.count());
        }
    }

    /** Marks every segment's tokens as stored (after the last layer). */
    public void advance() {
        for (Decoder.Segment s : segments) {
            s.sequence().advance(s.count());
        }
    }

    public List<Decoder.Segment> segments() {
        return segments;
    }

    /** Rows of the step (tokens of all segments). */
    public int rows() {
        return ids.length;
    }

    /** Token ids of all rows. */
    public int[] ids() {
        return ids;
    }

    /** Position of every row in its own sequence. */
    public int[] positions() {
        return positions;
    }

    /** First row of segment {@code i}. */
    public int start(int i) {
        return start[i];
    }

    /** Positions of segment {@code i}'s rows. */
    public int[] positions(int i) {
        return segmentPositions[i];
    }

    /** Rows of the step's logits. */
    public int logitRows() {
        return logitRows;
    }
}
