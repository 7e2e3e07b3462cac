package dev.sprox.dash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Media playlists of an MPD of several Periods whose Representation ids mean different tracks in different Periods
 * (src/test/resources/dash/periods/ad-breaks.mpd): a playlist names its Period, starts there and stays on its
 * track's type through the Periods after it.
 */
class PeriodTrackTest {
    private static final URI URL = URI.create("https://origin.test/show/manifest.mpd");

    private static Mpd adBreaks() throws IOException, MpdException {
        return MpdReader.read(Files.readString(DashCorpusTest.DIRECTORY.resolve("periods/ad-breaks.mpd"),
                StandardCharsets.UTF_8), URL, MpdLimits.defaults());
    }

    private static String playlist(Mpd mpd, Optional<String> period, String id) throws MpdException {
        return HlsConverter.mediaPlaylist(mpd, period, id, Instant.EPOCH, Map.of(), DashCorpusTest.TO_SPROX,
                MpdLimits.defaults());
    }

    @Test
    void periodsAreNamedByIdOrPositionOnlyWhenThereAreSeveral() throws Exception {
        Mpd mpd = adBreaks();
        assertEquals(Optional.of("pre"), HlsConverter.periodName(mpd, 0));
        assertEquals(Optional.of("main"), HlsConverter.periodName(mpd, 1));
        assertEquals(Optional.of("3"), HlsConverter.periodName(mpd, 2));
        Mpd single = MpdReader.read("""
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" mediaPresentationDuration="PT2S"><Period id="only">\
                <AdaptationSet contentType="video"><SegmentTemplate duration="2" media="$Number$.m4s"/>\
                <Representation id="v" bandwidth="1"/></AdaptationSet></Period></MPD>""", URL, MpdLimits.defaults());
        assertEquals(Optional.empty(), HlsConverter.periodName(single, 0));
    }

    @Test
    void theVideoOfThePreRollStaysVideoWhereTheProgrammeUsesItsIdForAudio() throws Exception {
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:1
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-MAP:URI="https://ads.test/pre/v-init.mp4"
                #EXTINF:2.000,
                https://ads.test/pre/v-1.m4s
                #EXTINF:2.000,
                https://ads.test/pre/v-2.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-MAP:URI="https://sprox.test/show/2/init.mp4"
                #EXTINF:4.000,
                https://sprox.test/show/2/1.m4s
                #EXTINF:4.000,
                https://sprox.test/show/2/2.m4s
                #EXTINF:4.000,
                https://sprox.test/show/2/3.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-MAP:URI="https://ads.test/post/v-init.mp4"
                #EXTINF:2.000,
                https://ads.test/post/v-1.m4s
                #EXTINF:2.000,
                https://ads.test/post/v-2.m4s
                #EXT-X-ENDLIST
                """, playlist(adBreaks(), Optional.of("pre"), "1"));
    }

    @Test
    void aPlaylistNamingTheProgrammeStartsThereAndFollowsItsTrackIntoTheUnnamedPostRoll() throws Exception {
        Mpd mpd = adBreaks();
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:6
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:1
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-MAP:URI="https://sprox.test/show/1/init.mp4"
                #EXTINF:4.000,
                https://sprox.test/show/1/1.m4s
                #EXTINF:4.000,
                https://sprox.test/show/1/2.m4s
                #EXTINF:4.000,
                https://sprox.test/show/1/3.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-MAP:URI="https://ads.test/post/a-init.mp4"
                #EXTINF:2.000,
                https://ads.test/post/a-1.m4s
                #EXTINF:2.000,
                https://ads.test/post/a-2.m4s
                #EXT-X-ENDLIST
                """, playlist(mpd, Optional.of("main"), "1"));
        String hd = playlist(mpd, Optional.of("main"), "3");
        assertEquals(3, hd.lines().filter(l -> l.startsWith("https://sprox.test/show/3/")).count(), hd);
        assertEquals(2, hd.lines().filter(l -> l.startsWith("https://ads.test/post/v-")).count(), hd);
        assertEquals(0, hd.lines().filter(l -> l.contains("/pre/")).count(), hd);
    }

    @Test
    void thePostRollIsNamedByItsPosition() throws Exception {
        String audio = playlist(adBreaks(), Optional.of("3"), "2");
        assertEquals(2, audio.lines().filter(l -> l.startsWith("https://ads.test/post/a-")).count(), audio);
        assertEquals(0, audio.lines().filter(l -> l.contains("#EXT-X-DISCONTINUITY")).count(), audio);
    }

    @Test
    void withoutAPeriodTheIdIsFollowedFromWhereItFirstAppears() throws Exception {
        assertEquals(playlist(adBreaks(), Optional.of("pre"), "1"), playlist(adBreaks(), Optional.empty(), "1"));
    }

    @Test
    void aPeriodOrRepresentationTheStaticMpdDoesNotHaveIsRefused() throws Exception {
        Mpd mpd = adBreaks();
        assertEquals("no Period named \"later\"",
                assertThrows(MpdException.class, () -> playlist(mpd, Optional.of("later"), "1")).reason());
        // Period 2 has an id, so its position does not name it.
        assertThrows(MpdException.class, () -> playlist(mpd, Optional.of("2"), "2"));
        assertEquals("no Representation with id \"3\" in Period \"pre\"",
                assertThrows(MpdException.class, () -> playlist(mpd, Optional.of("pre"), "3")).reason());
        assertThrows(MpdException.class, () -> HlsConverter.indexRequests(mpd, Optional.of("later"), "1"));
    }

    @Test
    void aLiveMpdThatNoLongerListsTheNamedPeriodIsFollowedFromItsFirst() throws Exception {
        Mpd live = MpdReader.read(Files.readString(DashCorpusTest.DIRECTORY.resolve("live-multiperiod.mpd"),
                StandardCharsets.UTF_8), URI.create("https://origin.test/live/manifest.mpd"), MpdLimits.defaults());
        Instant now = Instant.parse("2026-12-01T09:01:08Z");
        String named = HlsConverter.mediaPlaylist(live, Optional.of("show"), "v", now, Map.of(),
                DashCorpusTest.TO_SPROX, MpdLimits.defaults());
        String gone = HlsConverter.mediaPlaylist(live, Optional.of("an-earlier-show"), "v", now, Map.of(),
                DashCorpusTest.TO_SPROX, MpdLimits.defaults());
        assertEquals(named, gone);
        assertEquals(HlsConverter.mediaPlaylist(live, "v", now, Map.of(), DashCorpusTest.TO_SPROX,
                MpdLimits.defaults()), named);
    }
}
