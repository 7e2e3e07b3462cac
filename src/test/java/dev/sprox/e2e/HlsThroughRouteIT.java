package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real player (ffmpeg) plays a multi-variant HLS stream through a sprox route from a real origin (nginx).
 * sprox does not rewrite playlists, so this shows that relative playlist URIs, keep-alive and the player's
 * range requests work through a route, and that every file came from the origin by way of sprox.
 */
class HlsThroughRouteIT {
    private static final String ORIGIN_PATH = "/vod";
    private static final Duration PLAY_TIMEOUT = Duration.ofSeconds(60);
    /** The sample's listener port and origin address, which the test replaces with its own. */
    private static final String SAMPLE_PORT = "port: 8080";
    private static final String SAMPLE_ORIGIN = "127.0.0.1:8081";
    private static final Path SAMPLE = Path.of("conf", "local");

    @TempDir
    static Path work;
    private static HlsStream stream;
    private static NginxOrigin nginx;

    @TempDir
    Path config;
    private int nginxMark;

    @BeforeAll
    static void serveAStream() throws IOException {
        HlsStream.ffmpeg();
        stream = HlsStream.generate(Files.createDirectories(work.resolve("hls")));
        nginx = NginxOrigin.serve(Files.createDirectories(work.resolve("nginx")), ORIGIN_PATH + "/", stream.root());
    }

    @AfterAll
    static void stopTheOrigin() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @BeforeEach
    void markTheOriginLog() {
        nginxMark = nginx.accessLog().size();
    }

    @Test
    void ffmpegPlaysEveryVariantThroughTheRoute() {
        Configs.routes(config, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes, ops]}
                routes:
                  - id: vod
                    listeners: [public]
                    host_patterns: ["localhost", "vod.example.com"]
                    upstream:
                      origin: "http://127.0.0.1:%d%s"
                """.formatted(nginx.port(), ORIGIN_PATH));

        try (SproxProcess sprox = SproxProcess.run(config)) {
            playAndCheck(sprox, sprox.port("public"), "vod");
        }
    }

    @Test
    void theLocalSampleConfigurationIsValidAndPlays() throws IOException {
        SproxProcess.Finished validate = SproxProcess.exec(Map.of(), "validate", "-c", SAMPLE.toString());
        assertEquals(0, validate.exitCode(), validate::toString);

        String sample = Files.readString(SAMPLE.resolve("routes.yaml"));
        assertTrue(sample.contains(SAMPLE_PORT) && sample.contains(SAMPLE_ORIGIN + ORIGIN_PATH),
                "the sample no longer has the listener port and origin this test replaces:\n" + sample);
        Configs.routes(config, sample.replace(SAMPLE_PORT, "port: 0")
                .replace(SAMPLE_ORIGIN, "127.0.0.1:" + nginx.port()));

        try (SproxProcess sprox = SproxProcess.run(config)) {
            playAndCheck(sprox, sprox.port("local"), "vod");
        }
    }

    /**
     * Plays the whole stream (every rendition: {@code -map 0}) and checks that sprox answered each file with
     * the origin's status and the file's full size, and that the origin saw exactly the requests sprox made.
     */
    private void playAndCheck(SproxProcess sprox, int port, String routeId) {
        int sproxMark = sprox.stdout().mark();
        String url = "http://localhost:" + port + "/" + HlsStream.MASTER;

        ExternalTool.Finished played = HlsStream.ffmpeg().run(PLAY_TIMEOUT, "-hide_banner", "-nostdin",
                "-v", "error", "-i", url, "-map", "0", "-c", "copy", "-f", "null", "-");

        assertEquals(0, played.exitCode(), () -> played + "\nsprox:\n" + sprox.stdout().text());
        List<String> expected = stream.resources();
        assertEquals(3, expected.stream().filter(p -> p.endsWith("/index.m3u8")).count(), expected::toString);
        assertTrue(stream.segments().size() >= 9, expected::toString);
        var statuses = new HashMap<String, Long>();
        for (String resource : expected) {
            String line = sprox.stdout().awaitFrom(sproxMark, message("request")
                    .and(field("endpoint", "route:" + routeId)).and(field("path", "/" + resource)),
                    SproxProcess.TIMEOUT);
            long status = LogLine.number(line, "status").orElseThrow();
            assertTrue(status == 200 || status == 206, line);
            assertEquals(stream.size(resource), LogLine.number(line, "bytes").orElseThrow(), line);
            statuses.put(resource, status);
        }
        List<String> proxied = proxiedPaths(sprox, sproxMark);
        assertEquals(new TreeSet<>(expected), new TreeSet<>(proxied), "sprox proxied other files than the stream has");
        List<String> origin = Eventually.until(this::originRequests, seen -> seen.size() >= proxied.size(),
                "nginx logging every request sprox made");
        for (String resource : expected) {
            String originLine = "GET " + ORIGIN_PATH + "/" + resource + " " + statuses.get(resource) + " "
                    + stream.size(resource);
            assertTrue(origin.contains(originLine), () -> "nginx did not log \"" + originLine + "\": " + origin);
        }
        assertEquals(proxied.size(), origin.size(), () -> "nginx saw other requests than sprox made: " + origin);
    }

    /** The path of every request sprox logged after {@code mark}, without the leading slash. */
    private static List<String> proxiedPaths(SproxProcess sprox, int mark) {
        return sprox.stdout().all().stream().skip(mark).filter(message("request"))
                .map(line -> LogLine.string(line, "path").orElseThrow().substring(1)).toList();
    }

    private List<String> originRequests() {
        List<String> all = nginx.accessLog();
        return all.subList(Math.min(nginxMark, all.size()), all.size());
    }
}
