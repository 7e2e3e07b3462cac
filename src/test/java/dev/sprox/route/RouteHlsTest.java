package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.hls.ExpansionPlaylist;
import dev.sprox.testing.MockResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Route mode for HLS: playlists come back rewritten onto base_url, everything else passes untouched. */
class RouteHlsTest extends OriginHarness {

    private void serve(String path, String contentType, String body) {
        origin.answer(path, MockResponse.ok(body).type(contentType));
    }

    private String hlsRoute(String hlsBlock) {
        return route("vod", origin.url("/vod")) + "    hls: " + hlsBlock + "\n";
    }

    @Test
    void rewritesEveryOriginUriOntoBaseUrl() throws Exception {
        serve("/vod/master.m3u8", "application/vnd.apple.mpegurl; charset=utf-8", """
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="audio/en.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="aud"
                low/index.m3u8?token=a%2Fb
                #EXT-X-STREAM-INF:BANDWIDTH=1600000,AUDIO="aud"
                ORIGIN/vod/high/index.m3u8
                """.replace("ORIGIN", origin.url("")));
        start(hlsRoute("{enabled: true, rewrite_playlist_urls: true, base_url: \"https://cdn.example.com/hls/\"}"));
        var response = fetch("/master.m3u8");
        assertEquals(200, response.statusCode());
        assertEquals("""
                #EXTM3U
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="en",URI="https://cdn.example.com/hls/audio/en.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=800000,AUDIO="aud"
                https://cdn.example.com/hls/low/index.m3u8?token=a%2Fb
                #EXT-X-STREAM-INF:BANDWIDTH=1600000,AUDIO="aud"
                https://cdn.example.com/hls/high/index.m3u8
                """, response.body());
        assertEquals(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length),
                response.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void playlistIsRecognisedByItsPathWhateverItsType() throws Exception {
        serve("/vod/a/index.m3u8", "text/plain", "#EXTM3U\n#EXTINF:4,\nseg1.ts\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/x\"}"));
        assertEquals("#EXTM3U\n#EXTINF:4,\nhttp://edge.example/x/a/seg1.ts\n", fetch("/a/index.m3u8").body());
    }

