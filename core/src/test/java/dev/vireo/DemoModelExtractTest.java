/*
 * DemoModel's copy out of a jar: written once, reused while its bytes match, rewritten when damaged.
 */
package dev.vireo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoModelExtractTest {
    @TempDir
    Path tmp;

    @Test
    void copiesOutOfAJarOnceAndRepairsADamagedCopy() throws Exception {
        byte[] model = new byte[100_000];
        new java.util.Random(7).nextBytes(model);
        Path jar = tmp.resolve("model.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(DemoModel.RESOURCE.substring(1)));
            out.write(model);
            out.closeEntry();
        }
        URL url = URI.create("jar:" + jar.toUri() + "!" + DemoModel.RESOURCE).toURL();
        Path cache = tmp.resolve("cache");
        Files.createDirectories(cache);

        Path first = DemoModel.extract(url, cache);
        assertArrayEquals(model, Files.readAllBytes(first));
        assertTrue(first.getFileName().toString().startsWith("vireo-demo-"), first.toString());

        FileTime written = FileTime.fromMillis(1_000_000_000L);
        Files.setLastModifiedTime(first, written);
        assertEquals(first, DemoModel.extract(url, cache));
        assertEquals(written, Files.getLastModifiedTime(first), "an intact copy is reused, not rewritten");

        Files.write(first, new byte[] {1, 2, 3});
        assertArrayEquals(model, Files.readAllBytes(DemoModel.extract(url, cache)), "a damaged copy is replaced");
        try (var files = Files.list(cache)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }
}
