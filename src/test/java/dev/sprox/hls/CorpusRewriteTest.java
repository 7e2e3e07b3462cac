package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The project's own corpus (src/test/resources/hls/corpus) against the counts written beside it by hand. */
class CorpusRewriteTest {

    static final Corpus CORPUS = Corpus.own();
    static final URI PLAYLIST_URL = URI.create("https://origin.test/vod/stream/index.m3u8?token=t0k");
    private static final Map<String, String> EXPECTED = handCounts();

    static List<String> playlists() {
        return EXPECTED.entrySet().stream().filter(e -> !e.getValue().startsWith("refused")).map(Map.Entry::getKey).toList();
    }

    static List<String> malformed() {
        return EXPECTED.entrySet().stream().filter(e -> e.getValue().startsWith("refused")).map(Map.Entry::getKey).toList();
    }

    @Test
    void everyFileHasAHandCount() {
        assertEquals(CORPUS.names(), EXPECTED.keySet().stream().sorted().toList());
    }

    @ParameterizedTest
    @MethodSource("playlists")
    void echoMapperReproducesTheFileByteForByte(String name) throws PlaylistException {
        String playlist = CORPUS.read(name);
        assertEquals(playlist, PlaylistRewriter.rewrite(playlist, PLAYLIST_URL, RecordingMapper.echoing()));
    }

    @ParameterizedTest
    @MethodSource("playlists")
    void offersTheHandCountedUrisWithTheirKinds(String name) throws PlaylistException {
        RecordingMapper mapper = RecordingMapper.proxying();
        String out = PlaylistRewriter.rewrite(CORPUS.read(name), PLAYLIST_URL, mapper);
        Map<ResourceKind, Integer> expected = new EnumMap<>(ResourceKind.class);
        for (String pair : EXPECTED.get(name).split(" ")) {
            String[] kindAndCount = pair.split("=");
            expected.put(ResourceKind.valueOf(kindAndCount[0]), Integer.parseInt(kindAndCount[1]));
        }
        assertEquals(expected, mapper.countsByKind());
        assertEquals(mapper.offered.size(), IndependentCount.occurrences(out, "https://proxy.test/"));
    }

    @ParameterizedTest
    @MethodSource("playlists")
    void handCountsAgreeWithAnIndependentCount(String name) throws PlaylistException {
        String playlist = CORPUS.read(name);
        RecordingMapper mapper = RecordingMapper.proxying();
        PlaylistRewriter.rewrite(playlist, PLAYLIST_URL, mapper);
        assertEquals(IndependentCount.urisIn(playlist), mapper.offered.size());
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void refusesMalformedFilesAtTheLineWritten(String name) {
        PlaylistException e = assertThrows(PlaylistException.class,
                () -> PlaylistRewriter.rewrite(CORPUS.read(name), PLAYLIST_URL, RecordingMapper.proxying()));
        assertEquals(Integer.parseInt(EXPECTED.get(name).substring("refused at line ".length())), e.line(), e.getMessage());
    }

    @Test
    void resolvesEveryKindOfReferenceAgainstThePlaylistUrl() throws PlaylistException {
        assertEquals(List.of(
                "STEERING_MANIFEST https://origin.test/steering?video=42",
                "SESSION_DATA https://origin.test/vod/stream/chapters.json",
                "KEY https://keys.origin.test/k/1",
                "PLAYLIST https://origin.test/vod/stream/audio/en/index.m3u8",
                "PLAYLIST https://origin.test/vod/alt/audio/de.m3u8",
                "PLAYLIST https://subs.origin.test/fr/index.m3u8",
                "PLAYLIST https://origin.test/vod/stream/video/360p.m3u8",
                "PLAYLIST https://origin.test/vod/stream/video/720p.m3u8?quality=high&sig=a%2Fb",
                "PLAYLIST https://cdn-a.origin.test/vod/1080p.m3u8",
                "PLAYLIST https://origin.test/vod/stream/video/360p-iframes.m3u8",
                "PLAYLIST https://origin.test/vod/stream/video/1080p-iframes.m3u8",
                "PLAYLIST https://origin.test/vod/stream/thumbnails/index.m3u8"), absolutes("multivariant.m3u8"));
    }

    @Test
    void resolvesWhitespaceAndSchemeRelativeLines() throws PlaylistException {
        assertEquals(List.of(
                "SEGMENT https://origin.test/vod/stream/leading-spaces.ts",
                "SEGMENT https://origin.test/vod/stream/tab-indented.ts",
                "SEGMENT https://cdn.origin.test/scheme-relative.ts",
                "SEGMENT https://cdn.origin.test/indented-scheme-relative.ts",
                "SEGMENT https://origin.test/vod/stream/trailing-blank-lines-before.ts",
                "SEGMENT http://insecure.origin.test/plain-http.ts"), absolutes("whitespace.m3u8"));
    }

    @Test
    void resolvesLowLatencyPartsHintsAndReports() throws PlaylistException {
        List<String> seen = absolutes("llhls.m3u8");
        assertTrue(seen.containsAll(List.of(
                "INIT_SECTION https://origin.test/vod/stream/init.mp4",
                "PART https://origin.test/vod/stream/filePart272.0.mp4",
                "PART https://origin.test/vod/stream/big.mp4",
                "INIT_SECTION https://origin.test/vod/stream/init-next.mp4",
                "PRELOAD_HINT https://origin.test/vod/stream/hint-without-type.mp4",
                "PLAYLIST https://origin.test/vod/1M/waitForMSN.php",
                "PLAYLIST https://cdn.origin.test/4M/waitForMSN.php")), seen.toString());
    }

    @Test
    void substitutesDefinedAndQueryParameterVariablesBeforeResolving() throws PlaylistException {
        assertEquals(List.of(
                "INIT_SECTION https://cdn.origin.test/vod/movie-1/init.mp4?token=t0k",
                "KEY https://cdn.origin.test/keys/vod/movie-1.key",
                "SEGMENT https://cdn.origin.test/vod/movie-1/seg-1.m4s?token=t0k",
                "SEGMENT https://origin.test/vod/stream/vod/movie-1/seg-2.m4s",
                "SEGMENT https://origin.test/vod/stream/seg-3.m4s?token=t0k&lang=en"), absolutes("define.m3u8"));
    }

    @Test
    void keepsCrlfLineEndingsAndTheByteOrderMark() throws PlaylistException {
        String crlf = PlaylistRewriter.rewrite(CORPUS.read("crlf.m3u8"), PLAYLIST_URL, RecordingMapper.proxying());
        assertEquals(10, IndependentCount.occurrences(crlf, "\r\n"));
        String bom = PlaylistRewriter.rewrite(CORPUS.read("bom-no-final-newline.m3u8"), PLAYLIST_URL, RecordingMapper.proxying());
        assertTrue(bom.startsWith("\uFEFF#EXTM3U\n"), bom);
        assertTrue(bom.endsWith("?u=https://origin.test/vod/stream/high.m3u8"), bom);
    }

    private static List<String> absolutes(String name) throws PlaylistException {
        RecordingMapper mapper = RecordingMapper.proxying();
        PlaylistRewriter.rewrite(CORPUS.read(name), PLAYLIST_URL, mapper);
        return mapper.absolutes();
    }

    /** {@code hand-counts.txt}: "file: KIND=n KIND=n" for playlists, "file: refused at line n" for malformed ones. */
    private static Map<String, String> handCounts() {
        Map<String, String> counts = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(CORPUS.directory().resolve("hand-counts.txt"))) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    counts.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1).strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counts;
    }
}
