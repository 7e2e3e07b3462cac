package dev.sprox.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.dash.HlsConverter;
import dev.sprox.dash.IndexRequest;
import dev.sprox.dash.Mpd;
import dev.sprox.dash.MpdException;
import dev.sprox.dash.MpdLimits;
import dev.sprox.dash.MpdReader;
import dev.sprox.dash.SegmentIndexBox;
import dev.sprox.hls.PlaylistUri;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DASH → HLS conversion played by a real player: ffmpeg packages DASH (a {@code $Number$} SegmentTemplate,
 * and an on-demand single file whose {@code sidx} a SegmentBase points at), {@link HlsConverter} turns each MPD
 * into a multivariant and media playlists beside the segments, nginx serves them, and ffmpeg's HLS demuxer plays
 * every rendition to the end, fetching every segment the playlists list (byte ranges of one file included).
 */
class DashToHlsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String LOCATION = "/media/";

    @TempDir
    static Path work;
    private static Path root;
    private static NginxOrigin nginx;

    @BeforeAll
    static void packageAndServe() throws IOException {
        root = Files.createDirectories(work.resolve("media"));
        DashClips.write(root);
        nginx = NginxOrigin.serve(Files.createDirectories(work.resolve("nginx")), LOCATION, root);
    }

    @AfterAll
    static void stopTheOrigin() {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void ffmpegPlaysTheConvertedTemplateStream() throws Exception {
        Path dir = root.resolve("template");
        Mpd mpd = read(dir, Files.readString(dir.resolve("manifest.mpd")));
        List<String> requested = convertAndPlay(dir, mpd, Map.of());
        for (String file : List.of("init-stream0.m4s", "init-stream1.m4s", "chunk-stream0-00003.m4s",
                "chunk-stream1-00003.m4s")) {
            assertTrue(requested.stream().anyMatch(r -> r.startsWith("GET " + LOCATION + "template/" + file + " ")),
                    () -> file + " not fetched: " + requested);
        }
    }

    @Test
    void ffmpegPlaysTheConvertedOnDemandFileByRange() throws Exception {
        Path dir = root.resolve("ondemand");
        byte[] file = Files.readAllBytes(dir.resolve("video.mp4"));
        Mpd mpd = read(dir, Files.readString(dir.resolve("manifest.mpd")));
        var indexes = new HashMap<IndexRequest, List<SegmentIndexBox.Subsegment>>();
        for (IndexRequest request : HlsConverter.indexRequests(mpd, "v")) {
            byte[] range = Arrays.copyOfRange(file, (int) request.range().first(), (int) request.range().last() + 1);
            indexes.put(request, SegmentIndexBox.parse(range, request.range().first()));
        }
        assertEquals(3, indexes.values().iterator().next().size(), indexes::toString);
        List<String> requested = convertAndPlay(dir, mpd, indexes);
        assertTrue(requested.stream().filter(r -> r.startsWith("GET " + LOCATION + "ondemand/video.mp4 206 "))
                .count() >= 4, requested::toString); // the initialization and three subsegments, by range
    }

    private static Mpd read(Path dir, String mpd) throws MpdException {
        URI url = URI.create("http://127.0.0.1:" + nginx.port() + LOCATION + root.relativize(dir) + "/manifest.mpd");
        return MpdReader.read(mpd, url, MpdLimits.defaults());
    }

    /** Writes the HLS next to the segments, plays it whole, returns the origin's log of the play. */
    private static List<String> convertAndPlay(Path dir, Mpd mpd,
                                               Map<IndexRequest, List<SegmentIndexBox.Subsegment>> indexes)
            throws Exception {
        Files.writeString(dir.resolve("master.m3u8"), HlsConverter.multivariant(mpd, r -> "rep-" + r.id() + ".m3u8"));
        for (Mpd.AdaptationSet set : mpd.periods().getFirst().adaptationSets()) {
            for (Mpd.Representation representation : set.representations()) {
                Files.writeString(dir.resolve("rep-" + representation.id() + ".m3u8"),
                        HlsConverter.mediaPlaylist(mpd, representation.id(), Instant.EPOCH, indexes,
                                PlaylistUri::absolute, MpdLimits.defaults()));
            }
        }
        int mark = nginx.accessLog().size();
        String url = "http://127.0.0.1:" + nginx.port() + LOCATION + root.relativize(dir) + "/master.m3u8";
        ExternalTool.Finished played = HlsStream.ffmpeg().run(TIMEOUT, "-hide_banner", "-nostdin", "-v", "error",
                "-i", url, "-map", "0", "-c", "copy", "-f", "null", "-");
        assertEquals(0, played.exitCode(), played::toString);
        List<String> all = Eventually.until(nginx::accessLog, log -> log.size() > mark + 3, "nginx logging the play");
        List<String> requested = all.subList(mark, all.size());
        assertTrue(requested.stream().noneMatch(r -> r.contains(" 404 ")), requested::toString);
        return requested;
    }
}
