package dev.sprox.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The secrets tests hand to sprox. Every sprox process the end-to-end tests start is checked for them when
 * it is closed, and after the whole suite {@code SecretsNeverLoggedIT} checks every log line the run wrote
 * (see {@link #LOG_DIRECTORY}): no secret may reach a log line.
 */
public final class TestSecrets {
    public static final String API_PASSWORD = "hunter2";
    public static final String SOCKS_PASSWORD = "s3cr3t-from-env";
    public static final String TOKEN = "tok-5f1e2d3c";

    /** Content keys the DRM tests load, each scanned for in both forms a key could be written in. */
    public static final String CONTENT_KEY_A = "3c1f8a9e2b7d4c6e0f5a1b3d5e7f9a2c";
    public static final String CONTENT_KEY_A_BASE64URL = "PB-Knit9TG4PWhs9Xn-aLA";
    public static final String CONTENT_KEY_B = "9e4b2d7a1c8f3e5b6d0a2c4e6f8b1d3a";
    public static final String CONTENT_KEY_B_BASE64URL = "nkstehyPPlttCixOb4sdOg";
    /** The KIDs the DRM tests pair with those keys; not secret. */
    public static final String KID_A = "6a5f0c2b8e7d4a3f9c1b2e4d6f8a0b1c";
    public static final String KID_B = "0b1c2d3e4f5061728394a5b6c7d8e9f0";

    public static final List<String> ALL = List.of(API_PASSWORD, SOCKS_PASSWORD, TOKEN, CONTENT_KEY_A,
            CONTENT_KEY_A_BASE64URL, CONTENT_KEY_B, CONTENT_KEY_B_BASE64URL);

    /**
     * Where the test JVMs (logback-test.xml, at debug for sprox's own loggers) and the sprox processes of the
     * end-to-end tests write their log lines.
     */
    public static final Path LOG_DIRECTORY = Path.of("target", "test-logs");

    private static boolean processLogStarted;

    private TestSecrets() {}

    /** Fails naming the secret and the first line that carried it. */
    public static void assertNoneIn(List<String> lines, String stream) {
        leaks(lines).stream().findFirst().ifPresent(leak -> {
            throw new AssertionError("a secret reached sprox's " + stream + ": " + leak);
        });
    }

    /** The lines that carry a secret. */
    public static List<String> leaks(List<String> lines) {
        var found = new ArrayList<String>();
        for (String line : lines) {
            if (ALL.stream().anyMatch(line::contains)) {
                found.add(line);
            }
        }
        return found;
    }

    /**
     * Appends a finished process's lines to the suite's log directory, so the final scan sees them too. The
     * first call in a JVM starts the file afresh, so lines of an earlier run cannot pass for this one's.
     */
    public static synchronized void keep(String source, List<String> lines) {
        try {
            Files.createDirectories(LOG_DIRECTORY);
            if (!processLogStarted) {
                Files.deleteIfExists(LOG_DIRECTORY.resolve("processes.log"));
                processLogStarted = true;
            }
            var text = new ArrayList<String>(lines.size() + 1);
            text.add("# " + source);
            text.addAll(lines);
            Files.write(LOG_DIRECTORY.resolve("processes.log"), text, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code *.log} file the suite wrote. */
    public static List<Path> logFiles() {
        if (!Files.isDirectory(LOG_DIRECTORY)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(LOG_DIRECTORY)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
