package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CorpusRewriteTest {

    static List<String> validNames() {
        return CorpusFiles.validNames();
    }

    static List<String> invalidNames() {
        return CorpusFiles.INVALID.stream().sorted().toList();
    }

    @Test
    void corpusHoldsTheExpectedFiles() {
        List<String> names = CorpusFiles.names();
        assertTrue(names.size() >= 60, "corpus has " + names.size() + " files");
        assertTrue(names.containsAll(CorpusFiles.INVALID));
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void echoMapperReproducesEveryValidFileByteForByte(String name) throws PlaylistException {
        String playlist = CorpusFiles.read(name);
        assertEquals(playlist, PlaylistRewriter.rewrite(playlist, CorpusFiles.PLAYLIST_URL, RecordingMapper.echoing()));
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void offersAsManyUrisAsAnIndependentCount(String name) throws PlaylistException {
        String playlist = CorpusFiles.read(name);
        RecordingMapper mapper = RecordingMapper.proxying();
        String out = PlaylistRewriter.rewrite(playlist, CorpusFiles.PLAYLIST_URL, mapper);
        assertEquals(independentCount(playlist), mapper.offered.size());
        assertEquals(mapper.offered.size(), occurrences(out, "https://proxy.test/"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "absoluteUris.m3u8; SEGMENT=4",
        "allowCache.m3u8; SEGMENT=17",
        "alternateAudio.m3u8; PLAYLIST=5",
        "alternateVideo.m3u8; PLAYLIST=4",
        "brightcove.m3u8; PLAYLIST=4",
        "diff-init-key.m3u8; SEGMENT=11 KEY=7 INIT_SECTION=7",
        "encrypted.m3u8; SEGMENT=6 KEY=3",
        "fmp4.m3u8; SEGMENT=2 INIT_SECTION=1",
        "headerOnly.m3u8; ''",
        "iFramePlaylist.m3u8; PLAYLIST=18",
        "llhls.m3u8; PLAYLIST=2 SEGMENT=7 INIT_SECTION=2 PART=28",
        "llhlsDelta.m3u8; PLAYLIST=2 SEGMENT=4 INIT_SECTION=1 PART=29",
        "llhls-byte-range.m3u8; SEGMENT=17 INIT_SECTION=1 PART=8 PRELOAD_HINT=1",
        "llhls-delta-byte-range.m3u8; SEGMENT=4 INIT_SECTION=1 PART=9 PRELOAD_HINT=1",
        "master-fmp4.m3u8; PLAYLIST=34",
        "missingExtinf.m3u8; SEGMENT=3",
        "multipleTargetDurations.m3u8; SEGMENT=4",
        "multipleVideo.m3u8; PLAYLIST=7",
        "whiteSpace.m3u8; SEGMENT=4",
    })
    void offersHandCountedUrisWithTheirKinds(String name, String expected) throws PlaylistException {
        RecordingMapper mapper = RecordingMapper.proxying();
        PlaylistRewriter.rewrite(CorpusFiles.read(name), CorpusFiles.PLAYLIST_URL, mapper);
        Map<ResourceKind, Integer> counts = new EnumMap<>(ResourceKind.class);
        for (String pair : expected.isEmpty() ? new String[0] : expected.split(" ")) {
            counts.put(ResourceKind.valueOf(pair.substring(0, pair.indexOf('='))), Integer.parseInt(pair.substring(pair.indexOf('=') + 1)));
        }
        assertEquals(counts, mapper.countsByKind());
    }

    @Test
    void resolvesLowLatencyReferencesAgainstThePlaylistUrl() throws PlaylistException {
        RecordingMapper mapper = RecordingMapper.proxying();
        PlaylistRewriter.rewrite(CorpusFiles.read("llhls.m3u8"), CorpusFiles.PLAYLIST_URL, mapper);
        List<String> seen = mapper.absolutes();
        assertTrue(seen.containsAll(List.of("INIT_SECTION https://example.com/2M/init.mp4", "PART https://example.com/2M/filePart273.3.mp4",
                "INIT_SECTION https://example.com/2M/file-init.mp4", "PLAYLIST https://example.com/1M/waitForMSN.php")), seen.toString());
    }

    @Test
    void resolvesWhitespaceAndSchemeRelativeLines() throws PlaylistException {
        RecordingMapper mapper = RecordingMapper.proxying();
        PlaylistRewriter.rewrite(CorpusFiles.read("whiteSpace.m3u8"), CorpusFiles.PLAYLIST_URL, mapper);
        assertEquals(List.of("SEGMENT http://example.com/00001.ts", "SEGMENT https://example.com/00002.ts",
                "SEGMENT https://example.com/00003.ts", "SEGMENT http://example.com/00004.ts"), mapper.absolutes());
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void refusesFilesWithoutHeader(String name) {
        PlaylistException e = assertThrows(PlaylistException.class,
                () -> PlaylistRewriter.rewrite(CorpusFiles.read(name), CorpusFiles.PLAYLIST_URL, RecordingMapper.proxying()));
        assertEquals(1, e.line());
    }

    // --- an independent count: plain regular expressions over the text, not the engine's line walk

    private static final Pattern URI_LINE = Pattern.compile("(?m)^[ \\t]*[^#\\s].*$");
    private static final Pattern URI_TAG_LINE = Pattern.compile("(?m)^[ \\t]*#(EXT-X-[A-Z-]+):(.*)$");
    private static final Set<String> URI_TAGS = Set.of("EXT-X-KEY", "EXT-X-SESSION-KEY", "EXT-X-MAP", "EXT-X-MEDIA",
            "EXT-X-I-FRAME-STREAM-INF", "EXT-X-IMAGE-STREAM-INF", "EXT-X-PART", "EXT-X-PRELOAD-HINT", "EXT-X-RENDITION-REPORT",
            "EXT-X-SESSION-DATA", "EXT-X-CONTENT-STEERING", "EXT-X-DATERANGE");
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("(?:^|,)\\s*(?:URI|SERVER-URI|X-ASSET-URI|X-ASSET-LIST)\\s*=\\s*\"");

    private static int independentCount(String playlist) {
        int count = (int) URI_LINE.matcher(playlist).results().count();
        Matcher tag = URI_TAG_LINE.matcher(playlist);
        while (tag.find()) {
            if (URI_TAGS.contains(tag.group(1))) {
                count += (int) URI_ATTRIBUTE.matcher(tag.group(2)).results().count();
            }
        }
        return count;
    }

    private static int occurrences(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
