package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentListerTest {
    private static final URI URL = URI.create("https://origin.test/m.mpd");

    private static List<MediaSegment> segments(String mpdText, Instant now, MpdLimits limits) throws MpdException {
        Mpd mpd = MpdReader.read(mpdText, URL, limits);
        Mpd.Period period = mpd.periods().getFirst();
        return SegmentLister.list(mpd, period, period.adaptationSets().getFirst().representations().getFirst(), now,
                Map.of(), limits);
    }

    private static String timeline(String type, String attributes, String s) {
        return """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="%s" %s><Period><AdaptationSet mimeType="video/mp4">\
                <SegmentTemplate timescale="10" media="$Time$.m4s"><SegmentTimeline>%s</SegmentTimeline>\
                </SegmentTemplate><Representation id="v" bandwidth="1"/></AdaptationSet></Period></MPD>"""
                .formatted(type, attributes, s);
    }

    @Test
    void repeatsNegativeRUpToTheNextExplicitTime() throws MpdException {
        List<MediaSegment> listed = segments(timeline("static", "mediaPresentationDuration=\"PT10S\"",
                "<S t=\"0\" d=\"20\" r=\"-1\"/><S t=\"70\" d=\"30\"/>"), Instant.EPOCH, MpdLimits.defaults());
        assertEquals(List.of("0.m4s", "20.m4s", "40.m4s", "60.m4s", "70.m4s"),
                listed.stream().map(MediaSegment::url).map(u -> u.substring(u.lastIndexOf('/') + 1)).toList());
    }

    @Test
    void listsOnlyTheNewestOfAHugeLiveRepeatWithoutWalkingIt() throws MpdException {
        String mpd = timeline("dynamic", "availabilityStartTime=\"1970-01-01T00:00:00Z\"",
                "<S t=\"0\" d=\"10\" r=\"2000000000\"/>");
        List<MediaSegment> listed = segments(mpd, Instant.parse("2026-01-01T00:00:00Z"),
                MpdLimits.defaults());
        assertEquals(MpdLimits.defaults().maxSegments(), listed.size());
        // 1 s segments from the epoch: the newest listed is the one that ended at the clock, 1767225600 s later
        assertEquals(1_767_225_599L, listed.getLast().sequence());
    }

    @Test
    void refusesStaticListLongerThanTheLimit() {
        String mpd = timeline("static", "mediaPresentationDuration=\"PT100000S\"", "<S t=\"0\" d=\"10\" r=\"-1\"/>");
        MpdException e = assertThrows(MpdException.class,
                () -> segments(mpd, Instant.EPOCH, MpdLimits.defaults()));
        assertEquals("Representation v has more than 20000 segments", e.reason());
    }

    @Test
    void listsNothingBeforeTheAvailabilityStart() throws MpdException {
        String mpd = """
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="dynamic" availabilityStartTime="2030-01-01T00:00:00Z">\
                <Period start="PT0S"><AdaptationSet mimeType="video/mp4"><SegmentTemplate duration="2" \
                media="$Number$.m4s"/><Representation id="v" bandwidth="1"/></AdaptationSet></Period></MPD>""";
        assertEquals(List.of(), segments(mpd, Instant.parse("2029-12-31T23:59:59Z"), MpdLimits.defaults()));
    }

    @Test
    void listsEverythingOfADynamicMpdWithoutAvailabilityStartTime() throws MpdException {
        String mpd = timeline("dynamic", "mediaPresentationDuration=\"PT6S\"", "<S t=\"0\" d=\"20\" r=\"2\"/>");
        assertEquals(List.of(0L, 20L, 40L), segments(mpd, Instant.EPOCH, MpdLimits.defaults()).stream()
                .map(MediaSegment::start).toList());
    }
}