    @Test
    void playlistAskedFromItsFirstByteIsRewrittenWhole() throws Exception {
        // ffmpeg sends "Range: bytes=0-" with every request; origins, like nginx, answer 206 with the whole file.
        byte[] playlist = "#EXTM3U\n#EXTINF:4,\nseg1.ts\n".getBytes(StandardCharsets.UTF_8);
        origin.dispatch(request -> {
            if (!request.path().equals("/vod/a/index.m3u8")) {
                return MockResponse.status(404);
            }
            var answer = MockResponse.ok(playlist).type("application/vnd.apple.mpegurl");
            if (request.header("Range").equals(Optional.of("bytes=0-"))) {
                answer.withStatus(206)
                        .header("Content-Range", "bytes 0-" + (playlist.length - 1) + "/" + playlist.length);
            }
            return answer;
        });
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/x\"}"));
        var response = fetch("/a/index.m3u8", "Range", "bytes=0-");
        assertEquals(200, response.statusCode());
        assertEquals("#EXTM3U\n#EXTINF:4,\nhttp://edge.example/x/a/seg1.ts\n", response.body());
        assertTrue(response.headers().firstValue("Content-Range").isEmpty(), response.headers()::toString);
    }

    @Test
    void uriOnAnotherHostIsLeftPointingThere() throws Exception {
        serve("/vod/index.m3u8", "application/x-mpegURL", "#EXTM3U\n#EXTINF:4,\nhttps://other.example/seg.ts\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        assertEquals("#EXTM3U\n#EXTINF:4,\nhttps://other.example/seg.ts\n", fetch("/index.m3u8").body());
    }

    @Test
    void segmentsPassUntouched() throws Exception {
        serve("/vod/seg1.ts", "video/mp2t", "#EXTM3U\nnot a playlist, a segment\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        assertEquals("#EXTM3U\nnot a playlist, a segment\n", fetch("/seg1.ts").body());
    }

    @Test
    void withoutRewritingPlaylistsPassAsTheyAre() throws Exception {
        serve("/vod/index.m3u8", "application/vnd.apple.mpegurl", "#EXTM3U\n#EXTINF:4,\nseg1.ts\n");
        start(hlsRoute("{enabled: true}"));
        assertEquals("#EXTM3U\n#EXTINF:4,\nseg1.ts\n", fetch("/index.m3u8").body());
    }

    @Test
    void malformedPlaylistIsABadGatewayWithTheReason() throws Exception {
        serve("/vod/index.m3u8", "application/vnd.apple.mpegurl", "<html>not found</html>\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        var response = fetch("/index.m3u8");
        assertEquals(502, response.statusCode());
        assertTrue(response.body().startsWith("bad playlist from upstream: malformed playlist: line 1:"),
                response.body());
    }

    @Test
    void playlistOverTheConfiguredSizeIsRefused() throws Exception {
        serve("/vod/index.m3u8", "application/vnd.apple.mpegurl",
                "#EXTM3U\n" + "#EXTINF:4,\nseg.ts\n".repeat(200));
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\", max_playlist_bytes: 1024}"));
        var response = fetch("/index.m3u8");
        assertEquals(502, response.statusCode());
        assertEquals("bad playlist from upstream: playlist larger than 1024 bytes\n", response.body());
    }

    @Test
    void aPlaylistThatWouldRewriteIntoGigabytesIsABadGatewayAtTheLimit() throws Exception {
        serve("/vod/index.m3u8", "application/vnd.apple.mpegurl", ExpansionPlaylist.of(ExpansionPlaylist.LINES));
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        var response = fetch("/index.m3u8");
        assertEquals(502, response.statusCode());
        assertTrue(response.body().startsWith("bad playlist from upstream: playlist too large: line "),
                response.body());
        assertTrue(response.body().endsWith(": rewritten playlist would be over the limit of 16777216 chars\n"),
                response.body());
    }

    @Test
    void theRewriteLimitIsConfigurable() throws Exception {
        serve("/vod/index.m3u8", "application/vnd.apple.mpegurl", "#EXTM3U\n" + "#EXTINF:4,\nseg.ts\n".repeat(100));
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\","
                + " max_rewritten_playlist_bytes: 2048}"));
        var response = fetch("/index.m3u8");
        assertEquals(502, response.statusCode());
        assertTrue(response.body().endsWith("rewritten playlist would be over the limit of 2048 chars\n"),
                response.body());
    }

    @Test
    void lowLatencyReloadParametersReachTheOriginUntouched() throws Exception {
        serve("/vod/live.m3u8", "application/vnd.apple.mpegurl", "#EXTM3U\n#EXTINF:4,\nseg1.ts\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        assertEquals(200, fetch("/live.m3u8?_HLS_msn=12&_HLS_part=3&_HLS_skip=YES").statusCode());
        assertEquals(Optional.of("_HLS_msn=12&_HLS_part=3&_HLS_skip=YES"), origin.only().query());
    }

    @Test
    void featureSwitchTakesEffectOnReload() throws Exception {
        serve("/vod/live.m3u8", "application/vnd.apple.mpegurl",
                "#EXTM3U\n#EXT-X-PROGRAM-DATE-TIME:2026-11-29T10:00:00Z\n#EXTINF:4,\nseg1.ts\n");
        String route = hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}");
        start(route);
        assertTrue(fetch("/live.m3u8").body().contains("#EXT-X-PROGRAM-DATE-TIME"));
        write("", route + "features: {hls_strip_program_date_time: true}\n");
        sprox.reload();
        assertEquals("#EXTM3U\n#EXTINF:4,\nhttp://edge.example/seg1.ts\n", fetch("/live.m3u8").body());
    }
}
