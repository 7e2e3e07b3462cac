package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A live MPD of two Periods converted at every reload a player would make while its window slides over the
 * boundary. RFC 8216 §6.2.2 and §6.3.2: a segment keeps its media sequence number and its discontinuity
 * sequence number in every playlist that lists it, so the playlists must say how many discontinuities slid out.
 */
class LiveWindowSlideTest {

    /** Where one segment stands in one playlist. */
    private record Place(long mediaSequence, long discontinuitySequence) {}

    @Test
    void everySegmentKeepsItsNumbersAcrossReloadsWhileTheWindowSlidesOverAPeriodBoundary() throws Exception {
        Mpd mpd = MpdReader.read(Files.readString(DashCorpusTest.DIRECTORY.resolve("live-multiperiod.mpd")),
                URI.create("https://origin.test/live/manifest.mpd"), MpdLimits.defaults());
        Map<String, Place> first = new HashMap<>();
        var playlistSequences = new TreeSet<Long>();
        long previous = -1;
        Instant start = Instant.parse("2026-12-01T09:00:50Z");
        for (int step = 0; step <= 30; step++) {
            String playlist = HlsConverter.mediaPlaylist(mpd, "v", start.plus(Duration.ofSeconds(2L * step)),
                    Map.of(), DashCorpusTest.TO_SPROX, MpdLimits.defaults());
            long mediaSequence = 0;
            long discontinuity = 0;
            for (String line : playlist.split("\n")) {
                if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                    mediaSequence = Long.parseLong(line.substring(line.indexOf(':') + 1));
                } else if (line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                    discontinuity = Long.parseLong(line.substring(line.indexOf(':') + 1));
                    assertTrue(discontinuity >= previous, "the discontinuity sequence went down:\n" + playlist);
                    previous = discontinuity;
                    playlistSequences.add(discontinuity);
                } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                    discontinuity++;
                } else if (!line.startsWith("#")) {
                    Place place = new Place(mediaSequence++, discontinuity);
                    Place earlier = first.putIfAbsent(line, place);
                    if (earlier != null) {
                        assertEquals(earlier, place, line + " moved in\n" + playlist);
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(List.of(0L, 1L)), playlistSequences,
                "windows before, across and after the boundary");
        assertEquals(new Place(15, 1), first.get("https://ads.test/break/1.m4s"));
        assertEquals(new Place(14, 0), first.get("https://sprox.test/live/show/114.m4s"));
    }
}
