/*
 * Strict UTF-8 input: text a user gives is never silently altered, so undecodable bytes are an error.
 */
package dev.vireo.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads files as strict UTF-8. */
final class Utf8 {
    private Utf8() {}

    static String readStrict(Path file) throws IOException {
        return decodeStrict(Files.readAllBytes(file), file.toString());
    }

    static String decodeStrict(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8 text (" + e.getMessage() + ")");
        }
    }
}
