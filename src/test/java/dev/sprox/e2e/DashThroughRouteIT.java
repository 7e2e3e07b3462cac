package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real player (ffmpeg's DASH demuxer) plays ffmpeg's own DASH packaging (SegmentTemplate, {@code $Number$})
 * from a real origin (nginx) through a sprox route. The MPD names the origin in an absolute MPD-level BaseURL,
 * which without rewriting sends the player around sprox; with {@code dash.rewrite_manifest_urls} every request
 * the origin sees came through sprox (its {@code Via}).
 */
class DashThroughRouteIT {
    private static final String ORIGIN_PATH = "/dash";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path work;
    private static Path stream;
    private static NginxOrigin nginx;

    @TempDir
    Path config;
    private int viaMark;

    @BeforeAll
    static void serveADashStream() throws IOException {
        stream = Files.createDirectories(work.resolve("dash"));
        ExternalTool.Finished made = HlsStream.ffmpeg().run(TIMEOUT, "-hide_banner", "-v", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
                "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-b:v", "300k", "-c:a", "aac", "-b:a", "64k",
                "-f", "dash", "-seg_duration", "2", "-use_template", "1", "-use_timeline", "0",
                stream.resolve("manifest.mpd").toString());
        assertEquals(0, made.exitCode(), () -> "ffmpeg could not make the DASH stream: " + made);
        nginx = NginxOrigin.serve(Files.createDirectories(work.resolve("nginx")), ORIGIN_PATH + "/", stream);
        // The origin names itself, as CDNs' packagers do: every segment URL is absolute.
        Path mpd = stream.resolve("manifest.mpd");
        String text = Files.readString(mpd);
        assertTrue(text.contains("\t<Period "), text);
        Files.writeString(mpd, text.replace("\t<Period ", "\t<BaseURL>http://127.0.0.1:" + nginx.port()
                + ORIGIN_PATH + "/</BaseURL>\n\t<Period "));
    }

    @AfterAll
    static void stopTheOrigin() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @BeforeEach
    void markTheOriginLog() {
        viaMark = nginx.viaLog().size();
    }

    @Test
    void ffmpegPlaysTheRewrittenMpdWithEveryRequestThroughSprox() {
        List<NginxOrigin.Request> seen = play("{rewrite_manifest_urls: true, base_url: \"http://localhost:%d/\"}");
        assertFalse(seen.isEmpty());
        List<NginxOrigin.Request> around = seen.stream().filter(r -> !r.cameThroughSprox()).toList();
        assertEquals(List.of(), around, "requests that reached the origin without sprox");
        Set<String> fetched = seen.stream().map(r -> r.target().substring(ORIGIN_PATH.length() + 1))
                .collect(Collectors.toCollection(TreeSet::new));
        // 6 s in 2 s segments: three of each stream (ffmpeg's demuxer also tries a fourth, whatever it finds).
        Set<String> described = new TreeSet<>(List.of("manifest.mpd", "init-stream0.m4s", "init-stream1.m4s"));
        for (int n = 1; n <= 3; n++) {
            described.add("chunk-stream0-0000" + n + ".m4s");
            described.add("chunk-stream1-0000" + n + ".m4s");
        }
        assertTrue(files().containsAll(described), files()::toString);
        assertTrue(fetched.containsAll(described), () -> "fetched " + fetched);
    }

    @Test
    void withoutRewritingTheAbsoluteBaseUrlLeadsThePlayerAroundSprox() {
        List<NginxOrigin.Request> seen = play("{enabled: true}");
        assertTrue(seen.stream().anyMatch(r -> r.target().endsWith(".m4s") && !r.cameThroughSprox()), seen::toString);
    }

    /** Plays the MPD through a sprox route with this dash block; returns what the origin saw meanwhile. */
    private List<NginxOrigin.Request> play(String dashBlock) {
        int port = Configs.freePort();
        Configs.routes(config, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: %d, serve: [routes, ops]}
                routes:
                  - id: dash
                    listeners: [public]
                    host_patterns: ["localhost"]
                    upstream:
                      origin: "http://127.0.0.1:%d%s"
                    dash: %s
                """.formatted(port, nginx.port(), ORIGIN_PATH, dashBlock.formatted(port)));
        try (SproxProcess sprox = SproxProcess.run(config)) {
            ExternalTool.Finished played = HlsStream.ffmpeg().run(TIMEOUT, "-hide_banner", "-nostdin",
                    "-v", "error", "-i", "http://localhost:" + port + "/manifest.mpd", "-map", "0", "-c", "copy",
                    "-f", "null", "-");
            assertEquals(0, played.exitCode(), () -> played + "\nsprox:\n" + sprox.stdout().text());
        }
        List<NginxOrigin.Request> all = Eventually.until(nginx::viaLog, log -> log.size() > viaMark + 7,
                "nginx logging the player's requests");
        return all.subList(viaMark, all.size());
    }

    private static Set<String> files() {
        try (Stream<Path> files = Files.list(stream)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
