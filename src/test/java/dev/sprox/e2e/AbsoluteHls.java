package dev.sprox.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Small HLS streams made with ffmpeg whose playlists are then changed to name every resource (variant and
 * rendition playlists, segments, EXT-X-MAP, EXT-X-KEY) by its absolute origin URL, as many packagers write them.
 * A player that follows such a playlist as it is goes straight to the origin; only a proxy that rewrote the
 * playlists on the way brings it back.
 *
 * @param root      the directory the origin serves
 * @param entry     the playlist a player opens, relative to {@code root}
 * @param resources every file a player needs, relative to {@code root}: {@code entry} and everything reachable
 *                  from it
 */
record AbsoluteHls(Path root, String entry, List<String> resources) {
    private static final Duration FFMPEG_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]+)\"");
    /** Test pattern and tone, 160x120 at 25 fps, a key frame every second, so every segment is 1 s. */
    private static final List<String> SOURCE = List.of("-hide_banner", "-nostdin", "-v", "error",
            "-f", "lavfi", "-i", "testsrc=size=160x120:rate=25",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "3");
    private static final List<String> CODECS = List.of(
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-keyint_min", "25", "-sc_threshold", "0",
            "-c:a", "aac", "-b:a", "32k",
            "-f", "hls", "-hls_time", "1", "-hls_playlist_type", "vod");

    /** Two video variants sharing a separate audio rendition (EXT-X-MEDIA TYPE=AUDIO with a URI). */
    static void multiVariant(Path directory) {
        ffmpeg(List.of("-map", "0:v", "-map", "0:v", "-map", "1:a",
                "-filter:v:1", "scale=80:60", "-b:v:0", "200k", "-b:v:1", "80k"),
                List.of("-hls_segment_filename", directory.resolve("stream_%v/seg_%03d.ts").toString(),
                        "-var_stream_map", "v:0,agroup:aud v:1,agroup:aud a:0,agroup:aud,default:yes",
                        "-master_pl_name", "master.m3u8",
                        directory.resolve("stream_%v/index.m3u8").toString()));
    }

    /** fMP4 segments with an initialization section ({@code #EXT-X-MAP:URI="init.mp4"}). */
    static void fmp4(Path directory) {
        createDirectories(directory);
        ffmpeg(List.of("-map", "0:v", "-map", "1:a"),
                List.of("-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
                        "-hls_segment_filename", directory.resolve("seg_%03d.m4s").toString(),
                        directory.resolve("index.m3u8").toString()));
    }

    /** AES-128 encrypted segments; the key is {@code key.bin} beside the playlist, served like any file. */
    static void aes128(Path directory) {
        createDirectories(directory);
        try {
            byte[] key = new byte[16];
            new SecureRandom().nextBytes(key);
            Path keyFile = Files.write(directory.resolve("key.bin"), key);
            // key_info_file: the URI written into EXT-X-KEY, then the key file ffmpeg encrypts with.
            Path keyInfo = Files.writeString(directory.resolve("key.info"), "key.bin\n" + keyFile + "\n");
            ffmpeg(List.of("-map", "0:v", "-map", "1:a"),
                    List.of("-hls_key_info_file", keyInfo.toString(),
                            "-hls_segment_filename", directory.resolve("seg_%03d.ts").toString(),
                            directory.resolve("index.m3u8").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ffmpeg(List<String> streams, List<String> output) {
        var args = new ArrayList<>(SOURCE);
        args.addAll(streams);
        args.addAll(CODECS);
        args.addAll(output);
        ExternalTool.Finished made = HlsStream.ffmpeg().run(FFMPEG_TIMEOUT, args.toArray(String[]::new));
        if (made.exitCode() != 0) {
            throw new AssertionError("ffmpeg could not make the HLS stream: " + made);
        }
    }

    /**
     * Rewrites, in place, every playlist reachable from {@code entry} so that each URI it names, relative as
     * ffmpeg writes them, becomes absolute under {@code origin} (the URL {@code root} is served at, no trailing
     * slash), and returns the stream with every resource found on the way.
     */
    static AbsoluteHls absolutize(Path root, String entry, String origin) {
        var resources = new LinkedHashSet<String>();
        var rewritten = new LinkedHashMap<String, String>();
        var playlists = new ArrayDeque<>(List.of(entry));
        while (!playlists.isEmpty()) {
            String playlist = playlists.poll();
            if (!resources.add(playlist)) {
                continue;
            }
            URI base = URI.create(origin + "/" + playlist);
            var text = new StringBuilder();
            for (String line : read(root.resolve(playlist))) {
                String stripped = line.strip();
                if (stripped.startsWith("#")) {
                    Matcher m = URI_ATTRIBUTE.matcher(line);
                    line = m.replaceAll(r -> Matcher.quoteReplacement("URI=\"" + absolute(base, r.group(1),
                            origin, resources, playlists) + "\""));
                } else if (!stripped.isEmpty()) {
                    line = absolute(base, stripped, origin, resources, playlists);
                }
                text.append(line).append('\n');
            }
            rewritten.put(playlist, text.toString());
        }
        for (Map.Entry<String, String> playlist : rewritten.entrySet()) {
            Configs.write(root.resolve(playlist.getKey()), playlist.getValue());
        }
        return new AbsoluteHls(root, entry, List.copyOf(resources));
    }

    private static String absolute(URI base, String written, String origin, LinkedHashSet<String> resources,
                                   ArrayDeque<String> playlists) {
        if (written.contains("://") || written.startsWith("/")) {
            throw new AssertionError(base + " names " + written + "; expected ffmpeg's relative URIs");
        }
        String absolute = base.resolve(written).toString();
        if (!absolute.startsWith(origin + "/")) {
            throw new AssertionError(base + " names " + written + ", outside the origin " + origin);
        }
        String resource = absolute.substring(origin.length() + 1);
        if (resource.endsWith(".m3u8")) {
            playlists.add(resource);
        } else {
            resources.add(resource);
        }
        return absolute;
    }

    /** ffmpeg makes the directories of {@code %v} names, but not the output's own. */
    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the stream as the origin now serves it, e.g. a playlist with its absolute URIs. */
    String text(String resource) {
        try {
            return Files.readString(root.resolve(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
