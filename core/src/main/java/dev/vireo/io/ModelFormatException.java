/*
 * The one exception for model files that cannot be used: truncated, corrupt, hostile, or simply not
 * what the architecture asks for. Its message names the file and what was expected and found.
 */
package dev.vireo.io;

import java.nio.file.Path;

/** A model file (GGUF, safetensors, config) is malformed or does not match what is required of it. */
public class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A message prefixed with the file it is about. */
    public static ModelFormatException in(Path file, String message) {
        return new ModelFormatException(file + ": " + message);
    }
}
