package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A folder of playlists to rewrite: the project's own ({@code src/test/resources/hls/corpus}, written by the team
 * with hand counts beside it), or a third-party one that runs only when asked for with
 * {@code -Dsprox.thirdPartyCorpus=DIR} (scripts/test sets it from {@code SPROX_THIRD_PARTY_CORPUS}).
 */
record Corpus(Path directory) {

    static final String THIRD_PARTY_PROPERTY = "sprox.thirdPartyCorpus";

    static Corpus own() {
        try {
            return new Corpus(Path.of(Objects.requireNonNull(Corpus.class.getResource("/hls/corpus")).toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The third-party corpus's {@code hls} folder; the calling test is skipped, saying so, when it was not asked for. */
    static Corpus thirdParty() {
        String root = System.getProperty(THIRD_PARTY_PROPERTY, "");
        Assumptions.assumeFalse(root.isBlank(),
                "the third-party corpus check was not asked for (-D" + THIRD_PARTY_PROPERTY + "=DIR, or SPROX_THIRD_PARTY_CORPUS with scripts/test)");
        Path hls = Path.of(root, "hls");
        assertTrue(Files.isDirectory(hls), "third-party HLS corpus asked for but not found at " + hls.toAbsolutePath());
        return new Corpus(hls);
    }

    List<String> names() {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".m3u8")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(String name) {
        try {
            return Files.readString(directory.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
