package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import dev.sprox.hls.ExpansionPlaylist;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Route mode for HLS: playlists come back rewritten onto base_url, everything else passes untouched. */
class RouteHlsTest extends ProxyHarness {
    private final Map<String, Served> files = new ConcurrentHashMap<>();
    private final Map<String, String> queriesSeen = new ConcurrentHashMap<>();
    private JdkOrigin origin;

    private record Served(String contentType, String body) {}

    @AfterEach
    void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    private void serve(String path, String contentType, String body) {
        files.put(path, new Served(contentType, body));
    }

    private void startOrigin() throws IOException {
        origin = new JdkOrigin(this::answer);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            queriesSeen.put(path, String.valueOf(exchange.getRequestURI().getRawQuery()));
            Served served = files.get(path);
            if (served == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = served.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", served.contentType());
            // Like nginx: "Range: bytes=0-" gets a 206 that covers the whole file.
            if ("bytes=0-".equals(exchange.getRequestHeaders().getFirst("Range"))) {
                exchange.getResponseHeaders().set("Content-Range",
                        "bytes 0-" + (body.length - 1) + "/" + body.length);
                exchange.sendResponseHeaders(206, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private String hlsRoute(String hlsBlock) {
        return route("vod", origin.url("/vod")) + "    hls: " + hlsBlock + "\n";
    }

    @Test
    void rewritesEveryOriginUriOntoBaseUrl() throws Exception {
        startOrigin();
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
        startOrigin();
        serve("/vod/a/index.m3u8", "text/plain", "#EXTM3U\n#EXTINF:4,\nseg1.ts\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/x\"}"));
        assertEquals("#EXTM3U\n#EXTINF:4,\nhttp://edge.example/x/a/seg1.ts\n", fetch("/a/index.m3u8").body());
    }

    @Test
    void playlistAskedFromItsFirstByteIsRewrittenWhole() throws Exception {
        // ffmpeg sends "Range: bytes=0-" with every request; origins answer 206 with the whole file.
        startOrigin();
        serve("/vod/a/index.m3u8", "application/vnd.apple.mpegurl", "#EXTM3U\n#EXTINF:4,\nseg1.ts\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/x\"}"));
        var response = fetch("/a/index.m3u8", "Range", "bytes=0-");
        assertEquals(200, response.statusCode());
        assertEquals("#EXTM3U\n#EXTINF:4,\nhttp://edge.example/x/a/seg1.ts\n", response.body());
        assertTrue(response.headers().firstValue("Content-Range").isEmpty(), response.headers()::toString);
    }

    @Test
    void uriOnAnotherHostIsLeftPointingThere() throws Exception {
        startOrigin();
        serve("/vod/index.m3u8", "application/x-mpegURL", "#EXTM3U\n#EXTINF:4,\nhttps://other.example/seg.ts\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        assertEquals("#EXTM3U\n#EXTINF:4,\nhttps://other.example/seg.ts\n", fetch("/index.m3u8").body());
    }

    @Test
    void segmentsPassUntouched() throws Exception {
        startOrigin();
        serve("/vod/seg1.ts", "video/mp2t", "#EXTM3U\nnot a playlist, a segment\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        assertEquals("#EXTM3U\nnot a playlist, a segment\n", fetch("/seg1.ts").body());
    }

    @Test
    void withoutRewritingPlaylistsPassAsTheyAre() throws Exception {
        startOrigin();
        serve("/vod/index.m3u8", "application/vnd.apple.mpegurl", "#EXTM3U\n#EXTINF:4,\nseg1.ts\n");
        start(hlsRoute("{enabled: true}"));
        assertEquals("#EXTM3U\n#EXTINF:4,\nseg1.ts\n", fetch("/index.m3u8").body());
    }

    @Test
    void malformedPlaylistIsABadGatewayWithTheReason() throws Exception {
        startOrigin();
        serve("/vod/index.m3u8", "application/vnd.apple.mpegurl", "<html>not found</html>\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        var response = fetch("/index.m3u8");
        assertEquals(502, response.statusCode());
        assertTrue(response.body().startsWith("bad playlist from upstream: malformed playlist: line 1:"),
                response.body());
    }

    @Test
    void playlistOverTheConfiguredSizeIsRefused() throws Exception {
        startOrigin();
        serve("/vod/index.m3u8", "application/vnd.apple.mpegurl",
                "#EXTM3U\n" + "#EXTINF:4,\nseg.ts\n".repeat(200));
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\", max_playlist_bytes: 1024}"));
        var response = fetch("/index.m3u8");
        assertEquals(502, response.statusCode());
        assertEquals("bad playlist from upstream: playlist larger than 1024 bytes\n", response.body());
    }

    @Test
    void aPlaylistThatWouldRewriteIntoGigabytesIsABadGatewayAtTheLimit() throws Exception {
        startOrigin();
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
        startOrigin();
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
        startOrigin();
        serve("/vod/live.m3u8", "application/vnd.apple.mpegurl", "#EXTM3U\n#EXTINF:4,\nseg1.ts\n");
        start(hlsRoute("{rewrite_playlist_urls: true, base_url: \"http://edge.example/\"}"));
        assertEquals(200, fetch("/live.m3u8?_HLS_msn=12&_HLS_part=3&_HLS_skip=YES").statusCode());
        assertEquals("_HLS_msn=12&_HLS_part=3&_HLS_skip=YES", queriesSeen.get("/vod/live.m3u8"));
    }

    @Test
    void featureSwitchTakesEffectOnReload() throws Exception {
        startOrigin();
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
