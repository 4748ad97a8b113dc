/*
 * A binary min-heap of (long key, int payload) without boxing, for the BPE merge queues: the key packs
 * the merge priority in its high half and the left symbol index in its low half, so ties go to the
 * leftmost pair (llama.cpp's and tiktoken's rule). The payload lets the caller recognise stale entries.
 * Package-private; exercised by the tokenizer tests.
 */
package dev.vireo.tokenizer;

import java.util.Arrays;

final class MergeHeap {
    private long[] keys = new long[64];
    private int[] payloads = new int[64];
    private int size;

    /** Packs a priority (smaller first) and a left index (≥ 0) into one ordered key. */
    static long key(int priority, int left) {
        return ((long) priority << 32) | (left & 0xFFFF_FFFFL);
    }

    static int left(long key) {
        return (int) key;
    }

    void clear() {
        size = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(long key, int payload) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            payloads = Arrays.copyOf(payloads, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (keys[parent] <= key) {
                break;
            }
            keys[i] = keys[parent];
            payloads[i] = payloads[parent];
            i = parent;
        }
        keys[i] = key;
        payloads[i] = payload;
    }

    long topKey() {
        return keys[0];
    }

    int topPayload() {
        return payloads[0];
    }

    void pop() {
        long key = keys[--size];
        int payload = payloads[size];
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && keys[child + 1] < keys[child]) {
                child++;
            }
            if (key <= keys[child]) {
                break;
            }
            keys[i] = keys[child];
            payloads[i] = payloads[child];
            i = child;
        }
        keys[i] = key;
        payloads[i] = payload;
    }
}
