package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.hls.PlaylistRewriter;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DirectUrlsTest {
    private static final HeaderOverrides OVERRIDES = new HeaderOverrides(new TreeMap<>(Map.of(
            "user-agent", "Kodi/21 (X11; Linux)", "referer", "https://site.example/watch?v=1&t=2")));

    @Test
    void streamUrlNamesThePlainFileAndCarriesDestinationAndOverrides() {
        assertEquals("/proxy/stream/seg-1.ts?d=https%3A%2F%2Fcdn.example%2Fv%2Fseg-1.ts%3Ftoken%3Da%2Bb"
                        + "&h_referer=https%3A%2F%2Fsite.example%2Fwatch%3Fv%3D1%26t%3D2"
                        + "&h_user-agent=Kodi%2F21%20%28X11%3B%20Linux%29",
                DirectUrls.stream(URI.create("https://cdn.example/v/seg-1.ts?token=a+b"), OVERRIDES));
    }

    @Test
    void streamUrlWithoutAPlainFileNameUsesTheBareEndpoint() {
        assertEquals("/proxy/stream?d=https%3A%2F%2Fcdn.example%2Fv%2F",
                DirectUrls.stream(URI.create("https://cdn.example/v/"), HeaderOverrides.NONE));
        assertEquals("/proxy/stream?d=https%3A%2F%2Fcdn.example%2Fa%2520b.ts",
                DirectUrls.stream(URI.create("https://cdn.example/a%20b.ts"), HeaderOverrides.NONE));
    }

    @Test
    void whatDirectUrlsWritesReadsBackAsTheSameDestinationAndOverrides() {
        URI destination = URI.create("https://cdn.example/v/a%20b/index.m3u8?token=x%2By&e=1");
        String url = DirectUrls.manifest(destination, OVERRIDES);
        String query = url.substring(url.indexOf('?') + 1);

        assertEquals(destination, Destination.of(query, QueryText.decode(query)));
        assertEquals(OVERRIDES, HeaderOverrides.parse(QueryText.decode(query)));
    }

    @Test
    void theDestinationIsWrittenInTheSpellingItIsReadBackIn() {
        String url = DirectUrls.stream(URI.create("HTTPS://cdn.example/a.ts#t=5"), HeaderOverrides.NONE);
        String query = url.substring(url.indexOf('?') + 1);

        assertEquals("/proxy/stream/a.ts?d=https%3A%2F%2Fcdn.example%2Fa.ts", url);
        assertEquals(URI.create("https://cdn.example/a.ts"), Destination.of(query, QueryText.decode(query)));
    }

    @Test
    void mapperSendsPlaylistsToTheManifestEndpointAndEverythingElseToStream() throws Exception {
        String master = """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="audio/en.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="a"
                low/index.m3u8
                """;
        String media = """
                #EXTM3U
                #EXT-X-TARGETDURATION:4
                #EXT-X-KEY:METHOD=AES-128,URI="../keys/k1.bin"
                #EXT-X-MAP:URI="init.mp4"
                #EXTINF:4.0,
                seg1.m4s
                """;
        var mapper = new DirectPlaylistMapper(HeaderOverrides.NONE);

        assertEquals("""
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="en",URI="/proxy/hls/manifest.m3u8?d=https%3A%2F%2Fcdn.example%2Fv%2Faudio%2Fen.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="a"
                /proxy/hls/manifest.m3u8?d=https%3A%2F%2Fcdn.example%2Fv%2Flow%2Findex.m3u8
                """, PlaylistRewriter.rewrite(master, URI.create("https://cdn.example/v/master.m3u8"), mapper));
        assertEquals("""
                #EXTM3U
                #EXT-X-TARGETDURATION:4
                #EXT-X-KEY:METHOD=AES-128,URI="/proxy/stream/k1.bin?d=https%3A%2F%2Fcdn.example%2Fv%2Fkeys%2Fk1.bin"
                #EXT-X-MAP:URI="/proxy/stream/init.mp4?d=https%3A%2F%2Fcdn.example%2Fv%2Flow%2Finit.mp4"
                #EXTINF:4.0,
                /proxy/stream/seg1.m4s?d=https%3A%2F%2Fcdn.example%2Fv%2Flow%2Fseg1.m4s
                """, PlaylistRewriter.rewrite(media, URI.create("https://cdn.example/v/low/index.m3u8"), mapper));
    }
}
