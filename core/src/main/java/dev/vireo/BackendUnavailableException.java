/*
 * The backend a user asked for cannot run here: the message says what is missing (the NVIDIA
 * driver, a GPU, the CUDA backend's module) and what to use instead. An
 * UnsupportedOperationException, so the command line prints it as one line, not a stack trace.
 */
package dev.vireo;

/** A requested backend cannot be used on this machine or in this build. */
public final class BackendUnavailableException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public BackendUnavailableException(String message) {
        super(message);
    }
}
