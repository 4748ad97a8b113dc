/*
 * The small gpt-oss-architecture model Vireo ships inside its core jar (trained by the project on
 * public-domain text, tools/demo-model/README.md), so that a first command generates real text with
 * nothing downloaded:
 *
 *   try (LanguageModel model = Vireo.load(DemoModel.path())) { ... }
 *
 * Models are memory-mapped files, so a jar's copy is first written to a cache file named after its
 * SHA-256 (reused while it matches, replaced atomically, so concurrent first runs are safe). Where the
 * classes are a directory (a build tree), the resource is used in place.
 * Tested by DemoModelTest.
 */
package dev.vireo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Where the embedded demo model is. */
public final class DemoModel {
    private DemoModel() {}

    /** The classpath resource holding the model file. */
    public static final String RESOURCE = "/dev/vireo/demo/vireo-demo.gguf";

    /** A short description for messages ("using the embedded ..."). */
    public static final String DESCRIPTION = "vireo-demo, a 9M-parameter gpt-oss trained on the King James Bible"
            + " and the Jargon File";

    /** Whether this build carries the model. */
    public static boolean available() {
        return DemoModel.class.getResource(RESOURCE) != null;
    }

    /**
     * A file holding the embedded model, ready for {@link Vireo#load(Path)}.
     *
     * @throws IllegalStateException if this build carries no demo model
     * @throws UncheckedIOException if the cache file cannot be written (set the system property
     *     {@code vireo.cache} to a writable directory)
     */
    public static Path path() {
        URL url = DemoModel.class.getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException("this Vireo build has no embedded model (" + RESOURCE + ")");
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            return extract(url, Files.createDirectories(cacheDir()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the embedded model to " + cacheDir()
                    + " (set -Dvireo.cache to a writable directory)", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad resource URL " + url, e);
        }
    }

    /** {@code -Dvireo.cache}, else ~/.cache/vireo, else the temporary directory. */
    static Path cacheDir() {
        String configured = System.getProperty("vireo.cache");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path home = Path.of(System.getProperty("user.home", "."), ".cache", "vireo");
        Path parent = home.getParent();
        if (Files.isDirectory(home) ? Files.isWritable(home) : parent != null && (Files.isWritable(parent)
                || !Files.exists(parent))) {
            return home;
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "vireo-" + System.getProperty("user.name", "user"));
    }

    /** Copies the model at {@code url} into {@code dir} unless a file there already holds it. */
    static Path extract(URL url, Path dir) throws IOException {
        String sha = sha256(url);
        Path target = dir.resolve("vireo-demo-" + sha.substring(0, 16) + ".gguf");
        if (Files.isRegularFile(target) && sha.equals(sha256(target))) {
            return target;
        }
        Path tmp = Files.createTempFile(dir, "vireo-demo", ".part");
        try {
            try (InputStream in = url.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    private static String sha256(URL url) throws IOException {
        try (InputStream in = url.openStream()) {
            return digest(in);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    private static String digest(InputStream in) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, md)) {
                d.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
