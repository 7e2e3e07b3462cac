package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MpdReaderTest {

    private static Mpd read(String name, String url) throws IOException, MpdException {
        return MpdReader.read(Files.readString(DashCorpusTest.DIRECTORY.resolve(name), StandardCharsets.UTF_8),
                URI.create(url), MpdLimits.defaults());
    }

    @Test
    void readsTheDynamicAttributes() throws Exception {
        Mpd mpd = read("live-number.mpd", "https://origin.test/live/ch1/manifest.mpd");
        assertEquals(true, mpd.dynamic());
        assertEquals(Optional.of(Instant.parse("2026-12-01T10:00:00Z")), mpd.availabilityStartTime());
        assertEquals(Optional.of(Instant.parse("2026-12-01T10:05:00Z")), mpd.publishTime());
        assertEquals(Optional.of(Duration.ofSeconds(4)), mpd.minimumUpdatePeriod());
        assertEquals(Optional.of(Duration.ofSeconds(20)), mpd.timeShiftBufferDepth());
        assertEquals(Optional.of(Duration.ofSeconds(8)), mpd.suggestedPresentationDelay());
        assertEquals(List.of(new Mpd.UtcTiming("urn:mpeg:dash:utc:http-xsdate:2014", "https://origin.test/time")),
                mpd.utcTimings());
    }

    @Test
    void resolvesNestedBaseUrlsAndInheritsTheTemplate() throws Exception {
        Mpd mpd = read("template-number.mpd", "https://origin.test/vod/title/manifest.mpd");
        Mpd.Representation v360 = mpd.periods().getFirst().adaptationSets().getFirst().representations().get(1);
        assertEquals(new Mpd.SegmentTemplate("https://origin.test/vod/title/$RepresentationID$/seg-$Number%05d$.m4s",
                Optional.of("https://origin.test/vod/title/$RepresentationID$/init.mp4"), 90000, Optional.of(540000L),
                1, Optional.empty(), 0, List.of()), v360.addressing());
        assertEquals(Optional.of("30000/1001"), v360.frameRate());
    }

    @Test
    void takesTheFirstOfSeveralBaseUrlsAndSaysSo() throws Exception {
        Mpd mpd = read("text-tracks.mpd", "https://origin.test/tt/manifest.mpd");
        assertEquals(List.of("line 4: MPD has 2 BaseURLs; the first is used"), mpd.notes());
        assertEquals("https://origin.test/tt/subs/en.vtt",
                mpd.periods().getFirst().adaptationSets().get(1).representations().getFirst().baseUrl());
    }

    @Test
    void keepsContentProtectionVerbatimWithKidAndPsshReadable() throws Exception {
        Mpd mpd = read("text-tracks.mpd", "https://origin.test/tt/manifest.mpd");
        List<Mpd.ContentProtection> protections = mpd.periods().getFirst().adaptationSets().getFirst()
                .representations().getFirst().protections();
        assertEquals(Optional.of("10000000-1000-1000-1000-100000000001"), protections.get(0).defaultKid());
        assertEquals(Optional.of("AAAANHBzc2gBAAAAEHfv7MCyTQKs4zweUuL7SwAAAAEQAAAAEAAQABAAEAAAAAAAAQAAAAA="),
                protections.get(1).pssh());
        assertEquals("""
                <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc"
                                         cenc:default_KID="10000000-1000-1000-1000-100000000001"/>""",
                protections.get(0).xml());
    }

    @Test
    void derivesPeriodStartsAndDurations() throws Exception {
        Mpd mpd = read("multiperiod.mpd", "https://origin.test/mp/manifest.mpd");
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(6)),
                mpd.periods().stream().map(Mpd.Period::start).toList());
        assertEquals(List.of(Optional.of(Duration.ofSeconds(6)), Optional.of(Duration.ofSeconds(10))),
                mpd.periods().stream().map(Mpd.Period::duration).toList());
        assertEquals(List.of("https://origin.test/mp/manifest.mpd?session=42"), mpd.locations());
        assertEquals(List.of("https://origin.test/mp/patch.mpp"), mpd.patchLocations());
        assertEquals(List.of(new Mpd.EventStream("urn:scte:scte35:2014:xml+bin", Optional.empty(), 90000, 1)),
                mpd.periods().getFirst().eventStreams());
    }

    @Test
    void tellsTextTracksByMimeTypeAndCodecs() throws Exception {
        Mpd mpd = read("text-tracks.mpd", "https://origin.test/tt/manifest.mpd");
        assertEquals(List.of(Mpd.TrackType.VIDEO, Mpd.TrackType.TEXT, Mpd.TrackType.TEXT),
                mpd.periods().getFirst().adaptationSets().stream().map(Mpd.AdaptationSet::type).toList());
    }

    @Test
    void resolvesAgainstTheUrlAfterRedirects() throws Exception {
        Mpd mpd = read("relative.mpd", "https://edge.test/after/redirect/manifest.mpd");
        var template = (Mpd.SegmentTemplate) mpd.periods().getFirst().adaptationSets().getFirst().representations()
                .getFirst().addressing();
        assertEquals("https://edge.test/after/redirect/chunk-stream$RepresentationID$-$Number%05d$.m4s",
                template.media());
    }
}
