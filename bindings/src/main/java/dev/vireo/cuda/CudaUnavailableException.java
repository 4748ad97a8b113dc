/*
 * Thrown where CUDA is needed but this machine cannot run it: no driver library, a driver that finds
 * no GPU, or no kernels in this build. The message is one sentence a user can act on (what is
 * missing and how to get it); an UnsupportedOperationException, so the command line prints it as a
 * user error rather than a stack trace.
 */
package dev.vireo.cuda;

/** CUDA cannot be used on this machine or in this build. */
public final class CudaUnavailableException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public CudaUnavailableException(String message) {
        super(message);
    }
}
