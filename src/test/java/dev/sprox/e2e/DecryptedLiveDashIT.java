package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.EncryptedMedia;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted live DASH, decrypted by a real sprox for players without DRM: Shaka Packager's {@code cenc} and
 * {@code cbcs} segments published as a live packager would ({@link SlidingMpd}: a dynamic MPD whose timeline
 * grows in real time within a 10 s time-shift buffer), behind a route with {@code drm.decrypt: true}. At the same
 * time, for {@value #LIVE_SECONDS} s of media each, ffmpeg (given no key) plays the live HLS sprox makes of the
 * {@code cenc} and of the {@code cbcs} stream, and hls.js in headless Chromium (no EME) plays the {@code cbcs}
 * one. ffmpeg's frames are, MD5 for MD5, an unbroken run of the clear source's frames; playing took real time
 * (the stream was live, not read ahead); hls.js reports no error; every request reached the origin through sprox.
 */
class DecryptedLiveDashIT {
    private static final int LIVE_SECONDS = 40;
    /** Long enough that the live edge never reaches the end of the clip while the players watch. */
    private static final int CLIP_SECONDS = 80;
    private static final int FPS = 25;
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Duration ALREADY_LIVE = Duration.ofSeconds(6);

    @TempDir
    static Path media;
    private static Path site;
    private static List<String> clearVideo;
    private static MockOrigin origin;
    private static SproxProcess sprox;

    @BeforeAll
    static void packageServeAndProxy() throws IOException {
        Path clip = EncryptedMedia.clip(media, CLIP_SECONDS);
        clearVideo = EncryptedMedia.frameMd5(clip, "v");
        site = Files.createDirectories(media.resolve("site"));
        for (String scheme : List.of("cenc", "cbcs")) {
            EncryptedMedia.shaka(site, clip, scheme, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        }
        Files.copy(ClearKeyPlayer.SCRIPTS.resolve("hls-player.html"), site.resolve("hls-player.html"));
        Files.copy(ClearKeyPlayer.hlsJsScript(), site.resolve("hls.min.js"));
        origin = FileOrigin.serve(site, Map.of("mpd", "application/dash+xml", "mp4", "video/mp4",
                "m4s", "video/iso.segment", "js", "text/javascript", "html", "text/html; charset=utf-8"));
        Path config = Files.createDirectories(media.resolve("sprox"));
        Files.writeString(config.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes]}
                logging: {level: info, access_log: true}
                drm:
                  keys:
                    - {kid: %s, key: %s}
                routes:
                  - id: live
                    listeners: [public]
                    upstream: {origin: "http://127.0.0.1:%d"}
                    drm: {decrypt: true}
                """.formatted(TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A, origin.port()));
        sprox = SproxProcess.run(config);
    }

    @AfterAll
    static void stop() {
        if (sprox != null) {
            sprox.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    /** What one ffmpeg run decoded, and the wall time it took. */
    private record Played(List<String> frames, double wallSeconds) {}

    @Test
    void ffmpegAndHlsJsPlayTheDecryptedLiveStreamForFortySeconds() throws Exception {
        int before = origin.requestCount();
        try (SlidingMpd cenc = SlidingMpd.start(site.resolve("cenc/manifest.mpd"), ALREADY_LIVE, WINDOW);
             SlidingMpd cbcs = SlidingMpd.start(site.resolve("cbcs/manifest.mpd"), ALREADY_LIVE, WINDOW);
             ExecutorService players = Executors.newVirtualThreadPerTaskExecutor()) {
            // Threads of their own: the common pool may have one thread on two cores, and each player blocks.
            Future<ClearKeyPlayer.Playback> browser = players.submit(() -> watch("cbcs"));
            Future<Played> cencPlayed = players.submit(() -> ffmpeg("cenc"));
            Played cbcsPlayed = ffmpeg("cbcs");
            assertLiveSourceFrames("cbcs", cbcsPlayed);
            assertLiveSourceFrames("cenc", cencPlayed.get());
            ClearKeyPlayer.Playback playback = browser.get();
            System.out.println("hls.js, live cbcs decrypted: " + playback.json());
            assertTrue(playback.playing(), playback::json);
            assertTrue(number(playback.json(), "played") >= LIVE_SECONDS, playback::json);
            assertTrue(playback.json().contains("\"errors\":[]"), playback::json);
        }
        List<RecordedRequest> all = origin.requests();
        List<RecordedRequest> requests = all.subList(before, all.size());
        assertEquals(List.of(), requests.stream().filter(r -> !r.headers("X-Forwarded-For").equals(
                List.of("127.0.0.1"))).toList(), "requests that reached the origin without sprox");
        for (String scheme : List.of("cenc", "cbcs")) {
            long segments = requests.stream().filter(r -> r.path().matches("/" + scheme + "/v-\\d+\\.m4s")).count();
            assertTrue(segments >= LIVE_SECONDS, () -> scheme + ": " + segments + " video segments\n" + requests);
        }
    }

    private Played ffmpeg(String scheme) {
        String url = "http://127.0.0.1:" + sprox.port("public") + "/" + scheme + "/manifest.mpd?sprox_decrypt=hls";
        long started = System.nanoTime();
        try {
            List<String> frames = EncryptedMedia.frameMd5Url(url, "v", LIVE_SECONDS);
            return new Played(frames, (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertLiveSourceFrames(String scheme, Played played) {
        System.out.printf("ffmpeg, live %s decrypted: %d frames in %.1f s of wall time%n", scheme,
                played.frames().size(), played.wallSeconds());
        assertEquals(LIVE_SECONDS * FPS, played.frames().size(), () -> scheme + ": frames decoded; sprox said:\n"
                + String.join("\n", sprox.stdout().all().stream().filter(l -> l.contains("/" + scheme + "/")
                        && !l.contains("\"status\":200")).toList()) + "\norigin:\n" + String.join("\n",
                origin.requests().stream().map(RecordedRequest::path).filter(p -> p.startsWith("/" + scheme + "/v"))
                        .toList()));
        assertTrue(Collections.indexOfSubList(clearVideo, played.frames()) >= 0,
                scheme + ": the frames are not an unbroken run of the source's");
        // Live: the player starts a few segments behind the edge and then waits for each new one, so it cannot
        // finish much sooner than the media lasts; a stream read ahead like a file would take a second or two.
        assertTrue(played.wallSeconds() >= LIVE_SECONDS - WINDOW.toSeconds(), scheme + ": read ahead in "
                + played.wallSeconds() + " s, not live");
    }

    private ClearKeyPlayer.Playback watch(String scheme) {
        String manifest = scheme + "/manifest.mpd?sprox_decrypt=hls";
        try {
            return ClearKeyPlayer.play("http://127.0.0.1:" + sprox.port("public") + "/hls-player.html?manifest="
                    + URLEncoder.encode(manifest, StandardCharsets.UTF_8) + "&live=" + LIVE_SECONDS,
                    Files.createTempDirectory(media, "chromium-profile"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double number(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":([0-9.]+)").matcher(json);
        assertTrue(value.find(), () -> name + " in " + json);
        return Double.parseDouble(value.group(1));
    }
}
