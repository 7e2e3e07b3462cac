package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.EncryptedMedia;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A player's run through the decrypting mode (the HLS sprox makes of Shaka Packager's {@code cenc} DASH, its init
 * segment, then each media segment) fetches the init segment from the origin once, not once per segment, and the
 * clear video still has the source's frames. An init the origin forbids to share is fetched every time.
 */
class RouteDecryptInitTest extends ProxyHarness {
    private static final int SEGMENTS = 8;
    private static final Pattern MAP = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"");

    @TempDir
    static Path media;
    private static Path site;
    private static List<String> clearVideo;
    private static MockOrigin origin;

    @BeforeAll
    static void packageAndServe() throws IOException {
        Path clip = EncryptedMedia.clip(media, SEGMENTS);
        clearVideo = EncryptedMedia.frameMd5(clip, "v");
        site = Files.createDirectories(media.resolve("site"));
        EncryptedMedia.shaka(site, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        origin = MockOrigin.start();
    }

    /** Serves the packaged files, the init segments with {@code initCacheControl} when there is one. */
    private static MockOrigin.Dispatcher files(String initCacheControl) {
        return request -> {
            Path file = site.resolve(request.path().substring(1)).normalize();
            if (!file.startsWith(site) || !Files.isRegularFile(file)) {
                return MockResponse.status(404);
            }
            var answer = MockResponse.ok(Files.readAllBytes(file)).type("video/mp4");
            return request.path().endsWith("-init.mp4") && initCacheControl != null
                    ? answer.header("Cache-Control", initCacheControl) : answer;
        };
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    @BeforeEach
    void startSprox() throws Exception {
        origin.reset();
        origin.dispatch(files(null));
        startConfig("""
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes]}
                logging: {level: warn, access_log: false}
                drm:
                  keys:
                    - {kid: %s, key: %s}
                routes:
                  - id: vod
                    listeners: [public]
                    host_patterns: ["localhost"]
                    upstream: {origin: "%s"}
                    drm: {decrypt: true}
                """.formatted(TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A, origin.url("")));
    }

    @Test
    void theInitSegmentIsFetchedOnceForEverySegment() throws Exception {
        byte[] video = playVideo();
        assertEquals(clearVideo, EncryptedMedia.frameMd5(Files.write(media.resolve("played.mp4"), video), "v"));
        assertEquals(SEGMENTS, count("/cenc/v-\\d+\\.m4s"), () -> origin.requests().toString());
        assertEquals(1, count("/cenc/v-init\\.mp4"), () -> origin.requests().toString());
    }

    @Test
    void anInitTheOriginMarksNoStoreIsFetchedForEachSegment() throws Exception {
        origin.dispatch(files("no-store"));
        playVideo();
        assertEquals(1 + SEGMENTS, count("/cenc/v-init\\.mp4"), () -> origin.requests().toString());
    }

    private long count(String path) {
        return origin.requests().stream().filter(r -> r.path().matches(path)).count();
    }

    /**
     * Does what an HLS player does with the video: multivariant playlist, the first variant's media playlist, its
     * {@code EXT-X-MAP}, then every segment in order; returns the init and segments joined.
     */
    private byte[] playVideo() throws Exception {
        URI multivariant = url("/cenc/manifest.mpd?sprox_decrypt=hls");
        URI variant = multivariant.resolve(firstUri(text(multivariant)));
        String playlist = text(variant);
        Matcher map = MAP.matcher(playlist);
        assertTrue(map.find(), playlist);
        var joined = new ByteArrayOutputStream();
        joined.write(bytes(variant.resolve(map.group(1))));
        var segments = new ArrayList<String>();
        playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(segments::add);
        assertEquals(SEGMENTS, segments.size(), playlist);
        for (String segment : segments) {
            joined.write(bytes(variant.resolve(segment)));
        }
        return joined.toByteArray();
    }

    private static String firstUri(String playlist) {
        return playlist.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElseThrow(
                () -> new AssertionError("no variant in\n" + playlist));
    }

    private String text(URI uri) throws Exception {
        return new String(bytes(uri), java.nio.charset.StandardCharsets.UTF_8);
    }

    private byte[] bytes(URI uri) throws Exception {
        HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, answer.statusCode(), () -> uri + ": " + new String(answer.body()));
        return answer.body();
    }
}
