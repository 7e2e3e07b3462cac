package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.EncryptedMedia;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.RecordedRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A player with no DRM at all through a real sprox: Shaka Packager's DASH in each scheme ({@code cenc},
 * {@code cbcs}, {@code cens}, {@code cbc1}) behind a route with {@code drm.decrypt: true}, played by ffmpeg (given
 * no key) as the HLS sprox makes of it. The frames it decodes are the clear source's; every origin request came
 * from sprox; a missing key is a 403 naming nothing secret, with the KID in sprox's log; a wrong key is a 502 that
 * names the KID, which ffmpeg reports.
 */
class DecryptedHlsPlaybackIT {
    @TempDir
    static Path media;
    private static Path clip;
    private static List<String> clearVideo;
    private static MockOrigin origin;

    @TempDir
    Path dir;

    @BeforeAll
    static void packageAndServe() throws IOException {
        clip = EncryptedMedia.clip(media);
        clearVideo = EncryptedMedia.frameMd5(clip, "v");
        Path site = Files.createDirectories(media.resolve("site"));
        for (String scheme : List.of("cenc", "cbcs", "cens", "cbc1")) {
            EncryptedMedia.shaka(site, clip, scheme, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        }
        origin = FileOrigin.serve(site, Map.of("mpd", "application/dash+xml", "mp4", "video/mp4",
                "m4s", "video/mp4"));
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    private SproxProcess sprox(String kid, String key) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes]}
                  - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
                logging: {level: info, access_log: true}
                drm:
                  keys:
                    - {kid: %s, key: %s}
                routes:
                  - id: media
                    listeners: [public]
                    upstream: {origin: "http://127.0.0.1:%d"}
                    drm: {decrypt: true}
                """.formatted(kid, key, origin.port()));
        return SproxProcess.run(dir);
    }

    private static String hls(SproxProcess sprox, String scheme) {
        return "http://127.0.0.1:" + sprox.port("public") + "/" + scheme + "/manifest.mpd?sprox_decrypt=hls";
    }

    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs", "cens", "cbc1"})
    void ffmpegWithoutAKeyPlaysTheSourceFrames(String scheme) throws IOException {
        int before = origin.requestCount();
        try (SproxProcess sprox = sprox(TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A)) {
            assertEquals(clearVideo, EncryptedMedia.frameMd5Url(hls(sprox, scheme), "v"));
        }
        List<RecordedRequest> all = origin.requests();
        List<RecordedRequest> requests = all.subList(before, all.size());
        assertTrue(requests.stream().anyMatch(r -> r.path().endsWith(".m4s")), "no segment reached the origin");
        assertTrue(requests.stream().allMatch(r -> r.headers("X-Forwarded-For").equals(List.of("127.0.0.1"))),
                () -> requests.stream().map(r -> r + " via " + r.headers("X-Forwarded-For"))
                        .collect(Collectors.joining("\n")));
    }

    @Test
    void missingKeyIsForbiddenAndTheKidIsLogged() throws Exception {
        try (SproxProcess sprox = sprox(TestSecrets.KID_B, TestSecrets.CONTENT_KEY_B)) {
            String segment = "http://127.0.0.1:" + sprox.port("public")
                    + "/cenc/v-1.m4s?sprox_decrypt=segment&sprox_init=%2Fcenc%2Fv-init.mp4";
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(segment)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, answer.statusCode());
            assertTrue(sprox.stdout().all().stream().anyMatch(l -> l.contains(TestSecrets.KID_A)
                    && l.contains("missing_key")), "the KID is not in the log");
        }
    }

    /**
     * A wrong key is a 502 naming the KID, before any byte of the segment: the audio's first samples give it away,
     * and the video under the same KID is refused from then on. ffmpeg sees the error and decodes no audio.
     */
    @Test
    void wrongKeyIsABadGatewayNamingTheKidAndFfmpegSeesIt() throws Exception {
        try (SproxProcess sprox = sprox(TestSecrets.KID_A, TestSecrets.CONTENT_KEY_B)) {
            String base = "http://127.0.0.1:" + sprox.port("public") + "/cenc/";
            HttpResponse<String> audio = get(base + "a-1.m4s?sprox_decrypt=segment&sprox_init=%2Fcenc%2Fa-init.mp4");
            assertEquals(502, audio.statusCode());
            assertEquals("the key for KID " + TestSecrets.KID_A + " does not decrypt this content\n", audio.body());
            HttpResponse<String> video = get(base + "v-2.m4s?sprox_decrypt=segment&sprox_init=%2Fcenc%2Fv-init.mp4");
            assertEquals(502, video.statusCode(), "the video under the same KID");
            Eventually.until(() -> sprox.stdout().all(), lines -> lines.stream().anyMatch(l -> l.contains(
                    "cannot decrypt") && l.contains(TestSecrets.KID_A) && l.contains("wrong_key")), "the KID logged");
            assertTrue(RawHttp.get(sprox.port("admin"), "/metrics").text().lines().anyMatch(l -> l.matches(
                    "sprox_drm_decrypt_failures_total\\{.*reason=\"wrong_key\".*} 2\\.0")), "wrong_key counted twice");

            EncryptedMedia.Played played = EncryptedMedia.play(hls(sprox, "cenc"));
            assertTrue(played.log().contains("HTTP error 502 Bad Gateway"), played.log());
            assertEquals(List.of(), played.md5s(1), "audio frames decoded");
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
