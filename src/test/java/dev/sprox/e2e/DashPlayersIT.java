package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.dash.HlsConverter;
import dev.sprox.dash.Mpd;
import dev.sprox.dash.MpdLimits;
import dev.sprox.dash.MpdReader;
import dev.sprox.hls.PlaylistUri;
import dev.sprox.security.TestSecrets;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real players through a real sprox process, against ffmpeg's DASH packaging served by nginx, whose log shows
 * that every request the player made came through sprox (in route mode sprox's {@code Via}; the direct API adds
 * none, so there the {@code h_user_agent} its signed URL carries, which no player sends):
 * <ul>
 *   <li>Shaka Player in headless Chromium plays the MPD sprox rewrote (the origin names itself in an absolute
 *       MPD-level BaseURL, which without rewriting would lead the player around sprox) to its end;</li>
 *   <li>hls.js in headless Chromium plays, to its end, the HLS that {@link HlsConverter} made of that MPD
 *       (multivariant with an audio rendition, fMP4 media playlists naming the origin's segments absolutely),
 *       rewritten by the same route;</li>
 *   <li>hls.js in headless Chromium plays the HLS the direct endpoint {@code /proxy/mpd/manifest.m3u8} makes of the
 *       MPD, from a URL signed by {@code /admin/sign-url}, and of an on-demand MPD (SegmentBase, one file read by
 *       range);</li>
 *   <li>Shaka Player in headless Chromium plays the MPD the direct endpoint {@code /proxy/mpd/manifest.mpd}
 *       rewrote (its templates completed under a signed prefix) to its end;</li>
 *   <li>ffmpeg plays a live DASH stream (an ffmpeg packager writing a dynamic MPD with a sliding window) through
 *       sprox for 60 s of media, as fast as the live edge allows: once the MPD through the route (its DASH
 *       demuxer), once the HLS {@code /proxy/mpd/manifest.m3u8} makes of it on every reload (its HLS demuxer),
 *       while hls.js in headless Chromium watches that HLS for 60 s of media too;</li>
 *   <li>hls.js in headless Chromium watches the same live MPD for 60 s of media as the HLS a route makes of it
 *       (its decrypting mode, {@code ?sprox_decrypt=hls}, through which clear segments pass as they are);</li>
 *   <li>the rest of issue 15's matrix on {@link DashClips}' relative-URL template and on-demand MPDs and the live
 *       one: Shaka on the rewritten MPD of each (route; on-demand and live also direct), 20 s of media for live;
 *       ffmpeg's DASH demuxer on the route's rewritten on-demand MPD (whole file, it ignores {@code indexRange});
 *       hls.js on the direct HLS of the relative MPD and ffmpeg on the direct HLS of the absolute one.</li>
 * </ul>
 */
class DashPlayersIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String LOCATION = "/media/";
    private static final int LIVE_SECONDS = 60;
    private static final int SHAKA_LIVE_SECONDS = 20;
    private static final String DIRECT_USER_AGENT = "sprox-direct-it";

    @TempDir
    static Path work;
    private static Path site;
    private static NginxOrigin nginx;
    private static SproxProcess sprox;
    private static int port;
    private static Process packager;

    @BeforeAll
    static void packageServeAndProxy() throws Exception {
        site = Files.createDirectories(work.resolve("site"));
        Path vod = Files.createDirectories(site.resolve("vod"));
        ExternalTool.Finished made = HlsStream.ffmpeg().run(TIMEOUT, "-hide_banner", "-v", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6",
                "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-b:v", "300k", "-c:a", "aac", "-b:a", "64k",
                "-f", "dash", "-seg_duration", "2", "-use_template", "1", "-use_timeline", "0",
                vod.resolve("manifest.mpd").toString());
        assertEquals(0, made.exitCode(), () -> "ffmpeg could not make the DASH stream: " + made);
        Files.copy(ClearKeyPlayer.SCRIPTS.resolve("player.html"), site.resolve("player.html"));
        Files.copy(ClearKeyPlayer.SCRIPTS.resolve("hls-player.html"), site.resolve("hls-player.html"));
        Files.copy(ClearKeyPlayer.shakaPlayerScript(), site.resolve("shaka-player.compiled.js"));
        Files.copy(ClearKeyPlayer.hlsJsScript(), site.resolve("hls.min.js"));
        nginx = NginxOrigin.serve(Files.createDirectories(work.resolve("nginx")), LOCATION, site);
        String originBase = "http://127.0.0.1:" + nginx.port() + LOCATION;
        Path mpdFile = vod.resolve("manifest.mpd");
        String text = Files.readString(mpdFile);
        assertTrue(text.contains("\t<Period "), text);
        Files.writeString(mpdFile, text.replace("\t<Period ", "\t<BaseURL>" + originBase + "vod/</BaseURL>\n\t<Period "));
        convertToHls(vod, URI.create(originBase + "vod/manifest.mpd"));
        DashClips.write(Files.createDirectories(site.resolve("clips")));

        port = Configs.freePort();
        Path config = Files.createDirectories(work.resolve("sprox"));
        Configs.routes(config, """
                listeners:
                  - {id: public, host: 127.0.0.1, port: %1$d, serve: [routes, direct, ops, admin]}
                direct_stream:
                  allowlist:
                    - {domain: "127.0.0.1", schemes: [http], paths: ["%3$s**"], ports: [%4$d]}
                  allow_cidrs: ["127.0.0.1/32"]
                drm:
                  keys:
                    - {kid: 00000000000000000000000000000001, key: 00000000000000000000000000000001}
                routes:
                  - id: media
                    listeners: [public]
                    host_patterns: ["localhost"]
                    upstream: {origin: "%2$s"}
                    hls: {enabled: true, rewrite_playlist_urls: true, base_url: "http://localhost:%1$d/"}
                    dash: {rewrite_manifest_urls: true, base_url: "http://localhost:%1$d/"}
                    drm: {decrypt: true}
                """.formatted(port, originBase.substring(0, originBase.length() - 1), LOCATION, nginx.port()));
        sprox = SproxProcess.start(Map.of("SPROX_DIRECT_API_PASSWORD", TestSecrets.API_PASSWORD), "run", "-c",
                config.toString()).awaitStarted();
    }

    /** The HLS of the MPD, beside it on the origin: what a DASH → HLS endpoint answers, as files. */
    private static void convertToHls(Path dir, URI mpdUrl) throws Exception {
        Mpd mpd = MpdReader.read(Files.readString(dir.resolve("manifest.mpd")), mpdUrl, MpdLimits.defaults());
        Files.writeString(dir.resolve("master.m3u8"), HlsConverter.multivariant(mpd, r -> "rep-" + r.id() + ".m3u8"));
        for (Mpd.AdaptationSet set : mpd.periods().getFirst().adaptationSets()) {
            for (Mpd.Representation representation : set.representations()) {
                Files.writeString(dir.resolve("rep-" + representation.id() + ".m3u8"),
                        HlsConverter.mediaPlaylist(mpd, representation.id(), Instant.EPOCH, Map.of(),
                                PlaylistUri::absolute, MpdLimits.defaults()));
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (packager != null) {
            packager.destroy();
            if (!packager.waitFor(10, TimeUnit.SECONDS)) {
                packager.destroyForcibly();
            }
        }
        if (sprox != null) {
            sprox.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void shakaPlaysTheRewrittenMpdToTheEndWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        ClearKeyPlayer.Playback playback = playPage("player.html?manifest=vod/manifest.mpd&until=5.5");
        assertTrue(playback.playing(), playback::json);
        Set<String> fetched = fetchedThroughSproxOnly(mark, "vod/chunk-stream1-00003.m4s");
        assertTrue(fetched.containsAll(List.of("vod/manifest.mpd", "vod/init-stream0.m4s", "vod/init-stream1.m4s",
                "vod/chunk-stream0-00003.m4s", "vod/chunk-stream1-00003.m4s")), fetched::toString);
    }

    /** Relative URLs (ffmpeg's MPD as it writes it): the route's rewriting keeps them on sprox too. */
    @Test
    void shakaPlaysTheRewrittenMpdOfRelativeUrlsToTheEndWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        ClearKeyPlayer.Playback playback = playPage("player.html?manifest=clips/template/manifest.mpd&until=5.5");
        assertTrue(playback.playing(), playback::json);
        Set<String> fetched = fetchedThroughSproxOnly(mark, "clips/template/chunk-stream1-00003.m4s");
        assertTrue(fetched.containsAll(List.of("clips/template/manifest.mpd", "clips/template/init-stream0.m4s",
                "clips/template/init-stream1.m4s", "clips/template/chunk-stream0-00003.m4s",
                "clips/template/chunk-stream1-00003.m4s")), fetched::toString);
    }

    /** SegmentBase: Shaka reads the initialization, the {@code sidx} and the subsegments of one file by range. */
    @Test
    void shakaPlaysTheRewrittenOnDemandMpdByRangeWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        int accessMark = nginx.accessLog().size();
        ClearKeyPlayer.Playback playback = playPage("player.html?manifest=clips/ondemand/manifest.mpd&until=5");
        assertTrue(playback.playing(), playback::json);
        List<NginxOrigin.Request> seen = Eventually.until(nginx::viaLog, log -> log.subList(mark, log.size()).stream()
                .filter(r -> r.target().startsWith(LOCATION + "clips/ondemand/video.mp4")).count() >= 2,
                "nginx logging the index and the subsegments");
        List<NginxOrigin.Request> play = seen.subList(mark, seen.size());
        assertEquals(List.of(), play.stream().filter(r -> !r.cameThroughSprox()).toList(),
                "requests that reached the origin without sprox");
        assertTrue(play.stream().anyMatch(r -> r.target().startsWith(LOCATION + "clips/ondemand/manifest.mpd")),
                play::toString);
        List<String> access = nginx.accessLog();
        List<String> ranges = access.subList(accessMark, access.size()).stream()
                .filter(l -> l.startsWith("GET " + LOCATION + "clips/ondemand/video.mp4 ")).toList();
        assertTrue(ranges.size() >= 2 && ranges.stream().allMatch(l -> l.contains(" 206 ")), ranges::toString);
    }

    /**
     * ffmpeg's DASH demuxer (5.1) reads a SegmentBase Representation as one segment, its BaseURL, ignoring the
     * {@code indexRange}: it fetches the whole file, not by range. It plays the route's rewritten MPD so to its end.
     */
    @Test
    void ffmpegPlaysTheRewrittenOnDemandMpdToTheEndWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        ExternalTool.Finished played = HlsStream.ffmpeg().run(TIMEOUT, "-hide_banner", "-nostdin", "-v", "error",
                "-progress", "pipe:1", "-i", "http://localhost:" + port + "/clips/ondemand/manifest.mpd", "-map", "0",
                "-c", "copy", "-f", "null", "-");
        assertEquals(0, played.exitCode(), played::toString);
        assertTrue(mediaSeconds(played) >= 5.9, played::toString);
        Set<String> fetched = fetchedThroughSproxOnly(mark, "clips/ondemand/video.mp4");
        assertTrue(fetched.containsAll(List.of("clips/ondemand/manifest.mpd", "clips/ondemand/video.mp4")),
                fetched::toString);
    }

    /** The live MPD through the route, rewritten on every reload; 20 s of media are enough to see Shaka keep up. */
    @Test
    void shakaPlaysTheRewrittenLiveMpdWithEveryRequestThroughSprox() {
        startLivePackager();
        int mark = nginx.viaLog().size();
        ClearKeyPlayer.Playback playback = playPage("player.html?manifest=live/manifest.mpd&live=" + SHAKA_LIVE_SECONDS);
        assertTrue(playback.playing(), playback::json);
        assertTrue(playback.json().contains("\"live\":true"), playback::json);
        double played = number(playback.json(), "played");
        double wallSeconds = number(playback.json(), "wallSeconds");
        assertTrue(played >= SHAKA_LIVE_SECONDS, playback::json);
        assertTrue(wallSeconds <= SHAKA_LIVE_SECONDS + 20, () -> "stalled: " + playback.json());
        System.out.printf("Shaka, live through the route's rewritten MPD: %.1f s of media in %.1f s of wall time%n",
                played, wallSeconds);
        Set<String> fetched = fetchedThroughSproxOnly(mark, "live/manifest.mpd");
        long segments = fetched.stream().filter(f -> f.startsWith("live/chunk-stream0-")).count();
        assertTrue(segments >= segmentsToPlayFor(wallSeconds), () -> segments + " video segments: " + fetched);
    }

    @Test
    void hlsJsPlaysTheConvertedHlsToTheEndWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        ClearKeyPlayer.Playback playback = playPage("hls-player.html?manifest=vod/master.m3u8&until=5.5");
        assertTrue(playback.playing(), playback::json);
        assertTrue(playback.json().contains("\"audioTracks\":1"), playback::json);
        Set<String> fetched = fetchedThroughSproxOnly(mark, "vod/chunk-stream1-00003.m4s");
        assertTrue(fetched.containsAll(List.of("vod/master.m3u8", "vod/rep-0.m3u8", "vod/rep-1.m3u8",
                "vod/init-stream0.m4s", "vod/init-stream1.m4s", "vod/chunk-stream0-00003.m4s",
                "vod/chunk-stream1-00003.m4s")), fetched::toString);
    }

    @Test
    void hlsJsPlaysTheDirectEndpointsHlsOfTheMpdWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        String entry = signedDirect("mpd_hls", "vod/manifest.mpd");
        ClearKeyPlayer.Playback playback = playPage("hls-player.html?manifest="
                + URLEncoder.encode(entry, StandardCharsets.UTF_8) + "&until=5.5");
        assertTrue(playback.playing(), playback::json);
        assertTrue(playback.json().contains("\"audioTracks\":1"), playback::json);
        Set<String> fetched = fetchedOnlyBy(mark, "vod/chunk-stream1-00003.m4s",
                r -> r.target().startsWith(LOCATION + "vod/") ? cameThroughDirect(r) : r.cameThroughSprox());
        assertTrue(fetched.containsAll(List.of("vod/manifest.mpd", "vod/init-stream0.m4s", "vod/init-stream1.m4s",
                "vod/chunk-stream0-00003.m4s", "vod/chunk-stream1-00003.m4s")), fetched::toString);
    }

    @Test
    void hlsJsPlaysTheDirectEndpointsHlsOfAnMpdOfRelativeUrlsWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        String entry = signedDirect("mpd_hls", "clips/template/manifest.mpd");
        ClearKeyPlayer.Playback playback = playPage("hls-player.html?manifest="
                + URLEncoder.encode(entry, StandardCharsets.UTF_8) + "&until=5.5");
        assertTrue(playback.playing(), playback::json);
        assertTrue(playback.json().contains("\"audioTracks\":1"), playback::json);
        Set<String> fetched = fetchedOnlyBy(mark, "clips/template/chunk-stream1-00003.m4s",
                r -> r.target().startsWith(LOCATION + "clips/") ? cameThroughDirect(r) : r.cameThroughSprox());
        assertTrue(fetched.containsAll(List.of("clips/template/manifest.mpd", "clips/template/init-stream0.m4s",
                "clips/template/init-stream1.m4s", "clips/template/chunk-stream0-00003.m4s",
                "clips/template/chunk-stream1-00003.m4s")), fetched::toString);
    }

    /** ffmpeg's HLS demuxer on the direct endpoint's HLS of the MPD whose BaseURL names the origin. */
    @Test
    void ffmpegPlaysTheDirectEndpointsHlsOfTheMpdToTheEndWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        String entry = signedDirect("mpd_hls", "vod/manifest.mpd");
        ExternalTool.Finished played = HlsStream.ffmpeg().run(TIMEOUT, "-hide_banner", "-nostdin", "-v", "error",
                "-progress", "pipe:1", "-i", entry, "-map", "0", "-c", "copy", "-f", "null", "-");
        assertEquals(0, played.exitCode(), played::toString);
        assertTrue(mediaSeconds(played) >= 5.9, played::toString);
        Set<String> fetched = fetchedOnlyBy(mark, "vod/chunk-stream1-00003.m4s",
                r -> r.target().startsWith(LOCATION + "vod/") ? cameThroughDirect(r) : r.cameThroughSprox());
        assertTrue(fetched.containsAll(List.of("vod/manifest.mpd", "vod/init-stream0.m4s", "vod/init-stream1.m4s",
                "vod/chunk-stream0-00001.m4s", "vod/chunk-stream0-00003.m4s", "vod/chunk-stream1-00001.m4s",
                "vod/chunk-stream1-00003.m4s")), fetched::toString);
    }

    @Test
    void shakaPlaysTheDirectEndpointsRewrittenMpdToTheEndWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        String entry = signedDirect("mpd", "vod/manifest.mpd");
        ClearKeyPlayer.Playback playback = playPage("player.html?manifest="
                + URLEncoder.encode(entry, StandardCharsets.UTF_8) + "&until=5.5");
        assertTrue(playback.playing(), playback::json);
        Set<String> fetched = fetchedOnlyBy(mark, "vod/chunk-stream1-00003.m4s",
                r -> r.target().startsWith(LOCATION + "vod/") ? cameThroughDirect(r) : r.cameThroughSprox());
        assertTrue(fetched.containsAll(List.of("vod/manifest.mpd", "vod/init-stream0.m4s", "vod/init-stream1.m4s",
                "vod/chunk-stream0-00003.m4s", "vod/chunk-stream1-00003.m4s")), fetched::toString);
    }

    /**
     * The direct endpoint's rewritten MPD of a SegmentBase file: the Representation's relative BaseURL resolves under
     * the signed prefix sprox adds above it, and Shaka reads the file by range there.
     */
    @Test
    void shakaPlaysTheDirectEndpointsRewrittenOnDemandMpdByRangeWithEveryRequestThroughSprox() {
        int accessMark = nginx.accessLog().size();
        int mark = nginx.viaLog().size();
        String entry = signedDirect("mpd", "clips/ondemand/manifest.mpd");
        ClearKeyPlayer.Playback playback = playPage("player.html?manifest="
                + URLEncoder.encode(entry, StandardCharsets.UTF_8) + "&until=5");
        assertTrue(playback.playing(), playback::json);
        List<NginxOrigin.Request> seen = Eventually.until(nginx::viaLog, log -> log.subList(mark, log.size()).stream()
                .filter(r -> r.target().startsWith(LOCATION + "clips/ondemand/video.mp4")).count() >= 2,
                "nginx logging the index and the subsegments");
        List<NginxOrigin.Request> play = seen.subList(mark, seen.size());
        assertEquals(List.of(), play.stream().filter(r -> r.target().startsWith(LOCATION + "clips/")
                ? !cameThroughDirect(r) : !r.cameThroughSprox()).toList(), "requests that reached the origin without sprox");
        List<String> access = nginx.accessLog();
        List<String> ranges = access.subList(accessMark, access.size()).stream()
                .filter(l -> l.startsWith("GET " + LOCATION + "clips/ondemand/video.mp4 ")).toList();
        assertTrue(ranges.size() >= 2 && ranges.stream().allMatch(l -> l.contains(" 206 ")), ranges::toString);
    }

    /** The live MPD from the direct endpoint, rewritten on every reload, its templates under signed prefixes. */
    @Test
    void shakaPlaysTheDirectEndpointsRewrittenLiveMpdWithEveryRequestThroughSprox() {
        startLivePackager();
        int mark = nginx.viaLog().size();
        String entry = signedDirect("mpd", "live/manifest.mpd");
        ClearKeyPlayer.Playback playback = playPage("player.html?manifest="
                + URLEncoder.encode(entry, StandardCharsets.UTF_8) + "&live=" + SHAKA_LIVE_SECONDS);
        assertTrue(playback.playing(), playback::json);
        assertTrue(playback.json().contains("\"live\":true"), playback::json);
        double played = number(playback.json(), "played");
        double wallSeconds = number(playback.json(), "wallSeconds");
        assertTrue(played >= SHAKA_LIVE_SECONDS, playback::json);
        assertTrue(wallSeconds <= SHAKA_LIVE_SECONDS + 20, () -> "stalled: " + playback.json());
        System.out.printf("Shaka, live through /proxy/mpd/manifest.mpd: %.1f s of media in %.1f s of wall time%n",
                played, wallSeconds);
        Set<String> fetched = fetchedOnlyBy(mark, "live/manifest.mpd",
                r -> r.target().startsWith(LOCATION + "live/") ? cameThroughDirect(r) : r.cameThroughSprox());
        long segments = fetched.stream().filter(f -> f.startsWith("live/chunk-stream0-")).count();
        assertTrue(segments >= segmentsToPlayFor(wallSeconds), () -> segments + " video segments: " + fetched);
    }

    /** SegmentBase: sprox reads the {@code sidx} by range, hls.js fetches the initialization and subsegments so. */
    @Test
    void hlsJsPlaysTheDirectEndpointsHlsOfAnOnDemandFileByRangeWithEveryRequestThroughSprox() {
        int mark = nginx.viaLog().size();
        String entry = signedDirect("mpd_hls", "clips/ondemand/manifest.mpd");
        ClearKeyPlayer.Playback playback = playPage("hls-player.html?manifest="
                + URLEncoder.encode(entry, StandardCharsets.UTF_8) + "&until=5");
        assertTrue(playback.playing(), playback::json);
        List<NginxOrigin.Request> seen = Eventually.until(nginx::viaLog, log -> log.subList(mark, log.size()).stream()
                .filter(r -> r.target().startsWith(LOCATION + "clips/ondemand/video.mp4")).count() >= 4,
                "nginx logging the index, the initialization and the subsegments");
        List<NginxOrigin.Request> play = seen.subList(mark, seen.size());
        assertEquals(List.of(), play.stream().filter(r -> r.target().startsWith(LOCATION + "clips/")
                ? !cameThroughDirect(r) : !r.cameThroughSprox()).toList(), "requests that reached the origin without sprox");
    }

    @Test
    void ffmpegPlaysALiveDashStreamThroughSproxForSixtySecondsWithoutStalling() {
        playLiveForSixtySeconds("http://localhost:" + port + "/live/manifest.mpd",
                NginxOrigin.Request::cameThroughSprox);
    }

    /**
     * ffmpeg reads HLS here (its DASH demuxer is not involved) and hls.js watches the same for 60 s of media at the
     * same time: sprox converts the live MPD on every reload of either.
     */
    @Test
    void ffmpegAndHlsJsPlayTheDirectEndpointsHlsOfALiveMpdForSixtySecondsWithoutStalling() {
        startLivePackager();
        String entry = signedDirect("mpd_hls", "live/manifest.mpd");
        CompletableFuture<ClearKeyPlayer.Playback> browser = CompletableFuture.supplyAsync(() -> playPage(
                "hls-player.html?manifest=" + URLEncoder.encode(entry, StandardCharsets.UTF_8) + "&live="
                        + LIVE_SECONDS));
        playLiveForSixtySeconds(entry, r -> r.target().startsWith(LOCATION + "live/") ? cameThroughDirect(r)
                : r.cameThroughSprox());
        ClearKeyPlayer.Playback playback = browser.join();
        assertTrue(playback.playing(), playback::json);
        double played = number(playback.json(), "played");
        double wallSeconds = number(playback.json(), "wallSeconds");
        assertTrue(played >= LIVE_SECONDS, playback::json);
        assertTrue(wallSeconds <= LIVE_SECONDS + 20, () -> "stalled: " + playback.json());
        System.out.printf("hls.js, live through %s: %.1f s of media in %.1f s of wall time%n",
                "/proxy/mpd/manifest.m3u8", played, wallSeconds);
    }

    /**
     * A route converts DASH to HLS in its decrypting mode ({@code drm.decrypt}, {@code ?sprox_decrypt=hls}); clear
     * segments pass it unchanged. hls.js watches the live MPD so for 60 s of media, every request through the route.
     */
    @Test
    void hlsJsPlaysARoutesHlsOfALiveMpdForSixtySecondsWithoutStalling() {
        startLivePackager();
        int mark = nginx.viaLog().size();
        ClearKeyPlayer.Playback playback = playPage("hls-player.html?manifest="
                + URLEncoder.encode("live/manifest.mpd?sprox_decrypt=hls", StandardCharsets.UTF_8) + "&live="
                + LIVE_SECONDS);
        assertTrue(playback.playing(), playback::json);
        double played = number(playback.json(), "played");
        double wallSeconds = number(playback.json(), "wallSeconds");
        assertTrue(played >= LIVE_SECONDS, playback::json);
        assertTrue(wallSeconds <= LIVE_SECONDS + 20, () -> "stalled: " + playback.json());
        System.out.printf("hls.js, live through the route's HLS: %.1f s of media in %.1f s of wall time%n", played,
                wallSeconds);
        Set<String> fetched = fetchedThroughSproxOnly(mark, "live/manifest.mpd");
        long segments = fetched.stream().filter(f -> f.startsWith("live/chunk-stream0-")).count();
        assertTrue(segments >= LIVE_SECONDS / 2 - 1, () -> segments + " video segments: " + fetched);
    }

    /**
     * The 2 s video segments a live player must have fetched to play for {@code wallSeconds}, less the one it was
     * in. Not derived from the media it played: Shaka can jump forward to stay inside the live window (once, 20.1 s
     * played in 12.5 s with eight segments fetched).
     */
    private static long segmentsToPlayFor(double wallSeconds) {
        return (long) (wallSeconds / 2) - 1;
    }

    private static double number(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\":([0-9.]+)").matcher(json);
        assertTrue(value.find(), () -> name + " in " + json);
        return Double.parseDouble(value.group(1));
    }

    private static void playLiveForSixtySeconds(String url, Predicate<NginxOrigin.Request> throughSprox) {
        startLivePackager();
        int mark = nginx.viaLog().size();
        long started = System.nanoTime();
        ExternalTool.Finished played = HlsStream.ffmpeg().run(Duration.ofSeconds(LIVE_SECONDS * 2L),
                "-hide_banner", "-nostdin", "-v", "error", "-progress", "pipe:1", "-stats_period", "5",
                "-i", url, "-map", "0", "-c", "copy", "-t", String.valueOf(LIVE_SECONDS), "-f", "null", "-");
        double wallSeconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, played.exitCode(), played::toString);
        double mediaSeconds = mediaSeconds(played);
        // The player can be at most the window (5 segments of 2 s) ahead of real time, so 60 s of media take
        // 50 s of wall time or more; a stall would show as media time falling behind wall time.
        assertTrue(mediaSeconds >= LIVE_SECONDS - 1, () -> "played " + mediaSeconds + " s\n" + played);
        assertTrue(wallSeconds >= LIVE_SECONDS - 12, () -> "not live: " + wallSeconds + " s of wall time");
        assertTrue(wallSeconds <= LIVE_SECONDS + 20, () -> "stalled: " + mediaSeconds + " s of media took "
                + wallSeconds + " s");
        System.out.printf("live through sprox (%s): %.1f s of media in %.1f s of wall time%n",
                url.replaceFirst("\\?.*", ""), mediaSeconds, wallSeconds);
        Set<String> fetched = fetchedOnlyBy(mark, "live/manifest.mpd", throughSprox);
        long segments = fetched.stream().filter(f -> f.startsWith("live/chunk-stream0-")).count();
        assertTrue(segments >= LIVE_SECONDS / 2 - 1, () -> segments + " video segments: " + fetched);
    }

    /** The furthest media time ffmpeg's {@code -progress} output reported, in seconds. */
    private static double mediaSeconds(ExternalTool.Finished played) {
        return played.output().lines().filter(l -> l.matches("out_time_us=\\d+"))
                .mapToLong(l -> Long.parseLong(l.substring("out_time_us=".length()).strip()))
                .max().orElse(0) / 1e6;
    }

    /**
     * Starts, once for the class, an ffmpeg packager writing a dynamic MPD with a sliding window in real time, long
     * enough for every live test (three watch 60 s, two 20 s, VOD tests run between them); waits for its third segment.
     */
    private static synchronized void startLivePackager() {
        if (packager != null) {
            return;
        }
        try {
            Path live = Files.createDirectories(site.resolve("live"));
            packager = HlsStream.ffmpeg().start(ProcessBuilder.Redirect.appendTo(
                            work.resolve("live-packager.log").toFile()), "-hide_banner", "-nostdin", "-v", "error", "-re",
                    "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(LIVE_SECONDS * 6),
                    "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                    "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-b:v", "300k", "-c:a", "aac", "-b:a", "64k",
                    "-f", "dash", "-seg_duration", "2", "-streaming", "1", "-window_size", "5",
                    "-extra_window_size", "3", "-use_template", "1", "-use_timeline", "1",
                    live.resolve("manifest.mpd").toString());
            Eventually.within(Duration.ofSeconds(30), () -> Files.exists(live.resolve("chunk-stream0-00003.m4s")),
                    () -> "the live packager writing its third segment");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A signed URL of sprox's direct {@code endpoint} ({@code mpd_hls}: {@code /proxy/mpd/manifest.m3u8}) for the MPD
     * at {@code mpd} on the origin, minted by {@code /admin/sign-url} as an integrator's backend would, so the
     * password never travels in a player's URL. Every request sprox makes for it, segments included, carries the
     * {@code User-Agent} it names, which no player sends.
     */
    private static String signedDirect(String endpoint, String mpd) {
        String origin = "http://127.0.0.1:" + nginx.port() + LOCATION + mpd;
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/admin/sign-url?d="
                        + URLEncoder.encode(origin, StandardCharsets.UTF_8) + "&h_user_agent=" + DIRECT_USER_AGENT
                        + "&endpoint=" + endpoint))
                .header("X-Sprox-Api-Password", TestSecrets.API_PASSWORD).timeout(TIMEOUT).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> signed = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, signed.statusCode(), signed::body);
            Matcher url = Pattern.compile("\"url\":\"([^\"]+)\"").matcher(signed.body());
            assertTrue(url.find(), signed::body);
            return "http://localhost:" + port + url.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The direct API adds no {@code Via}: what marks its requests is the {@code h_user_agent} override. */
    private static boolean cameThroughDirect(NginxOrigin.Request request) {
        return request.userAgent().equals(DIRECT_USER_AGENT);
    }

    private static ClearKeyPlayer.Playback playPage(String pathAndQuery) {
        try {
            return ClearKeyPlayer.play("http://localhost:" + port + "/" + pathAndQuery,
                    Files.createTempDirectory(work, "chromium-profile"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * What the origin served since {@code mark}, as paths under the site, once {@code last} is among them; fails
     * when any of those requests did not come through sprox.
     */
    private static Set<String> fetchedThroughSproxOnly(int mark, String last) {
        return fetchedOnlyBy(mark, last, NginxOrigin.Request::cameThroughSprox);
    }

    /** Like {@link #fetchedThroughSproxOnly}, with {@code throughSprox} telling what came through sprox. */
    private static Set<String> fetchedOnlyBy(int mark, String last, Predicate<NginxOrigin.Request> throughSprox) {
        String prefix = LOCATION;
        List<NginxOrigin.Request> all = Eventually.until(nginx::viaLog, log -> log.subList(mark, log.size()).stream()
                .anyMatch(r -> r.target().startsWith(prefix + last)), "nginx logging " + last);
        List<NginxOrigin.Request> seen = all.subList(mark, all.size());
        assertEquals(List.of(), seen.stream().filter(throughSprox.negate()).toList(),
                "requests that reached the origin without sprox");
        return seen.stream().map(r -> r.target().substring(prefix.length()).replaceFirst("\\?.*", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
