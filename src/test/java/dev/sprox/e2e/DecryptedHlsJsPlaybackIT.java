package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.EncryptedMedia;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.RecordedRequest;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A browser player with no DRM at all through a real sprox: hls.js in headless Chromium (Media Source Extensions,
 * no EME, no key) plays to near its end the HLS a route with {@code drm.decrypt: true} makes of Shaka Packager's
 * {@code cenc} and {@code cbcs} DASH, video and audio, with no hls.js error on the way. Every request the page made
 * (its script, the playlists, init segments and segments) reached the origin through sprox. With the wrong key
 * sprox answers the segments 502 and hls.js meets load errors instead of undecodable media. The direct endpoints'
 * decrypting HLS (a URL signed by {@code sprox sign-url --decrypt}) plays the same way.
 */
class DecryptedHlsJsPlaybackIT {
    private static final int SECONDS = 6;
    private static final double UNTIL = SECONDS - 0.5;
    /** The user agent the signed direct URLs send the origin: what tells their requests from the route's. */
    private static final String DIRECT_USER_AGENT = "sprox-direct-decrypt";

    @TempDir
    static Path media;
    @TempDir
    Path dir;

    private static MockOrigin origin;

    @BeforeAll
    static void packageAndServe() throws IOException {
        Path clip = EncryptedMedia.clip(media, SECONDS);
        Path site = Files.createDirectories(media.resolve("site"));
        for (String scheme : List.of("cenc", "cbcs")) {
            EncryptedMedia.shaka(site, clip, scheme, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        }
        Files.copy(ClearKeyPlayer.SCRIPTS.resolve("hls-player.html"), site.resolve("hls-player.html"));
        Files.copy(ClearKeyPlayer.hlsJsScript(), site.resolve("hls.min.js"));
        origin = FileOrigin.serve(site, Map.of("mpd", "application/dash+xml", "mp4", "video/mp4",
                "m4s", "video/iso.segment", "js", "text/javascript", "html", "text/html; charset=utf-8"));
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    private SproxProcess sprox(String key) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes, direct]}
                logging: {level: info, access_log: true}
                direct_stream:
                  signing_secret: "%4$s"
                  allowlist:
                    - {domain: "127.0.0.1", schemes: [http], ports: [%3$d]}
                  allow_cidrs: ["127.0.0.1/32"]
                drm:
                  keys:
                    - {kid: %1$s, key: %2$s}
                routes:
                  - id: media
                    listeners: [public]
                    upstream: {origin: "http://127.0.0.1:%3$d"}
                    drm: {decrypt: true}
                """.formatted(TestSecrets.KID_A, key, origin.port(), TestSecrets.API_PASSWORD));
        return SproxProcess.run(dir);
    }

    private ClearKeyPlayer.Playback play(SproxProcess sprox, String manifest) throws IOException {
        return ClearKeyPlayer.play("http://127.0.0.1:" + sprox.port("public") + "/hls-player.html?manifest="
                + URLEncoder.encode(manifest, StandardCharsets.UTF_8) + "&until=" + UNTIL,
                Files.createDirectories(dir.resolve("chromium-profile")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs"})
    void hlsJsWithoutEmePlaysTheDecryptedStreamToNearItsEnd(String scheme) throws IOException {
        int before = origin.requestCount();
        ClearKeyPlayer.Playback playback;
        try (SproxProcess sprox = sprox(TestSecrets.CONTENT_KEY_A)) {
            playback = play(sprox, scheme + "/manifest.mpd?sprox_decrypt=hls");
        }
        System.out.println("hls.js, decrypted " + scheme + ": " + playback.json());
        assertPlayedToNearTheEnd(playback);
        List<RecordedRequest> all = origin.requests();
        List<RecordedRequest> requests = all.subList(before, all.size());
        assertEquals(List.of(), requests.stream().filter(r -> !r.headers("X-Forwarded-For").equals(
                List.of("127.0.0.1"))).toList(), "requests that reached the origin without sprox");
        var fetched = requests.stream().map(RecordedRequest::path).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(fetched.containsAll(List.of("/hls-player.html", "/hls.min.js", "/" + scheme + "/manifest.mpd",
                "/" + scheme + "/v-init.mp4", "/" + scheme + "/a-init.mp4", "/" + scheme + "/v-" + SECONDS + ".m4s",
                "/" + scheme + "/a-" + SECONDS + ".m4s")), fetched::toString);
    }

    /**
     * The page is given one URL, signed for the direct endpoints' decrypting HLS of the MPD; every playlist, init
     * segment and segment after it is a sprox path that decrypts, and the origin sees each media request with the
     * user agent signed into that URL.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cenc", "cbcs"})
    void hlsJsWithoutEmePlaysTheDirectEndpointsDecryptingHls(String scheme) throws IOException {
        int before = origin.requestCount();
        ClearKeyPlayer.Playback playback;
        try (SproxProcess sprox = sprox(TestSecrets.CONTENT_KEY_A)) {
            SproxProcess.Finished signed = SproxProcess.exec(Map.of(), "sign-url", "-c", dir.toString(),
                    "--endpoint", "mpd_hls", "--decrypt", "--header", "user-agent=" + DIRECT_USER_AGENT,
                    "--destination", "http://127.0.0.1:" + origin.port() + "/" + scheme + "/manifest.mpd");
            assertEquals(0, signed.exitCode(), signed::toString);
            playback = play(sprox, signed.stdout().getFirst());
        }
        System.out.println("hls.js, direct decrypting HLS of " + scheme + ": " + playback.json());
        assertPlayedToNearTheEnd(playback);
        List<RecordedRequest> all = origin.requests();
        List<RecordedRequest> media = all.subList(before, all.size()).stream()
                .filter(r -> r.path().startsWith("/" + scheme + "/")).toList();
        assertEquals(List.of(), media.stream().filter(r -> !r.headers("User-Agent").equals(
                List.of(DIRECT_USER_AGENT))).toList(), "media requests that did not come through the signed URLs");
        var fetched = media.stream().map(RecordedRequest::path).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(fetched.containsAll(List.of("/" + scheme + "/manifest.mpd", "/" + scheme + "/v-init.mp4",
                "/" + scheme + "/a-init.mp4", "/" + scheme + "/v-" + SECONDS + ".m4s",
                "/" + scheme + "/a-" + SECONDS + ".m4s")), fetched::toString);
    }

    /**
     * The segments sprox cannot decrypt with the key it holds are 502s, which hls.js meets as load errors: it plays
     * nothing, rather than garbage.
     */
    @Test
    void withTheWrongKeyHlsJsMeetsBadGatewaysAndDoesNotPlay() throws IOException {
        ClearKeyPlayer.Playback playback;
        try (SproxProcess sprox = sprox(TestSecrets.CONTENT_KEY_B)) {
            playback = play(sprox, "cenc/manifest.mpd?sprox_decrypt=hls");
            assertTrue(sprox.stdout().all().stream().anyMatch(l -> l.contains(TestSecrets.KID_A)
                    && l.contains("wrong_key")), "the KID and the reason in the log");
        }
        System.out.println("hls.js, wrong key: " + playback.json());
        assertFalse(playback.playing(), playback::json);
        // hls.js retries a 502 (its fragment load policy), then gives up with a fatal network error, unless the
        // page's 20 s run out first with nothing played; it never meets media it could not decode.
        assertTrue(playback.json().contains("\"code\":\"fragLoadError\"")
                || playback.json().contains("\"currentTime\":0,"), playback::json);
        assertTrue(playback.json().matches(".*\"errors\":\\[\"fragLoadError\"(,\"fragLoadError\")*].*"),
                playback::json);
    }

    /** Video and its one audio track played to near the end, every frame shown at 25 fps, no hls.js error. */
    private static void assertPlayedToNearTheEnd(ClearKeyPlayer.Playback playback) {
        assertTrue(playback.playing(), playback::json);
        assertTrue(number(playback.json(), "currentTime") >= UNTIL, playback::json);
        assertTrue(number(playback.json(), "frames") >= UNTIL * 25 * 0.9, playback::json);
        assertTrue(playback.json().contains("\"audioTracks\":1"), playback::json);
        assertTrue(playback.json().contains("\"errors\":[]"), playback::json);
    }

    private static double number(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":([0-9.]+)").matcher(json);
        assertTrue(value.find(), () -> name + " in " + json);
        return Double.parseDouble(value.group(1));
    }
}
