package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sprox probe} against real HLS (ffmpeg) on a real origin (nginx), directly and through a sprox route:
 * the canary an operator runs before shifting traffic must pass a good stream and name what breaks a bad one.
 */
class ProbeIT {
    private static final Map<String, String> NO_ENVIRONMENT = Map.of();
    /** Deleted from every video variant of the broken copy, so whichever variant is chosen misses it. */
    private static final String MISSING_SEGMENT = "seg_001.ts";

    @TempDir
    static Path work;
    private static NginxOrigin nginx;

    @TempDir
    Path config;

    @BeforeAll
    static void serveAGoodAndABrokenStream() throws IOException {
        HlsStream.ffmpeg();
        Path hls = Files.createDirectories(work.resolve("hls"));
        HlsStream good = HlsStream.generate(Files.createDirectories(hls.resolve("good")));
        copy(good.root(), hls.resolve("broken"));
        Files.delete(hls.resolve("broken/stream_0").resolve(MISSING_SEGMENT));
        Files.delete(hls.resolve("broken/stream_1").resolve(MISSING_SEGMENT));
        nginx = NginxOrigin.serve(Files.createDirectories(work.resolve("nginx")), "/vod/", hls);
    }

    @AfterAll
    static void stopTheOrigin() {
        if (nginx != null) {
            nginx.close();
        }
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + nginx.port() + "/vod/" + path;
    }

    @Test
    void aGoodMultiVariantStreamIsPlayable() {
        SproxProcess.Finished probe = SproxProcess.exec(NO_ENVIRONMENT, "probe", url("good/master.m3u8"));

        assertEquals(0, probe.exitCode(), probe::toString);
        assertTrue(probe.stdout().stream().anyMatch(l -> l.startsWith("ok   variant ") && l.contains("highest of 2")),
                probe::toString);
        assertEquals(3, probe.stdout().stream().filter(l -> l.startsWith("ok   segment ") && l.contains("MPEG_TS")).count(),
                probe::toString);
        assertTrue(probe.stdout().getLast().startsWith("playable: all "), probe::toString);
    }

    @Test
    void aGoodStreamIsPlayableThroughASproxRoute() {
        Configs.routes(config, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes, ops]}
                routes:
                  - id: vod
                    listeners: [public]
                    upstream:
                      origin: "http://127.0.0.1:%d"
                """.formatted(nginx.port()));
        int before = nginx.viaLog().size();

        try (SproxProcess sprox = SproxProcess.run(config)) {
            SproxProcess.Finished probe = SproxProcess.exec(NO_ENVIRONMENT, "probe", url("good/master.m3u8"),
                    "--via", "http://127.0.0.1:" + sprox.port("public"), "--variant", "lowest", "--format", "json");

            assertEquals(0, probe.exitCode(), probe::toString);
            assertTrue(probe.stdout().getFirst().contains("\"playable\":true"), probe::toString);
        }
        List<NginxOrigin.Request> requests = nginx.viaLog().subList(before, nginx.viaLog().size());
        assertFalse(requests.isEmpty());
        assertTrue(requests.stream().allMatch(NginxOrigin.Request::cameThroughSprox), requests::toString);
    }

    @Test
    void aMissingSegmentMakesItUnplayableAndIsNamed() {
        SproxProcess.Finished probe = SproxProcess.exec(NO_ENVIRONMENT, "probe", url("broken/master.m3u8"));

        assertEquals(1, probe.exitCode(), probe::toString);
        assertTrue(probe.stdout().stream().anyMatch(l -> l.startsWith("FAIL segment ")
                && l.contains("/vod/broken/stream_") && l.contains(MISSING_SEGMENT + ": status 404")), probe::toString);
        assertTrue(probe.stdout().getLast().startsWith("NOT playable: 1 of "), probe::toString);
    }

    @Test
    void aUrlThatIsNotAPlaylistSaysSo() {
        SproxProcess.Finished probe = SproxProcess.exec(NO_ENVIRONMENT, "probe", url("good/stream_0/seg_000.ts"));

        assertEquals(1, probe.exitCode(), probe::toString);
        assertTrue(probe.stdout().getFirst().startsWith("FAIL master ")
                && probe.stdout().getFirst().contains("not an HLS playlist (Content-Type video/mp2t)"), probe::toString);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(file -> {
                try {
                    Files.copy(file, to.resolve(from.relativize(file).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
