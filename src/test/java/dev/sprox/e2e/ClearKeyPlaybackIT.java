package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.testing.MockOrigin;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real player through a real sprox: a clip made by ffmpeg, encrypted by Shaka Packager (CENC {@code cenc} and
 * {@code cbcs}, the ClearKey system), served by an origin behind a sprox route, and played by Shaka Player in
 * headless Chromium, whose ClearKey CDM gets its licence from sprox's {@code /keys/clearkey} through a signed
 * URL minted on sprox's admin listener and given to the player, or through nothing but the licence URL sprox
 * wrote into the MPD its route rewrote. With a wrong key the decoder fails (Shaka 3016); with no key the licence
 * is empty and the CDM refuses it (Shaka 6008). Nothing plays in either case.
 */
class ClearKeyPlaybackIT {
    private static final String SIGNING_SECRET = "playback-licence-signing-secret";
    private static final Map<String, String> TYPES = Map.of("mpd", "application/dash+xml", "mp4", "video/mp4",
            "m4s", "video/iso.segment", "js", "text/javascript", "html", "text/html; charset=utf-8");

    @TempDir
    static Path media;
    @TempDir
    Path dir;

    private static MockOrigin origin;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void packageAndServe() throws IOException {
        Path clip = media.resolve("clip.mp4");
        ExternalTool.Finished encoded = ExternalTool.require("ffmpeg", "ffmpeg").run(Duration.ofSeconds(120),
                "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-t", "6",
                "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "25", "-keyint_min", "25",
                "-sc_threshold", "0", "-an", clip.toString());
        assertEquals(0, encoded.exitCode(), encoded::toString);
        Path site = Files.createDirectories(media.resolve("site"));
        for (String scheme : new String[] {"cenc", "cbcs"}) {
            Path out = site.resolve(scheme);
            ExternalTool.Finished packaged = ClearKeyPlayer.packager().run(Duration.ofSeconds(120),
                    "in=" + clip + ",stream=video,init_segment=" + out.resolve("init.mp4") + ",segment_template="
                            + out.resolve("$Number$.m4s"),
                    "--protection_scheme", scheme, "--enable_raw_key_encryption", "--protection_systems",
                    "CommonSystem", "--keys", "label=:key_id=" + TestSecrets.KID_A + ":key=" + TestSecrets.CONTENT_KEY_A,
                    "--clear_lead", "0", "--segment_duration", "2", "--generate_static_live_mpd",
                    "--mpd_output", out.resolve("manifest.mpd").toString());
            assertEquals(0, packaged.exitCode(), "shaka-packager failed");
        }
        Files.copy(ClearKeyPlayer.SCRIPTS.resolve("player.html"), site.resolve("player.html"));
        Files.copy(ClearKeyPlayer.shakaPlayerScript(), site.resolve("shaka-player.compiled.js"));
        origin = FileOrigin.serve(site, TYPES);
    }

    @AfterAll
    static void stopOrigin() {
        if (origin != null) {
            origin.close();
        }
    }

