package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.EncryptedMedia;
import dev.sprox.testing.MockOrigin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The direct endpoints' decrypting mode through a real sprox: Shaka Packager's output on an origin (DASH with a
 * SegmentTemplate, an on-demand file behind a SegmentBase, HLS with {@code SAMPLE-AES-CTR} and {@code SAMPLE-AES}),
 * a URL minted by {@code sprox sign-url --decrypt}, and ffmpeg, given no key, decodes the clear source's frames
 * from it. Keys come from {@code drm.keys}, or sealed into the URL
 * ({@code --keys-file}) where no key is configured; either way no key appears in a URL or a log line (checked for
 * every sprox process when it is closed), and the log shows the sealed token's id only. A wrong key is a 502
 * naming the KID. A client cannot turn the decryption on or off, change what a decrypting URL decrypts, nor use one
 * after it expired.
 */
class DirectDecryptIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern MEDIA_URL = Pattern.compile("(?m)^/proxy/decrypt/\\S+$");
    private static final Pattern AUDIO_RENDITION = Pattern.compile("#EXT-X-MEDIA:TYPE=AUDIO.*URI=\"(/[^\"]+)\"");
    private static final Pattern SEALED = Pattern.compile("keys=([A-Za-z0-9_-]{16})\\.[A-Za-z0-9_-]+");

    @TempDir
    static Path media;
    private static List<String> clearVideo;
    private static MockOrigin origin;

    @TempDir
    Path dir;

    @BeforeAll
    static void packageAndServe() throws IOException {
        Path clip = EncryptedMedia.clip(media);
        clearVideo = EncryptedMedia.frameMd5(clip, "v");
        Path site = Files.createDirectories(media.resolve("site"));
        EncryptedMedia.shaka(site, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        for (String scheme : List.of("cenc", "cbcs")) {
            EncryptedMedia.shakaHls(site, clip, scheme, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        }
        EncryptedMedia.shakaOnDemand(site, clip, "cenc", TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A);
        origin = FileOrigin.serve(site, Map.of("mpd", "application/dash+xml", "mp4", "video/mp4",
                "m4s", "video/mp4", "m3u8", "application/vnd.apple.mpegurl"));
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void ffmpegWithoutAKeyPlaysTheSourceFramesWithKeysFromTheStore() throws Exception {
        int before = origin.requestCount();
        config(Optional.of(TestSecrets.CONTENT_KEY_A));
        try (SproxProcess sprox = SproxProcess.run(dir)) {
            String entry = base(sprox) + mint("--ttl", "1h");
            assertEquals(clearVideo, EncryptedMedia.frameMd5Url(entry, "v"));

            String variant = firstUriLine(get(entry).body());
            String playlist = get(base(sprox) + variant).body();
            assertFalse(playlist.contains("EXT-X-KEY"), playlist);
            // Nothing the player is given leads around sprox: every URI is sprox's own path.
            assertTrue(playlist.lines().filter(l -> !l.startsWith("#")).allMatch(l -> l.startsWith("/proxy/decrypt/"))
                    && !playlist.contains("\"http"), playlist);
            Matcher segment = MEDIA_URL.matcher(playlist.substring(playlist.indexOf("#EXTINF")));
            assertTrue(segment.find(), playlist);
            String segmentUrl = segment.group();
            assertEquals(200, get(base(sprox) + segmentUrl).statusCode());

            // Decryption cannot be turned off, nor pointed at another init segment, nor its keys changed.
            assertEquals(403, get(base(sprox) + segmentUrl.replace("decrypt=segment", "decrypt=init")
                    .replaceAll("&init=[^&]+", "")).statusCode());
            assertEquals(403, get(base(sprox) + segmentUrl.replace("v-init.mp4", "a-init.mp4")).statusCode());
            assertEquals(403, get(base(sprox) + segmentUrl.replace("/proxy/decrypt/", "/proxy/stream/")
                    .replace("&decrypt=segment", "").replaceAll("&init=[^&]+", "")).statusCode());
            assertEquals(403, get(base(sprox) + variant.replace("&decrypt=1", "")).statusCode());
            // Nor turned on where it was not signed.
            String plain = base(sprox) + mintPlain();
            assertEquals(200, get(plain).statusCode());
            assertEquals(403, get(plain + "&decrypt=1").statusCode());
        }
        assertTrue(origin.requests().stream().skip(before).anyMatch(r -> r.path().endsWith(".m4s")),
                "no segment reached the origin");
    }

    /** {@code cenc} is signalled as {@code SAMPLE-AES-CTR}, {@code cbcs} as {@code SAMPLE-AES}. */
    @ParameterizedTest
    @CsvSource({"cenc, SAMPLE-AES-CTR", "cbcs, SAMPLE-AES"})
    void ffmpegPlaysShakaHlsDecryptedWithoutItsKey(String scheme, String method) throws Exception {
        config(Optional.of(TestSecrets.CONTENT_KEY_A));
        try (SproxProcess sprox = SproxProcess.run(dir)) {
            String entry = base(sprox) + signed(List.of("sign-url", "-c", dir.toString(), "--endpoint", "manifest",
                    "--decrypt", "--destination", "http://127.0.0.1:" + origin.port() + "/" + scheme
                            + "-hls/master.m3u8"));
            String origins = get("http://127.0.0.1:" + origin.port() + "/" + scheme + "-hls/v.m3u8").body();
            assertTrue(origins.contains("#EXT-X-KEY:METHOD=" + method + ","), origins);

            assertEquals(clearVideo, EncryptedMedia.frameMd5Url(entry, "v"));

            String playlist = get(base(sprox) + firstUriLine(get(entry).body())).body();
            assertFalse(playlist.contains("EXT-X-KEY"), playlist);
            assertTrue(playlist.contains("#EXT-X-MAP:URI=\"/proxy/decrypt/v-init.mp4?"), playlist);
            assertTrue(playlist.lines().filter(l -> !l.startsWith("#")).allMatch(l -> l.startsWith("/proxy/decrypt/")),
                    playlist);
        }
    }

    @Test
    void ffmpegPlaysAnOnDemandFileByTheRangesSignedIntoItsDecryptingUrls() throws Exception {
        int before = origin.requestCount();
        config(Optional.of(TestSecrets.CONTENT_KEY_A));
        try (SproxProcess sprox = SproxProcess.run(dir)) {
            String entry = base(sprox) + signed(List.of("sign-url", "-c", dir.toString(), "--endpoint", "mpd_hls",
                    "--decrypt", "--destination", "http://127.0.0.1:" + origin.port() + "/cenc-ondemand/manifest.mpd"));

            assertEquals(clearVideo, EncryptedMedia.frameMd5Url(entry, "v"));

            String playlist = get(base(sprox) + firstUriLine(get(entry).body())).body();
            assertFalse(playlist.contains("BYTERANGE"), "ranges travel in the URLs:\n" + playlist);
            assertTrue(playlist.contains("&range="), playlist);
        }
        assertTrue(origin.requests().stream().skip(before).filter(r -> r.path().equals("/cenc-ondemand/v.mp4")
                && r.header("Range").isPresent()).count() >= 3, () -> origin.requests().toString());
    }

    @Test
    void keysSealedIntoTheUrlDecryptWhereSproxHoldsNoneAndOnlyTheTokenIdIsLogged() throws Exception {
        config(Optional.empty());
        Path keys = Files.writeString(dir.resolve("title.keys"), TestSecrets.KID_A + ":" + TestSecrets.CONTENT_KEY_A
                + "\n");
        try (SproxProcess sprox = SproxProcess.run(dir)) {
            String minted = mint("--keys-file", keys.toString());
            for (String secret : List.of(TestSecrets.CONTENT_KEY_A, TestSecrets.CONTENT_KEY_A_BASE64URL)) {
                assertFalse(minted.contains(secret), minted);
            }
            Matcher token = SEALED.matcher(minted);
            assertTrue(token.find(), minted);
            String entry = base(sprox) + minted;
            assertEquals(clearVideo, EncryptedMedia.frameMd5Url(entry, "v"));

            String playlist = get(base(sprox) + firstUriLine(get(entry).body())).body();
            assertFalse(playlist.contains(TestSecrets.CONTENT_KEY_A), playlist);
            assertTrue(playlist.contains("keys=" + token.group(1) + "."), "the media URLs carry the same token");
            List<String> logged = sprox.stdout().all().stream().filter(l -> l.contains("/proxy/decrypt/")).toList();
            assertFalse(logged.isEmpty(), "no decrypting request was logged");
            assertTrue(logged.stream().allMatch(l -> l.contains("keys=" + token.group(1) + ".REDACTED")
                    && !l.contains(token.group())), () -> String.join("\n", logged));

            // A token changed by one character opens nothing.
            String segmentUrl = mediaUrl(playlist);
            int at = segmentUrl.indexOf("keys=") + 30;
            char flipped = segmentUrl.charAt(at) == 'A' ? 'B' : 'A';
            String tampered = segmentUrl.substring(0, at) + flipped + segmentUrl.substring(at + 1);
            assertEquals(403, get(base(sprox) + tampered).statusCode());
        }
    }

    @Test
    void aMissingKeyIsForbiddenAndAWrongOneABadGatewayEachWithTheKidLogged() throws Exception {
        config(Optional.empty());
        try (SproxProcess sprox = SproxProcess.run(dir)) {
            String playlist = get(base(sprox) + firstUriLine(get(base(sprox) + mint()).body())).body();
            HttpResponse<String> refused = get(base(sprox) + mediaUrl(playlist));
            assertEquals(403, refused.statusCode());
            assertFalse(refused.body().contains(TestSecrets.KID_A), "the answer names no KID");
            Eventually.until(() -> sprox.stdout().all(), lines -> lines.stream().anyMatch(l -> l.contains(
                    TestSecrets.KID_A) && l.contains("missing_key")), "the KID in the log");
        }
        Path keys = Files.writeString(dir.resolve("wrong.keys"), TestSecrets.KID_A + ":" + TestSecrets.CONTENT_KEY_B
                + "\n");
        try (SproxProcess sprox = SproxProcess.run(dir)) {
            String entry = base(sprox) + mint("--keys-file", keys.toString());
            String audio = get(base(sprox) + audioRendition(get(entry).body())).body();
            HttpResponse<String> refused = get(base(sprox) + mediaUrl(audio));
            assertEquals(502, refused.statusCode());
            assertEquals("the key for KID " + TestSecrets.KID_A + " does not decrypt this content\n", refused.body());
            Eventually.until(() -> sprox.stdout().all(), lines -> lines.stream().anyMatch(l -> l.contains(
                    TestSecrets.KID_A) && l.contains("wrong_key") && l.contains("key_token")), "the KID in the log");

            EncryptedMedia.Played played = EncryptedMedia.play(entry);
            assertTrue(played.log().contains("HTTP error 502 Bad Gateway"), played.log());
            assertEquals(List.of(), played.md5s(1), "audio frames decoded");
        }
    }

    @Test
    void anExpiredDecryptingUrlIsForbidden() throws Exception {
        config(Optional.of(TestSecrets.CONTENT_KEY_A));
        try (SproxProcess sprox = SproxProcess.run(dir)) {
            String entry = base(sprox) + mint("--ttl", "2s");
            String playlist = get(base(sprox) + firstUriLine(get(entry).body())).body();
            String segment = base(sprox) + mediaUrl(playlist);
            Thread.sleep(3_000);
            assertEquals(403, get(segment).statusCode());
            assertEquals(403, get(entry).statusCode());
        }
    }

    private void config(Optional<String> key) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [direct]}
                logging: {level: info, access_log: true}
                direct_stream:
                  signing_secret: "%s"
                  allowlist:
                    - {domain: "127.0.0.1", schemes: [http], ports: [%d]}
                  allow_cidrs: ["127.0.0.1/32"]
                %s""".formatted(TestSecrets.API_PASSWORD, origin.port(), key.map(k -> """
                drm:
                  keys:
                    - {kid: %s, key: %s}
                """.formatted(TestSecrets.KID_A, k)).orElse("")));
    }

    private String mint(String... options) {
        var args = new ArrayList<>(List.of("sign-url", "-c", dir.toString(), "--endpoint", "mpd_hls",
                "--decrypt", "--destination", mpd()));
        args.addAll(List.of(options));
        return signed(args);
    }

    private String mintPlain() {
        return signed(List.of("sign-url", "-c", dir.toString(), "--endpoint", "mpd_hls", "--destination", mpd()));
    }

    private static String signed(List<String> args) {
        SproxProcess.Finished signed = SproxProcess.exec(Map.of(), args.toArray(String[]::new));
        assertEquals(0, signed.exitCode(), signed::toString);
        return signed.stdout().getFirst();
    }

    private static String mpd() {
        return "http://127.0.0.1:" + origin.port() + "/cenc/manifest.mpd";
    }

    private static String base(SproxProcess sprox) {
        return "http://127.0.0.1:" + sprox.port("public");
    }

    private static String firstUriLine(String playlist) {
        return playlist.lines().filter(l -> l.startsWith("/")).findFirst()
                .orElseThrow(() -> new AssertionError("no URI line in\n" + playlist));
    }

    /** The audio rendition's playlist in a multivariant playlist. */
    private static String audioRendition(String multivariant) {
        Matcher uri = AUDIO_RENDITION.matcher(multivariant);
        assertTrue(uri.find(), multivariant);
        return uri.group(1);
    }

    /** The first segment's decrypting URL of a media playlist. */
    private static String mediaUrl(String playlist) {
        Matcher segment = MEDIA_URL.matcher(playlist.substring(Math.max(0, playlist.indexOf("#EXTINF"))));
        assertTrue(segment.find(), playlist);
        return segment.group();
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
