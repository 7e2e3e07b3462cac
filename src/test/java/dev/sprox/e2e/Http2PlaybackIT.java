package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.RecordedRequest;
import dev.sprox.tls.ServerPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hls.js in headless Chromium plays HLS from a real sprox over {@code https}, the browser negotiating HTTP/2
 * with sprox's TLS listener through ALPN: the page, hls.js, every playlist and every segment come over h2, as
 * the browser itself reports ({@code PerformanceResourceTiming.nextHopProtocol}). Once a VOD stream (ffmpeg's
 * multivariant MPEG-TS, an audio rendition beside two video ones) from a file origin, once a live LL-HLS stream
 * whose origin holds blocking playlist reloads and preload-hinted parts ({@link LowLatencyHlsOrigin}), both
 * through a route that rewrites the playlists onto sprox. The certificate is issued for the test by its own CA,
 * which Chromium is told to accept ({@code --ignore-certificate-errors}); ALPN and HTTP/2 are unaffected.
 */
class Http2PlaybackIT {
    private static final String HOST = "localhost";
    private static final int LIVE_STREAM_SECONDS = 30;
    private static final int LIVE_WATCH_SECONDS = 10;
    private static final Pattern RESOURCE = Pattern.compile("\"([^\" ]*) (https?://[^\"]+)\"");

    @TempDir
    static Path work;
    private static MockOrigin vodOrigin;
    private static LowLatencyHlsOrigin liveOrigin;
    private static SproxProcess sprox;
    private static int vodPort;
    private static int livePort;

    @BeforeAll
    static void start() throws Exception {
        Path vodSite = Files.createDirectories(work.resolve("vod"));
        HlsStream.generate(vodSite);
        Path liveSite = Files.createDirectories(work.resolve("live"));
        for (Path site : List.of(vodSite, liveSite)) {
            Files.copy(ClearKeyPlayer.SCRIPTS.resolve("hls-player.html"), site.resolve("hls-player.html"));
            Files.copy(ClearKeyPlayer.hlsJsScript(), site.resolve("hls.min.js"));
        }
        vodOrigin = FileOrigin.serve(vodSite, Map.of("m3u8", "application/vnd.apple.mpegurl", "ts", "video/mp2t",
                "html", "text/html; charset=utf-8", "js", "text/javascript"));
        liveOrigin = LowLatencyHlsOrigin.start(liveSite, Files.createDirectories(work.resolve("live-media")),
                LIVE_STREAM_SECONDS);

        ServerPki.Identity identity = ServerPki.create(Files.createDirectories(work.resolve("pki"))).issue(HOST);
        vodPort = Configs.freePort();
        livePort = Configs.freePort();
        Path config = Files.createDirectories(work.resolve("sprox"));
        String tls = "{certificates: [{hosts: [%s], certificate_path: %s, private_key_path: %s}]}"
                .formatted(HOST, identity.certificate(), identity.privateKey());
        Configs.routes(config, """
                listeners:
                  - {id: vod, host: 127.0.0.1, port: %1$d, serve: [routes], tls: %3$s}
                  - {id: live, host: 127.0.0.1, port: %2$d, serve: [routes], tls: %3$s}
                routes:
                  - id: vod
                    listeners: [vod]
                    host_patterns: ["%4$s"]
                    upstream: {origin: "http://127.0.0.1:%5$d"}
                    hls: {enabled: true, rewrite_playlist_urls: true, base_url: "https://%4$s:%1$d/"}
                  - id: live
                    listeners: [live]
                    host_patterns: ["%4$s"]
                    upstream: {origin: "http://127.0.0.1:%6$d"}
                    hls: {enabled: true, rewrite_playlist_urls: true, base_url: "https://%4$s:%2$d/"}
                logging: { level: info, access_log: false }
                """.formatted(vodPort, livePort, tls, HOST, vodOrigin.port(), liveOrigin.port()));
        sprox = SproxProcess.run(config);
    }

