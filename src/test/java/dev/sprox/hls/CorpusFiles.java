package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The shared HLS corpus, laid beside the clone as ../shared (see shared/corpus/README.md). */
final class CorpusFiles {

    static final Path DIRECTORY = Path.of("../shared/corpus/hls");
    static final URI PLAYLIST_URL = URI.create("https://example.com/2M/waitForMSN.php?_HLS_msn=273&_HLS_part=2");

    /** No #EXTM3U first line: missing altogether, empty file, or a comment before it. */
    static final Set<String> INVALID = Set.of("empty.m3u8", "manifestNoExtM3u.m3u8", "start.m3u8", "master.m3u8",
            "streamInfInvalid.m3u8");

    private CorpusFiles() {}

    static List<String> names() {
        assertTrue(Files.isDirectory(DIRECTORY), "HLS corpus not found at " + DIRECTORY.toAbsolutePath());
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".m3u8")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> validNames() {
        return names().stream().filter(name -> !INVALID.contains(name)).toList();
    }

    static String read(String name) {
        try {
            return Files.readString(DIRECTORY.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
