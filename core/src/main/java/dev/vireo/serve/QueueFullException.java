/*
 * Thrown by BatchEngine.submit when the waiting queue is full (an HTTP server answers 429) or the
 * engine is shutting down (503).
 */
package dev.vireo.serve;

/** The engine cannot take the request now. */
public class QueueFullException extends RuntimeException {
    private final boolean shuttingDown;

    public QueueFullException(String message, boolean shuttingDown) {
        super(message);
        this.shuttingDown = shuttingDown;
    }

    /** True when refused because the engine is draining or closed, false when merely busy. */
    public boolean shuttingDown() {
        return shuttingDown;
    }
}