    /**
     * sprox with one route to the origin, rewriting MPDs onto itself, and {@code keyLine} as its only
     * {@code drm.keys} entry.
     */
    private SproxProcess sprox(String keyLine) throws IOException {
        int port = Configs.freePort();
        Files.writeString(dir.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: %d, serve: [routes, ops]}
                  - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
                logging: {level: info, access_log: true}
                direct_stream: {signing_secret: %s}
                drm:
                  keys:
                    - %s
                routes:
                  - id: media
                    listeners: [public]
                    host_patterns: ["localhost"]
                    upstream: {origin: "http://127.0.0.1:%d"}
                    dash: {rewrite_manifest_urls: true, base_url: "http://localhost:%d/"}
                """.formatted(port, SIGNING_SECRET, keyLine, origin.port(), port));
        return SproxProcess.run(dir);
    }

    /** What an integrator's backend does: mint a licence URL bound to the title's KID, for this player. */
    private String licenceUrl(SproxProcess sprox) throws Exception {
        var mint = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sprox.port("admin")
                + "/admin/licence-url?kids=" + TestSecrets.KID_A + "&ttl_s=300")).build();
        String body = client.send(mint, HttpResponse.BodyHandlers.ofString()).body();
        return "http://localhost:" + sprox.port("public") + body.replaceAll("(?s).*\"url\":\"([^\"]+)\".*", "$1");
    }

    private ClearKeyPlayer.Playback play(SproxProcess sprox, String scheme) throws Exception {
        return playPage(sprox, scheme + "/manifest.mpd&licence=" + URLEncoder.encode(licenceUrl(sprox),
                StandardCharsets.UTF_8));
    }

    private ClearKeyPlayer.Playback playPage(SproxProcess sprox, String query) throws IOException {
        String page = "http://localhost:" + sprox.port("public") + "/player.html?manifest=" + query;
        return ClearKeyPlayer.play(page, Files.createDirectories(dir.resolve("chromium-profile")));
    }

    private static String key(String hex) {
        return "{kid: " + TestSecrets.KID_A + ", key: " + hex + "}";
    }

    @Test
    void shakaPlaysCencWithTheLicenceFromSprox() throws Exception {
        try (SproxProcess sprox = sprox(key(TestSecrets.CONTENT_KEY_A))) {
            ClearKeyPlayer.Playback playback = play(sprox, "cenc");
            assertTrue(playback.playing(), playback::json);
            assertTrue(sprox.stdout().all().stream().anyMatch(l -> l.contains("\"message\":\"clearkey licence\"")
                    && l.contains("\"kids_issued\":\"" + TestSecrets.KID_A + "\"")), "no audit line");
        }
    }

    @Test
    void shakaPlaysWithNothingButTheLicenceUrlSproxWroteIntoTheMpd() throws Exception {
        try (SproxProcess sprox = sprox(key(TestSecrets.CONTENT_KEY_A))) {
            String mpd = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + sprox.port("public")
                    + "/cenc/manifest.mpd")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(mpd.contains("<dashif:Laurl xmlns:dashif=\"https://dashif.org/CPS\" Lic_type=\"EME-1.0\">"
                    + "http://localhost:" + sprox.port("public") + "/keys/clearkey?kids=" + TestSecrets.KID_A
                    + "&amp;exp="), mpd);
            ClearKeyPlayer.Playback playback = playPage(sprox, "cenc/manifest.mpd");
            assertTrue(playback.playing(), playback::json);
            assertTrue(sprox.stdout().all().stream().anyMatch(l -> l.contains("\"message\":\"clearkey licence\"")
                    && l.contains("\"kids_issued\":\"" + TestSecrets.KID_A + "\"")), "no audit line");
        }
    }

    @Test
    void shakaPlaysCbcsWithTheLicenceFromSprox() throws Exception {
        try (SproxProcess sprox = sprox(key(TestSecrets.CONTENT_KEY_A))) {
            ClearKeyPlayer.Playback playback = play(sprox, "cbcs");
            assertTrue(playback.playing(), playback::json);
        }
    }

    @Test
    void aWrongKeyFailsToDecodeAndNothingPlays() throws Exception {
        try (SproxProcess sprox = sprox(key(TestSecrets.CONTENT_KEY_B))) {
            ClearKeyPlayer.Playback playback = play(sprox, "cenc");
            assertEquals("3016", playback.errorCode(), playback::json);
        }
    }

    @Test
    void aMissingKeyIsAnEmptyLicenceTheCdmRefuses() throws Exception {
        try (SproxProcess sprox = sprox("{kid: " + TestSecrets.KID_B + ", key: " + TestSecrets.CONTENT_KEY_B + "}")) {
            ClearKeyPlayer.Playback playback = play(sprox, "cenc");
            assertEquals("6008", playback.errorCode(), playback::json);
        }
    }
}
