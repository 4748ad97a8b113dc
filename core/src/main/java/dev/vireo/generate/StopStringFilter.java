/*
 * Streams text while watching for stop strings: text that could still turn out to be the beginning
 * of a stop string is held back until it is known not to be, so a caller never sees part of a stop
 * string, and nothing after it. Tested by StopStringFilterTest.
 */
package dev.vireo.generate;

import java.util.List;
import java.util.function.Consumer;

/** Passes text through until a stop string appears. */
public final class StopStringFilter {
    private final List<String> stops;
    private final Consumer<String> sink;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder emitted = new StringBuilder();
    private boolean stopped;

    public StopStringFilter(List<String> stops, Consumer<String> sink) {
        this.stops = List.copyOf(stops);
        this.sink = sink;
    }

    /**
     * Adds text.
     *
     * @return false once a stop string has been seen (the text before it has been emitted)
     */
    public boolean push(String text) {
        if (stopped) {
            return false;
        }
        pending.append(text);
        int cut = firstStop();
        if (cut >= 0) {
            emit(pending.substring(0, cut));
            pending.setLength(0);
            stopped = true;
            return false;
        }
        int keep = longestStopPrefixSuffix();
        emit(pending.substring(0, pending.length() - keep));
        pending.delete(0, pending.length() - keep);
        return true;
    }

    /** Emits what was held back (generation ended for another reason). */
    public void flush() {
        if (!stopped) {
            emit(pending.toString());
            pending.setLength(0);
        }
    }

    /** Everything emitted so far. */
    public String text() {
        return emitted.toString();
    }

    public boolean stopped() {
        return stopped;
    }

    private void emit(String s) {
        if (!s.isEmpty()) {
            emitted.append(s);
            sink.accept(s);
        }
    }

    private int firstStop() {
        int best = -1;
        for (String s : stops) {
            int i = pending.indexOf(s);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    /** Whether {@code text} ends with the first {@code k} characters of {@code stop}. */
    private static boolean endsWith(StringBuilder text, String stop, int k) {
        int base = text.length() - k;
        for (int i = 0; i < k; i++) {
            if (text.charAt(base + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Length of the longest end of {@code pending} that is a proper prefix of some stop string. */
    private int longestStopPrefixSuffix() {
        int keep = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, pending.length()); k > keep; k--) {
                if (endsWith(pending, s, k)) {
                    keep = k;
                    break;
                }
            }
        }
        return keep;
    }
}
