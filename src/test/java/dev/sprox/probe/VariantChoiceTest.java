package dev.sprox.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.hls.PlaylistException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class VariantChoiceTest {
    private static final URI MASTER_URL = URI.create("http://origin.test/vod/master.m3u8");
    private static final String MASTER = """
            #EXTM3U
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",DEFAULT=YES,URI="audio/index.m3u8"
            #EXT-X-STREAM-INF:AVERAGE-BANDWIDTH=9000000,BANDWIDTH=800000,RESOLUTION=640x360,AUDIO="aud"
            mid/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,AUDIO="aud"
            high/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=200000,CODECS="avc1.42e00a,mp4a.40.2"
            low/index.m3u8
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=99000000,URI="iframes.m3u8"
            """;

    private static List<StreamInf.Variant> variants() throws PlaylistException {
        return StreamInf.variants(PlaylistLinks.read(MASTER, MASTER_URL));
    }

    private static String chosen(String choice) throws PlaylistException {
        return VariantChoice.parse(choice).from(variants()).orElseThrow().uri().absolute();
    }

    @Test
    void variantsAreTheStreamInfUrisWithTheirBandwidth() throws PlaylistException {
        assertEquals(List.of(800_000L, 2_500_000L, 200_000L),
                variants().stream().map(StreamInf.Variant::bandwidth).toList());
    }

    @Test
    void highestIsByBandwidthNotAverageBandwidthAndNeverAnIFrameStream() throws PlaylistException {
        assertEquals("http://origin.test/vod/high/index.m3u8", chosen("highest"));
    }

    @Test
    void lowest() throws PlaylistException {
        assertEquals("http://origin.test/vod/low/index.m3u8", chosen("lowest"));
    }

    @Test
    void aPositionCountsFromOneInPlaylistOrder() throws PlaylistException {
        assertEquals("http://origin.test/vod/mid/index.m3u8", chosen("1"));
        assertTrue(VariantChoice.parse("4").from(variants()).isEmpty());
    }

    @Test
    void aMediaPlaylistHasNoVariants() throws PlaylistException {
        var links = PlaylistLinks.read("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n#EXT-X-ENDLIST\n", MASTER_URL);
        assertTrue(StreamInf.variants(links).isEmpty());
        assertFalse(links.isLive());
        assertEquals(4, Probe.targetDuration(links.text()));
    }

    @Test
    void withoutEndListAPlaylistIsLive() throws PlaylistException {
        assertTrue(PlaylistLinks.read("#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4,\na.ts\n", MASTER_URL).isLive());
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"0", "best", "-1", ""}) {
            assertThrows(IllegalArgumentException.class, () -> VariantChoice.parse(bad), bad);
        }
    }
}
