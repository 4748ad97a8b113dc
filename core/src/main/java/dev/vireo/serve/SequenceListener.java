/*
 * The callbacks of one request in a BatchEngine. They run on the engine thread, between forward
 * steps, so they must be quick and must not block (hand the token to another thread's queue).
 */
package dev.vireo.serve;

/** Receives a request's tokens and its end. */
public interface SequenceListener {

    /**
     * A generated token (never an end-of-generation token).
     *
     * @return false to stop generating after it (a stop string completed, the client went away)
     */
    boolean onToken(int token);

    /** The request ended; called exactly once, also for refused or failed requests after submission. */
    void onFinish(SequenceOutcome outcome);
}
