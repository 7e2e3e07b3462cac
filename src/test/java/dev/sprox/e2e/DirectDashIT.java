package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The direct DASH endpoints played by ffmpeg through a real sprox process: ffmpeg packages DASH (a
 * {@code $Number$} SegmentTemplate, and an on-demand file with a {@code sidx} behind a SegmentBase), nginx serves
 * it, and ffmpeg plays {@code /proxy/mpd/manifest.m3u8} (its HLS demuxer) and {@code /proxy/mpd/manifest.mpd} (its
 * DASH demuxer) to the end, both streams through both. Only the entry URL carries the API password; everything else the player fetches is a
 * URL sprox wrote (signed prefixes for the segments), and every request nginx logs came through sprox.
 */
class DirectDashIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String LOCATION = "/media/";

    @TempDir
    static Path work;
    @TempDir
    Path config;
    private static Path root;
    private static NginxOrigin nginx;

    @BeforeAll
    static void packageAndServe() throws IOException {
        root = Files.createDirectories(work.resolve("media"));
        DashClips.write(root);
        nginx = NginxOrigin.serve(Files.createDirectories(work.resolve("nginx")), LOCATION, root);
    }

    @AfterAll
    static void stopTheOrigin() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void ffmpegPlaysTheTemplateStreamConvertedToHls() {
        try (SproxProcess sprox = sprox()) {
            List<String> requested = play(sprox, "/proxy/mpd/manifest.m3u8", "template");
            for (String file : List.of("init-stream0.m4s", "init-stream1.m4s", "chunk-stream0-00003.m4s",
                    "chunk-stream1-00003.m4s")) {
                assertTrue(requested.stream().anyMatch(r -> r.startsWith("GET " + LOCATION + "template/" + file + " ")),
                        () -> file + " not fetched: " + requested);
            }
        }
    }

    @Test
    void ffmpegPlaysTheRewrittenMpdCompletingItsTemplatesUnderTheSignedPrefix() {
        try (SproxProcess sprox = sprox()) {
            List<String> requested = play(sprox, "/proxy/mpd/manifest.mpd", "template");
            assertTrue(requested.stream().anyMatch(r -> r.startsWith("GET " + LOCATION + "template/chunk-stream0-00003.m4s ")),
                    requested::toString);
        }
    }

    @Test
    void ffmpegPlaysTheOnDemandFileByRangeThroughSprox() {
        try (SproxProcess sprox = sprox()) {
            List<String> requested = play(sprox, "/proxy/mpd/manifest.m3u8", "ondemand");
            assertTrue(requested.stream().filter(r -> r.startsWith("GET " + LOCATION + "ondemand/video.mp4 206 "))
                    .count() >= 5, requested::toString); // the index (fetched by sprox), the initialization, three subsegments
        }
    }

    @Test
    void ffmpegPlaysTheRewrittenOnDemandMpdByRangeThroughSprox() {
        try (SproxProcess sprox = sprox()) {
            // The MPD, then the whole file in one range: ffmpeg's DASH demuxer ignores indexRange.
            List<String> requested = play(sprox, "/proxy/mpd/manifest.mpd", "ondemand", 2);
            assertTrue(requested.stream().anyMatch(r -> r.startsWith("GET " + LOCATION + "ondemand/video.mp4 206 ")),
                    requested::toString);
        }
    }

    /** Plays {@code endpoint} for the MPD in {@code dir} whole; returns nginx's log of the play. */
    private List<String> play(SproxProcess sprox, String endpoint, String dir) {
        return play(sprox, endpoint, dir, 4);
    }

    /** {@link #play(SproxProcess, String, String)}, waiting for nginx to log at least {@code requests} of it. */
    private List<String> play(SproxProcess sprox, String endpoint, String dir, int requests) {
        int mark = nginx.accessLog().size();
        int sproxMark = sprox.stdout().mark();
        String mpd = "http://127.0.0.1:" + nginx.port() + LOCATION + dir + "/manifest.mpd";
        String entry = "http://127.0.0.1:" + sprox.port("public") + endpoint + "?d="
                + URLEncoder.encode(mpd, StandardCharsets.UTF_8) + "&h_user_agent=sprox-it&api_password="
                + TestSecrets.API_PASSWORD;
        ExternalTool.Finished played = HlsStream.ffmpeg().run(TIMEOUT, "-hide_banner", "-nostdin", "-v", "error",
                "-i", entry, "-map", "0", "-c", "copy", "-f", "null", "-");
        assertEquals(0, played.exitCode(), () -> played + "\nsprox:\n" + sprox.stdout().text());
        List<String> all = Eventually.until(nginx::accessLog, log -> log.size() >= mark + requests,
                "nginx logging the play");
        List<String> requested = List.copyOf(all.subList(mark, all.size()));
        // ffmpeg's DASH demuxer learns where a duration template ends by asking for the segment after the last.
        assertTrue(requested.stream().filter(r -> r.contains(" 404 "))
                .allMatch(r -> r.matches("GET " + LOCATION + "template/chunk-stream\\d-00004\\.m4s 404 .*")),
                requested::toString);
        // Every request nginx saw was one sprox made for a request of the player's to a direct endpoint.
        List<String> direct = Eventually.until(() -> sprox.stdout().all().stream().skip(sproxMark)
                        .filter(message("request")).filter(l -> LogLine.string(l, "endpoint").orElse("")
                                .startsWith("/proxy/")).toList(),
                lines -> lines.size() >= 2, "sprox logging the play");
        assertTrue(direct.stream().allMatch(l -> LogLine.number(l, "status").stream()
                .allMatch(s -> s == 200 || s == 206 || s == 404)), direct::toString);
        assertEquals(requested.stream().filter(r -> r.contains(" 404 ")).count(), direct.stream()
                .filter(l -> LogLine.number(l, "status").orElse(0) == 404).count(), "the origin's 404s, passed on");
        assertTrue(direct.stream().anyMatch(l -> LogLine.string(l, "endpoint").orElse("").equals("/proxy/base")),
                direct::toString);
        return requested;
    }

    private SproxProcess sprox() {
        Configs.routes(config, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [direct]}
                logging: { level: info, access_log: true }
                direct_stream:
                  allowlist:
                    - {domain: "127.0.0.1", schemes: [http], paths: ["%s**"], ports: [%d]}
                  allow_cidrs: ["127.0.0.1/32"]
                """.formatted(LOCATION, nginx.port()));
        return SproxProcess.start(Map.of("SPROX_DIRECT_API_PASSWORD", TestSecrets.API_PASSWORD), "run", "-c",
                config.toString()).awaitStarted();
    }
}