    @AfterAll
    static void stop() {
        if (sprox != null) {
            sprox.close();
        }
        if (vodOrigin != null) {
            vodOrigin.close();
        }
        if (liveOrigin != null) {
            liveOrigin.close();
        }
    }

    @Test
    void hlsJsPlaysVodOverHttp2WithEveryResourceFetchedOverH2() {
        ClearKeyPlayer.Playback playback = play(vodPort, "hls-player.html?manifest=master.m3u8&until=5.5&resources=1",
                "vod");
        assertTrue(playback.playing(), playback::json);
        List<String> names = fetchedOverH2Only(playback);
        assertTrue(names.contains("/master.m3u8") && names.contains("/stream_2/index.m3u8")
                && names.stream().anyMatch(n -> n.matches("/stream_[01]/seg_002\\.ts")), names::toString);
        assertTrue(vodOrigin.requests().stream().allMatch(r -> r.header("X-Forwarded-For").isPresent()),
                () -> "requests that did not come through sprox: " + vodOrigin.requests());
    }

    @Test
    void hlsJsPlaysLowLatencyHlsLiveOverHttp2WithBlockingReloadsAndPartsOverH2() {
        ClearKeyPlayer.Playback playback = play(livePort, "hls-player.html?manifest="
                + LowLatencyHlsOrigin.PLAYLIST + "&live=" + LIVE_WATCH_SECONDS + "&resources=1", "live");
        assertTrue(playback.playing(), playback::json);
        List<String> names = fetchedOverH2Only(playback);
        List<String> blockingReloads = names.stream()
                .filter(n -> n.startsWith("/" + LowLatencyHlsOrigin.PLAYLIST + "?") && n.contains("_HLS_msn="))
                .toList();
        // Ten seconds of half-second parts: hls.js asks for the next part with a blocking reload again and again.
        assertTrue(blockingReloads.size() >= LIVE_WATCH_SECONDS, names::toString);
        assertTrue(names.stream().filter(n -> n.matches("/part_\\d+\\.m4s")).count() >= LIVE_WATCH_SECONDS,
                names::toString);
        System.out.printf("hls.js, LL-HLS over h2: %d resources, %d blocking reloads, %.1f s played in %.1f s%n",
                names.size(), blockingReloads.size(), number(playback.json(), "played"),
                number(playback.json(), "wallSeconds"));
        List<RecordedRequest> heldByOrigin = liveOrigin.requests().stream()
                .filter(r -> r.target().contains("_HLS_msn=")).toList();
        assertFalse(heldByOrigin.isEmpty(), liveOrigin.requests()::toString);
        assertTrue(liveOrigin.requests().stream().allMatch(r -> r.header("X-Forwarded-For").isPresent()),
                () -> "requests that did not come through sprox: " + liveOrigin.requests());
    }

    private static double number(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":([0-9.]+)").matcher(json);
        assertTrue(value.find(), () -> name + " in " + json);
        return Double.parseDouble(value.group(1));
    }

    private static ClearKeyPlayer.Playback play(int port, String page, String profile) {
        return ClearKeyPlayer.play("https://" + HOST + ":" + port + "/" + page, work.resolve("chromium-" + profile),
                "--ignore-certificate-errors");
    }

    /**
     * The path and query of every resource the page fetched, after checking that the browser spoke h2 for each
     * (the page itself is a navigation, not a resource: hls.js is the first).
     */
    private static List<String> fetchedOverH2Only(ClearKeyPlayer.Playback playback) {
        Matcher resource = RESOURCE.matcher(playback.json());
        var names = new ArrayList<String>();
        while (resource.find()) {
            assertEquals("h2", resource.group(1), () -> resource.group(2) + " was not fetched over h2: " + playback.json());
            String url = resource.group(2);
            names.add(url.substring(url.indexOf('/', "https://".length())));
        }
        assertTrue(names.contains("/hls.min.js"), playback::json);
        return names;
    }
}
