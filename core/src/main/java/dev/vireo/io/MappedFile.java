/*
 * Maps a model file read-only into an arena: weights are never copied onto the heap, and the mapping
 * lives exactly as long as the arena that owns it (STYLE.md: ownership is a tree of AutoCloseables).
 */
package dev.vireo.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Read-only file mapping. */
final class MappedFile {
    private MappedFile() {}

    /** Maps all of {@code path} read-only into {@code arena}. */
    static MemorySegment map(Path path, Arena arena) throws IOException {
        if (Files.isDirectory(path)) {
            // FileChannel would open it and fail to map with "No such device".
            throw new FileSystemException(path.toString(), null, "is a directory, not a model file");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        }
    }

    /** The label errors about {@code path} carry. */
    static String label(Path path) {
        return path.toString();
    }
}
