/*
 * Thrown when the KV page pool cannot hold the positions a step needs. A serving engine catches it to
 * queue or preempt; a single-sequence session turns it into a context-length error for the user.
 */
package dev.vireo.model;

/** The KV cache has no free page for the requested positions. */
public class KvCacheFullException extends RuntimeException {
    public KvCacheFullException(String message) {
        super(message);
    }
}
