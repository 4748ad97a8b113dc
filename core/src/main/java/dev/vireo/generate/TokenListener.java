/*
 * The streaming callback of token-level generation.
 */
package dev.vireo.generate;

/** Receives each generated token as soon as it is sampled. */
@FunctionalInterface
public interface TokenListener {
    /**
     * @param token the sampled id
     * @return false to stop generating after this token (for example when a stop string completed)
     */
    boolean onToken(int token);

    /** A listener that accepts everything. */
    TokenListener NONE = t -> true;
}
