package dev.sprox.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small multi-variant HLS stream made with ffmpeg: two video renditions sharing one audio group, 2 s
 * segments of test pattern and tone. Playlists use relative URIs (ffmpeg's default), so a player that
 * fetched the master playlist through sprox fetches everything else through sprox too.
 */
record HlsStream(Path root) {
    static final String MASTER = "master.m3u8";
    private static final Duration FFMPEG_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]+)\"");

    static ExternalTool ffmpeg() {
        return ExternalTool.require("ffmpeg", "ffmpeg");
    }

    static HlsStream generate(Path root) {
        ExternalTool.Finished made = ffmpeg().run(FFMPEG_TIMEOUT, "-hide_banner", "-v", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "6",
                "-map", "0:v", "-map", "0:v", "-map", "1:a",
                // A key frame every 2 s, so every segment is exactly one -hls_time long.
                "-c:v", "libx264", "-preset", "ultrafast", "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-filter:v:1", "scale=160:120", "-b:v:0", "400k", "-b:v:1", "150k",
                "-c:a", "aac", "-b:a", "64k",
                "-f", "hls", "-hls_time", "2", "-hls_playlist_type", "vod",
                "-hls_segment_filename", root.resolve("stream_%v/seg_%03d.ts").toString(),
                "-var_stream_map", "v:0,agroup:aud v:1,agroup:aud a:0,agroup:aud,default:yes",
                "-master_pl_name", MASTER,
                root.resolve("stream_%v/index.m3u8").toString());
        if (made.exitCode() != 0) {
            throw new AssertionError("ffmpeg could not make the HLS stream: " + made);
        }
        return new HlsStream(root);
    }

    /**
     * Every file a player needs, as paths relative to the root: the master playlist, each media playlist it
     * names (variants and audio renditions) and each segment those name. Read from the playlists on disk.
     */
    List<String> resources() {
        var all = new LinkedHashSet<String>();
        all.add(MASTER);
        for (String playlist : references(MASTER)) {
            all.add(playlist);
            all.addAll(references(playlist));
        }
        return List.copyOf(all);
    }

    /** The segments, i.e. everything but playlists. */
    List<String> segments() {
        return resources().stream().filter(p -> !p.endsWith(".m3u8")).toList();
    }

    long size(String resource) {
        try {
            return Files.size(root.resolve(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URIs a playlist names (URI lines and URI="..." attributes), resolved against its own directory. */
    private Set<String> references(String playlist) {
        List<String> lines;
        try {
            lines = Files.readAllLines(root.resolve(playlist));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var uris = new ArrayList<String>();
        for (String line : lines) {
            String text = line.strip();
            if (text.startsWith("#")) {
                Matcher m = URI_ATTRIBUTE.matcher(text);
                if (m.find()) {
                    uris.add(m.group(1));
                }
            } else if (!text.isEmpty()) {
                uris.add(text);
            }
        }
        String base = playlist.contains("/") ? playlist.substring(0, playlist.lastIndexOf('/') + 1) : "";
        var resolved = new LinkedHashSet<String>();
        for (String uri : uris) {
            if (uri.contains("://") || uri.startsWith("/")) {
                throw new AssertionError(playlist + " names " + uri + "; the tests need relative URIs");
            }
            resolved.add(base + uri);
        }
        return resolved;
    }
}
