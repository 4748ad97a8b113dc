/*
 * Thrown by a downcall whose library is not installed or lacks the function: one sentence, naming
 * the library and the symbol, that a user can act on. An UnsupportedOperationException, so the
 * command line prints it as a user error rather than a stack trace.
 */
package dev.vireo.cuda.ffi;

/** A native library or one of its functions is not available on this machine. */
public final class SymbolUnavailableException extends UnsupportedOperationException {
    private static final long serialVersionUID = 1L;

    public SymbolUnavailableException(String message) {
        super(message);
    }
}
