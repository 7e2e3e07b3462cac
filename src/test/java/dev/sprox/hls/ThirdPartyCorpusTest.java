package dev.sprox.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An extra check, run only when asked for: the videojs/m3u8-parser fixtures (laid beside the clone as
 * shared/corpus) rewritten byte for byte, with every URI offered. Skipped, saying so, when not asked for.
 */
class ThirdPartyCorpusTest {

    private static final URI PLAYLIST_URL = URI.create("https://example.com/2M/waitForMSN.php?_HLS_msn=273&_HLS_part=2");

    /** No #EXTM3U first line: missing altogether, empty file, or a comment before it. */
    private static final Set<String> INVALID = Set.of("empty.m3u8", "manifestNoExtM3u.m3u8", "start.m3u8", "master.m3u8",
            "streamInfInvalid.m3u8");

    static List<String> validNames() {
        return Corpus.thirdParty().names().stream().filter(name -> !INVALID.contains(name)).toList();
    }

    static List<String> invalidNames() {
        return INVALID.stream().sorted().toList();
    }

    @Test
    void corpusHoldsTheExpectedFiles() {
        List<String> names = Corpus.thirdParty().names();
        assertTrue(names.size() >= 60, "corpus has " + names.size() + " files");
        assertTrue(names.containsAll(INVALID));
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void echoMapperReproducesEveryValidFileByteForByte(String name) throws PlaylistException {
        String playlist = Corpus.thirdParty().read(name);
        assertEquals(playlist, PlaylistRewriter.rewrite(playlist, PLAYLIST_URL, RecordingMapper.echoing()));
    }

    @ParameterizedTest
    @MethodSource("validNames")
    void offersAsManyUrisAsAnIndependentCount(String name) throws PlaylistException {
        String playlist = Corpus.thirdParty().read(name);
        RecordingMapper mapper = RecordingMapper.proxying();
        String out = PlaylistRewriter.rewrite(playlist, PLAYLIST_URL, mapper);
        assertEquals(IndependentCount.urisIn(playlist), mapper.offered.size());
        assertEquals(mapper.offered.size(), IndependentCount.occurrences(out, "https://proxy.test/"));
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
        PlaylistRewriter.rewrite(Corpus.thirdParty().read(name), PLAYLIST_URL, mapper);
        Map<ResourceKind, Integer> counts = new EnumMap<>(ResourceKind.class);
        for (String pair : expected.isEmpty() ? new String[0] : expected.split(" ")) {
            counts.put(ResourceKind.valueOf(pair.substring(0, pair.indexOf('='))), Integer.parseInt(pair.substring(pair.indexOf('=') + 1)));
        }
        assertEquals(counts, mapper.countsByKind());
    }

    @ParameterizedTest
    @MethodSource("invalidNames")
    void refusesFilesWithoutHeader(String name) {
        String playlist = Corpus.thirdParty().read(name);
        PlaylistException e = assertThrows(PlaylistException.class,
                () -> PlaylistRewriter.rewrite(playlist, PLAYLIST_URL, RecordingMapper.proxying()));
        assertEquals(1, e.line());
    }
}
