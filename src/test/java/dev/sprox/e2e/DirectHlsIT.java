package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real player (ffmpeg) opens {@code /proxy/hls/manifest.m3u8?d=...} on a sprox process and plays HLS streams
 * from a real origin (nginx) whose playlists name every resource by its absolute origin URL. Only the direct
 * endpoints' rewriting brings the player back to sprox for each playlist, segment, init section and key: sprox's
 * access log must show every file of the stream, and nginx must have served exactly those files, so nothing went
 * around sprox. The encrypted stream is decoded frame by frame and must match the stream decoded from disk.
 * An API password is configured and only the entry URL carries it: every later request is authorised by the
 * signature sprox wrote into the playlist it came from.
 */
class DirectHlsIT extends AbsoluteHlsTest {
    private static final Duration PLAY_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> DIRECT_ENDPOINTS = Set.of("/proxy/stream", "/proxy/hls/manifest.m3u8",
            "/proxy/base");
    private static final String PREFIX_LOGGED = "/proxy/base/REDACTED/";

    private int nginxMark;

    @BeforeEach
    void markTheOriginLog() {
        nginxMark = streams.nginx().accessLog().size();
    }

    @Test
    void multiVariantStreamWithSeparateAudioPlaysThroughTheDirectEndpoints() {
        try (SproxProcess sprox = sprox()) {
            play(sprox, streams.multiVariant(), "-map", "0", "-f", "null", "-");
        }
    }

    @Test
    void encryptedStreamDecodesWithTheKeyFetchedThroughSprox() {
        try (SproxProcess sprox = sprox()) {
            Path frames = work.resolve("through-sprox.md5");
            play(sprox, streams.aes128(), "-map", "0", "-f", "framemd5", "-y", frames.toString());
            assertEquals(streams.aes128Frames(), AbsoluteHlsOrigin.frameChecksums(frames));
        }
    }

    private void play(SproxProcess sprox, AbsoluteHls stream, String... output) {
        int sproxMark = sprox.stdout().mark();
        String entry = "http://127.0.0.1:" + sprox.port("public") + "/proxy/hls/manifest.m3u8?d="
                + URLEncoder.encode(originUrl(stream.entry()), StandardCharsets.UTF_8) + "&h_user_agent=sprox-it"
                + "&api_password=" + TestSecrets.API_PASSWORD;
        var args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-v", "error", "-i", entry));
        args.addAll(List.of(output));
        ExternalTool.Finished played = HlsStream.ffmpeg().run(PLAY_TIMEOUT, args.toArray(String[]::new));

        assertEquals(0, played.exitCode(), () -> played + "\nsprox:\n" + sprox.stdout().text());
        Set<String> expected = stream.resources().stream().map(r -> AbsoluteHlsOrigin.PATH + "/" + r)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> origin = Eventually.until(this::originTargets, seen -> seen.size() >= expected.size(),
                "nginx logging every request of the stream");
        assertEquals(expected, new TreeSet<>(origin), "nginx served other files than the stream has");
        for (String target : expected) {
            sprox.stdout().awaitFrom(sproxMark, message("request").and(line -> leadsTo(fetched(line), target)),
                    SproxProcess.TIMEOUT);
        }
        List<String> throughSprox = sprox.stdout().all().stream().skip(sproxMark).filter(message("request"))
                .map(DirectHlsIT::fetched).filter(t -> !t.isEmpty()).toList();
        assertEquals(origin.size(), throughSprox.size(),
                () -> "every origin request came through sprox: origin " + origin + ", sprox " + throughSprox);
    }

    /**
     * Whether what {@link #fetched} read is {@code target}: the origin path itself, or for a signed prefix (whose
     * base is masked in the log) the rest of the path below it.
     */
    private static boolean leadsTo(String fetched, String target) {
        return fetched.startsWith(PREFIX_LOGGED) ? target.endsWith("/" + fetched.substring(PREFIX_LOGGED.length()))
                : fetched.equals(target);
    }

    /**
     * The origin path a sprox access-log line of a direct endpoint fetched (for a signed prefix, the logged path),
     * or "" for other lines.
     */
    private static String fetched(String line) {
        String endpoint = LogLine.string(line, "endpoint").orElse("");
        if (!DIRECT_ENDPOINTS.contains(endpoint)) {
            return "";
        }
        assertTrue(LogLine.number(line, "status").stream().allMatch(s -> s == 200 || s == 206), line);
        String path = LogLine.string(line, "path").orElseThrow();
        if (path.startsWith(PREFIX_LOGGED)) {
            return path;
        }
        String query = path.substring(path.indexOf('?') + 1);
        for (String pair : query.split("&")) {
            if (pair.startsWith("d=")) {
                String destination = URLDecoder.decode(pair.substring(2), StandardCharsets.UTF_8);
                return destination.substring(destination.indexOf(AbsoluteHlsOrigin.PATH + "/"));
            }
        }
        throw new AssertionError("no d in " + line);
    }

    private SproxProcess sprox() {
        Configs.routes(config, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [direct]}
                logging: { level: info, access_log: true }
                direct_stream:
                  allowlist:
                    - {domain: "127.0.0.1", schemes: [http], paths: ["%s/**"], ports: [%d]}
                  allow_cidrs: ["127.0.0.1/32"]
                """.formatted(AbsoluteHlsOrigin.PATH, streams.nginx().port()));
        return SproxProcess.start(Map.of("SPROX_DIRECT_API_PASSWORD", TestSecrets.API_PASSWORD), "run", "-c",
                config.toString()).awaitStarted();
    }

    private static String originUrl(String resource) {
        return "http://127.0.0.1:" + streams.nginx().port() + AbsoluteHlsOrigin.PATH + "/" + resource;
    }

    /** The target of every request nginx logged since this test began. */
    private List<String> originTargets() {
        List<String> all = streams.nginx().accessLog();
        return all.subList(Math.min(nginxMark, all.size()), all.size()).stream().map(line -> line.split(" ")[1])
                .toList();
    }

}
