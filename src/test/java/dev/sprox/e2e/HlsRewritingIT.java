package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real player (ffmpeg) plays HLS streams from a real origin (nginx) whose playlists name everything by its
 * absolute origin URL, through a sprox route that rewrites playlists onto its {@code base_url}. Only the
 * rewriting brings the player back to sprox for variant and rendition playlists, segments, init sections and
 * keys: nginx logs each request's {@code Via}, and every one must have come through sprox. The last test
 * turns rewriting off and shows the same check failing, so it is not passing vacuously.
 */
class HlsRewritingIT extends AbsoluteHlsTest {
    private static final String ROUTE = "route:vod";
    private static final Duration PLAY_TIMEOUT = Duration.ofSeconds(60);

    private int nginxMark;

    @BeforeEach
    void markTheOriginLog() {
        nginxMark = streams.nginx().viaLog().size();
    }

    @Test
    void multiVariantWithSeparateAudioComesBackThroughSprox() {
        String master = streams.multiVariant().text(streams.multiVariant().entry());
        assertTrue(master.lines().anyMatch(line -> line.startsWith("#EXT-X-MEDIA:TYPE=AUDIO")
                && line.contains("URI=\"" + originUrl("multi/"))), master);
        assertEquals(4, streams.multiVariant().resources().stream().filter(r -> r.endsWith(".m3u8")).count(),
                streams.multiVariant().resources()::toString);

        try (SproxProcess sprox = sprox(true)) {
            play(sprox, streams.multiVariant(), "-map", "0", "-f", "null", "-");
        }
    }

    @Test
    void fmp4InitSectionComesBackThroughSprox() {
        String playlist = streams.fmp4().text(streams.fmp4().entry());
        assertTrue(playlist.contains("#EXT-X-MAP:URI=\"" + originUrl("fmp4/init.mp4") + "\""), playlist);

        try (SproxProcess sprox = sprox(true)) {
            play(sprox, streams.fmp4(), "-map", "0", "-f", "null", "-");
        }
    }

    @Test
    void aes128KeyComesThroughSproxAndDecrypts() {
        String playlist = streams.aes128().text(streams.aes128().entry());
        assertTrue(playlist.contains("#EXT-X-KEY:METHOD=AES-128,URI=\"" + originUrl("aes/key.bin") + "\""),
                playlist);
        assertTrue(streams.aes128().resources().contains("aes/key.bin"), streams.aes128().resources()::toString);

        try (SproxProcess sprox = sprox(true)) {
            Path frames = work.resolve("through-sprox.md5");
            play(sprox, streams.aes128(), "-map", "0", "-f", "framemd5", "-y", frames.toString());
            // Decoded, not copied: a wrong key fails the play or changes every frame.
            assertEquals(streams.aes128Frames(), AbsoluteHlsOrigin.frameChecksums(frames));
        }
    }

    @Test
    void withoutRewritingThePlayerBypassesSprox() {
        try (SproxProcess sprox = sprox(false)) {
            int sproxMark = sprox.stdout().mark();
            ExternalTool.Finished played = ffmpeg(sprox, streams.multiVariant(), "-map", "0", "-f", "null", "-");

            assertEquals(0, played.exitCode(), () -> played + "\nsprox:\n" + sprox.stdout().text());
            sprox.stdout().awaitFrom(sproxMark,
                    message("request").and(field("path", "/" + streams.multiVariant().entry())), SproxProcess.TIMEOUT);
            assertEquals(List.of("/" + streams.multiVariant().entry()), proxiedPaths(sprox, sproxMark));
            List<NginxOrigin.Request> origin = Eventually.until(this::originRequests,
                    seen -> seen.size() >= streams.multiVariant().resources().size(), "nginx logging every request");
            List<NginxOrigin.Request> direct = origin.stream().filter(r -> !r.cameThroughSprox()).toList();
            assertFalse(direct.isEmpty(), () -> "every request came through sprox: " + origin);
            assertEquals(Set.of(AbsoluteHlsOrigin.PATH + "/" + streams.multiVariant().entry()),
                    origin.stream().filter(NginxOrigin.Request::cameThroughSprox).map(NginxOrigin.Request::target)
                            .collect(Collectors.toSet()));
        }
    }

