package dev.sprox.direct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.hls.ExpansionPlaylist;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Playlists through the direct endpoints: every URI comes back through sprox with the same overrides, so a player
 * walking master → media → key, init section and segments reaches the origin only through sprox.
 */
class DirectPlaylistTest extends DirectHarness {
    private static final String MASTER = """
            #EXTM3U
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/en.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=1280000,AUDIO="aud"
            video/720.m3u8
            """;
    private static final String MEDIA = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-KEY:METHOD=AES-128,URI="/keys/k1.bin"
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.0,
            seg-1.m4s
            #EXT-X-ENDLIST
            """;
    private static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";

    @BeforeEach
    void startSprox() throws Exception {
        startDirect("retry: {max_attempts: 1}");
    }

    private void serve(String path, String contentType, String body) {
        origin.answer(path, MockResponse.ok(body).type(contentType));
    }

    /** The one line of {@code playlist} that starts with {@code prefix}, or its quoted URI when it is a tag. */
    private static String uriOn(String playlist, String prefix) {
        String line = playlist.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(
                () -> new AssertionError("no line starting " + prefix + " in\n" + playlist));
        int uri = line.indexOf("URI=\"");
        return uri < 0 ? line : line.substring(uri + 5, line.indexOf('"', uri + 5));
    }

    @Test
    void aPlayerWalkingTheStreamReachesTheOriginOnlyThroughSproxWithItsOverrides() throws Exception {
        serve("/vod/master.m3u8", PLAYLIST_TYPE, MASTER);
        serve("/vod/video/720.m3u8", PLAYLIST_TYPE, MEDIA);
        serve("/vod/audio/en.m3u8", PLAYLIST_TYPE, MEDIA);
        serve("/keys/k1.bin", "application/octet-stream", "0123456789abcdef");
        serve("/vod/video/init.mp4", "video/mp4", "init");
        serve("/vod/video/seg-1.m4s", "video/iso.segment", "segment one");
        String overrides = "&h_user_agent=Kodi%2F21&h_referer=https%3A%2F%2Fsite.example%2F";

        HttpResponse<String> master = fetch(manifest("/vod/master.m3u8") + overrides);
        assertEquals(200, master.statusCode());
        assertEquals(Optional.of(PLAYLIST_TYPE), master.headers().firstValue("Content-Type"));
        String variant = uriOn(master.body(), "/proxy/hls/manifest.m3u8");
        String audio = uriOn(master.body(), "#EXT-X-MEDIA");
        assertTrue(audio.startsWith("/proxy/hls/manifest.m3u8?"), audio);

        HttpResponse<String> media = fetch(variant);
        assertEquals(200, media.statusCode());
        assertEquals(200, fetch(audio).statusCode());
        String key = uriOn(media.body(), "#EXT-X-KEY");
        String init = uriOn(media.body(), "#EXT-X-MAP");
        String segment = uriOn(media.body(), "/proxy/base/");
        String prefix = segment.substring(0, segment.lastIndexOf('/') + 1);
        assertEquals(prefix + "seg-1.m4s", segment, "the playlist's directory, signed once");
        assertEquals(prefix + "init.mp4", init);
        assertEquals(origin("/vod/video/seg-1.m4s"), destinationOf(segment));

        assertEquals("0123456789abcdef", fetch(key).body());
        assertEquals("init", fetch(init).body());
        assertEquals("segment one", fetch(segment).body());
        for (String url : List.of(variant, audio, key)) {
            assertTrue(url.contains("&h_referer=https%3A%2F%2Fsite.example%2F&h_user-agent=Kodi%2F21"), url);
        }
        List<RecordedRequest> seen = origin.requests();
        assertEquals(6, seen.size(), seen::toString);
        for (RecordedRequest request : seen) {
            assertEquals(List.of("Kodi/21"), request.headers("User-Agent"), request.target());
            assertEquals(List.of("https://site.example/"), request.headers("Referer"), request.target());
        }
    }

    @Test
    void aPlaylistAskedForOnTheStreamEndpointIsRewrittenByItsType() throws Exception {
        serve("/live/index", PLAYLIST_TYPE, MEDIA);

        HttpResponse<String> response = fetch(stream("/live/index"));

        assertEquals(200, response.statusCode());
        assertEquals(origin("/live/seg-1.m4s"), destinationOf(uriOn(response.body(), "/proxy/base/")));
    }

    @Test
    void aPlaylistServedAsPlainTextIsRecognisedByItsFirstLine() throws Exception {
        serve("/get.php", "text/plain", MEDIA);

        HttpResponse<String> response = fetch(stream("/get.php"));

        assertEquals(Optional.of(PLAYLIST_TYPE), response.headers().firstValue("Content-Type"));
        assertFalse(response.body().contains("\nseg-1.m4s"), response.body());
    }

    @Test
    void aCompressedPlaylistOnTheStreamEndpointIsRewrittenUncompressed() throws Exception {
        origin.answer("/live/index.m3u8", MockResponse.ok(DirectStreamTest.gzip(MEDIA)).type(PLAYLIST_TYPE)
                .header("Content-Encoding", "gzip"));

        HttpResponse<String> response = client.send(request(stream("/live/index.m3u8"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(Optional.empty(), response.headers().firstValue("Content-Encoding"));
        assertTrue(response.body().startsWith("#EXTM3U\n"), response.body());
        assertEquals(origin("/live/seg-1.m4s"), destinationOf(uriOn(response.body(), "/proxy/base/")));
    }

    @Test
    void relativeUrisResolveAgainstTheUrlAfterRedirects() throws Exception {
        origin.answer("/old/index.m3u8", MockResponse.status(302).header("Location", "/new/index.m3u8"));
        serve("/new/index.m3u8", PLAYLIST_TYPE, MEDIA);

        String body = fetch(manifest("/old/index.m3u8")).body();

        assertEquals(origin("/new/seg-1.m4s"), destinationOf(uriOn(body, "/proxy/base/")));
    }

    @Test
    void theRewrittenPlaylistCarriesNoValidatorOrLengthOfTheOriginals() throws Exception {
        origin.answer("/v/index.m3u8", MockResponse.ok(MEDIA).type(PLAYLIST_TYPE).header("ETag", "\"origin\"")
                .header("Cache-Control", "max-age=2"));

        HttpResponse<String> response = fetch(manifest("/v/index.m3u8"));

        assertEquals(Optional.empty(), response.headers().firstValue("ETag"));
        assertEquals(Optional.of("max-age=2"), response.headers().firstValue("Cache-Control"));
        assertEquals(Optional.of(String.valueOf(response.body().length())),
                response.headers().firstValue("Content-Length"));
    }

    @Test
    void somethingThatIsNotAPlaylistOnTheManifestEndpointIsABadGateway() throws Exception {
        serve("/v/index.m3u8", "text/html", "<html>login</html>");

        HttpResponse<String> response = fetch(manifest("/v/index.m3u8"));

        assertEquals(502, response.statusCode());
        assertTrue(response.body().startsWith("bad playlist from upstream: malformed playlist"), response.body());
    }

    @Test
    void aPlaylistLargerThanTheConfiguredLimitIsABadGatewayNotRead() throws Exception {
        sprox.drain();
        startDirect("retry: {max_attempts: 1}", "max_playlist_bytes: 1024");
        serve("/v/long.m3u8", PLAYLIST_TYPE, "#EXTM3U\n#EXT-X-TARGETDURATION:4\n" + "#EXTINF:4,\nseg.ts\n".repeat(100));
        serve("/v/small.m3u8", PLAYLIST_TYPE, MEDIA);

        HttpResponse<String> response = fetch(manifest("/v/long.m3u8"));

        assertEquals(502, response.statusCode());
        assertEquals("bad playlist from upstream: playlist larger than 1024 bytes\n", response.body());
        assertEquals(200, fetch(manifest("/v/small.m3u8")).statusCode(), "a playlist within the limit is served");
    }

    @Test
    void aPlaylistThatWouldRewriteIntoGigabytesIsABadGatewayAtTheLimit() throws Exception {
        serve("/v/index.m3u8", PLAYLIST_TYPE, ExpansionPlaylist.of(ExpansionPlaylist.LINES));

        HttpResponse<String> response = fetch(manifest("/v/index.m3u8"));

        assertEquals(502, response.statusCode());
        assertTrue(response.body().startsWith("bad playlist from upstream: playlist too large: line "),
                response.body());
        assertTrue(response.body().endsWith(": rewritten playlist would be over the limit of 16777216 chars\n"),
                response.body());
        serve("/v/small.m3u8", PLAYLIST_TYPE, MEDIA);
        assertEquals(200, fetch(manifest("/v/small.m3u8")).statusCode(), "the next request is served");
    }

    @Test
    void aQueryParamDefinitionBecomesTheValueFromTheDestinationsQuery() throws Exception {
        serve("/q/index.m3u8", PLAYLIST_TYPE,
                "#EXTM3U\n#EXT-X-DEFINE:QUERYPARAM=\"token\"\n#EXTINF:4,\nseg.ts?token={$token}\n");

        HttpResponse<String> response = fetch(manifest("/q/index.m3u8?token=abc"));

        assertEquals(200, response.statusCode());
        assertTrue(response.body().startsWith("#EXTM3U\n#EXT-X-DEFINE:NAME=\"token\",VALUE=\"abc\"\n"),
                response.body());
        assertEquals(origin("/q/seg.ts?token=abc"), destinationOf(uriOn(response.body(), "/proxy/base/")));
    }

    @Test
    void aQueryParamTheDestinationLacksIsABadGateway() throws Exception {
        serve("/q/index.m3u8", PLAYLIST_TYPE, "#EXTM3U\n#EXT-X-DEFINE:QUERYPARAM=\"token\"\n#EXTINF:4,\nseg.ts\n");

        HttpResponse<String> response = fetch(manifest("/q/index.m3u8"));

        assertEquals(502, response.statusCode());
        assertEquals("bad playlist from upstream: malformed playlist: line 2: variable \"token\" comes from a query"
                + " parameter the playlist URL does not have\n", response.body());
    }

    @Test
    void theManifestEndpointAlwaysAnswersTheWholeRewrittenPlaylist() throws Exception {
        serve("/v/index.m3u8", PLAYLIST_TYPE, MEDIA);

        HttpResponse<String> response = fetch(manifest("/v/index.m3u8"), "Range", "bytes=0-15");

        assertEquals(200, response.statusCode());
        assertTrue(response.body().endsWith("#EXT-X-ENDLIST\n"), response.body());
        assertEquals(List.of(), origin.only().headers("Range"),
                "a range of the origin's bytes is not a range of the rewritten ones");
    }

    @Test
    void lowLatencyDeliveryDirectivesThePlayerAddsReachTheOrigin() throws Exception {
        serve("/ll/index.m3u8", PLAYLIST_TYPE, MEDIA);

        assertEquals(200, fetch(manifest("/ll/index.m3u8") + "&_HLS_msn=273&_HLS_part=2").statusCode());

        requestFor("/ll/index.m3u8?_HLS_msn=273&_HLS_part=2");
    }

    @Test
    void aMissingPlaylistStaysMissing() throws Exception {
        origin.answer("/v/gone.m3u8", MockResponse.status(404));
        assertEquals(404, fetch(manifest("/v/gone.m3u8")).statusCode());
        requestFor("/v/gone.m3u8");
    }

    @Test
    void anAbsoluteUriToAnotherHostAlsoComesBackThroughSprox() throws Exception {
        serve("/v/index.m3u8", PLAYLIST_TYPE, MEDIA.replace("seg-1.m4s", "https://other.example/seg-1.m4s"));

        String segment = uriOn(fetch(manifest("/v/index.m3u8")).body(), "/proxy/stream/seg");

        assertEquals(URI.create("https://other.example/seg-1.m4s"), Destination.of(
                segment.substring(segment.indexOf('?') + 1), QueryText.decode(segment.substring(segment.indexOf('?') + 1))));
    }
}
