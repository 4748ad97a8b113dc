/*
 * A request that cannot fit the session's context window. Its message says by how much.
 */
package dev.vireo.generate;

/** The prompt (plus what must be generated) does not fit the context window. */
public class ContextLengthException extends IllegalArgumentException {
    public ContextLengthException(String message) {
        super(message);
    }
}