    /**
     * Plays {@code stream} from sprox and checks that ffmpeg succeeded, that sprox served every file of the
     * stream, and that the origin saw those same files and nothing that bypassed sprox.
     */
    private void play(SproxProcess sprox, AbsoluteHls stream, String... output) {
        int sproxMark = sprox.stdout().mark();
        ExternalTool.Finished played = ffmpeg(sprox, stream, output);

        assertEquals(0, played.exitCode(), () -> played + "\nsprox:\n" + sprox.stdout().text());
        // The player fetched every file, through sprox or not; the origin has logged each request.
        List<NginxOrigin.Request> origin = Eventually.until(this::originRequests,
                seen -> seen.size() >= stream.resources().size(), "nginx logging every request of the stream");
        List<NginxOrigin.Request> bypassed = origin.stream().filter(r -> !r.cameThroughSprox()).toList();
        assertTrue(bypassed.isEmpty(), () -> "the player bypassed sprox for " + bypassed + "\nsprox:\n"
                + sprox.stdout().text());
        for (String resource : stream.resources()) {
            String line = sprox.stdout().awaitFrom(sproxMark, message("request").and(field("endpoint", ROUTE))
                    .and(field("path", "/" + resource)), SproxProcess.TIMEOUT);
            long status = LogLine.number(line, "status").orElseThrow();
            // ffmpeg asks for "bytes=0-": segments come as nginx's 206, playlists whole and rewritten as 200.
            assertTrue(resource.endsWith(".m3u8") ? status == 200 : status == 200 || status == 206, line);
        }
        List<String> proxied = proxiedPaths(sprox, sproxMark);
        assertEquals(new TreeSet<>(stream.resources().stream().map(r -> "/" + r).toList()), new TreeSet<>(proxied),
                "sprox proxied other files than the stream has");
        assertEquals(new TreeSet<>(stream.resources().stream().map(r -> AbsoluteHlsOrigin.PATH + "/" + r).toList()),
                originRequests().stream().map(NginxOrigin.Request::target)
                        .collect(Collectors.toCollection(TreeSet::new)),
                "nginx served other files than the stream has");
    }

    private static ExternalTool.Finished ffmpeg(SproxProcess sprox, AbsoluteHls stream, String... output) {
        var args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error",
                "-i", "http://localhost:" + sprox.port("public") + "/" + stream.entry()));
        args.addAll(List.of(output));
        return HlsStream.ffmpeg().run(PLAY_TIMEOUT, args.toArray(String[]::new));
    }

    /**
     * sprox with one route onto the origin, rewriting playlists or not. {@code base_url} must name the
     * listener's port, so the listener gets a free port chosen here rather than port 0.
     */
    private SproxProcess sprox(boolean rewrite) {
        int port = Configs.freePort();
        Configs.routes(config, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: %1$d, serve: [routes]}
                routes:
                  - id: vod
                    listeners: [public]
                    host_patterns: ["localhost"]
                    upstream: { origin: "http://127.0.0.1:%2$d%3$s" }
                    hls: { enabled: true, rewrite_playlist_urls: %4$s, base_url: "http://localhost:%1$d/" }
                """.formatted(port, streams.nginx().port(), AbsoluteHlsOrigin.PATH, rewrite));
        return SproxProcess.run(config);
    }

    private static String originUrl(String resource) {
        return "http://127.0.0.1:" + streams.nginx().port() + AbsoluteHlsOrigin.PATH + "/" + resource;
    }

    /** The path of every route request sprox logged after {@code mark}. */
    private static List<String> proxiedPaths(SproxProcess sprox, int mark) {
        return sprox.stdout().all().stream().skip(mark).filter(message("request").and(field("endpoint", ROUTE)))
                .map(line -> LogLine.string(line, "path").orElseThrow()).toList();
    }

    private List<NginxOrigin.Request> originRequests() {
        List<NginxOrigin.Request> all = streams.nginx().viaLog();
        return all.subList(Math.min(nginxMark, all.size()), all.size());
    }

}
