package dev.sprox.e2e;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live LL-HLS origin (RFC 8216bis: partial segments, preload hints, blocking playlist reloads): a
 * {@link MockOrigin} whose dispatcher plays out a short fMP4 stream that ffmpeg cut into half-second parts, each
 * starting on a key frame. A segment is {@value #PARTS_PER_SEGMENT} consecutive parts, byte for byte. The live edge starts a few
 * segments in and gains one part per part duration of wall time until the stream ends ({@code EXT-X-ENDLIST}).
 *
 * <p>{@code /live.m3u8} is the media playlist; with {@code _HLS_msn} (and {@code _HLS_part}) it is held until
 * that segment (part) exists, as RFC 8216bis §6.2.5.2 asks. A part or segment asked for before it exists (a
 * preload hint) is held until it does. Any other path is a file under the site directory (the player page and
 * hls.js).
 */
final class LowLatencyHlsOrigin implements AutoCloseable {
    static final String PLAYLIST = "live.m3u8";
    static final int PARTS_PER_SEGMENT = 4;
    /** Complete segments there before the first request: enough for a player to start behind the edge. */
    private static final int FIRST_SEGMENTS = 3;
    /** The longest a blocking request is held, beyond which the part is not coming (RFC: 3 target durations). */
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(10);
    private static final Duration FFMPEG_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern PART_FILE = Pattern.compile("/part_(\\d+)\\.m4s");
    private static final Pattern SEGMENT_FILE = Pattern.compile("/seg_(\\d+)\\.m4s");
    private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+),");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript", "mp4", "video/mp4", "m4s", "video/mp4");

    private final Path site;
    private final Path media;
    private final List<Double> partSeconds;
    private final double partTarget;
    private final MockOrigin origin = MockOrigin.start();
    private volatile long startNanos;

    private LowLatencyHlsOrigin(Path site, Path media, List<Double> partSeconds) {
        this.site = site;
        this.media = media;
        this.partSeconds = partSeconds;
        this.partTarget = Math.ceil(partSeconds.stream().mapToDouble(Double::doubleValue).max().orElseThrow() * 1000)
                / 1000;
        origin.dispatch(this::answer);
    }

    /**
     * Makes {@code seconds} of test pattern and tone with ffmpeg in {@code media} and serves it live, with the
     * files under {@code site}. The live clock starts now.
     */
    static LowLatencyHlsOrigin start(Path site, Path media, int seconds) throws IOException {
        ExternalTool.Finished made = HlsStream.ffmpeg().run(FFMPEG_TIMEOUT, "-hide_banner", "-v", "error",
                "-f", "lavfi", "-i", "testsrc=size=320x240:rate=24",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds),
                "-map", "0:v", "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                // A key frame every 12 frames at 24 fps: every half-second part is independent.
                "-g", "12", "-keyint_min", "12", "-sc_threshold", "0", "-b:v", "300k", "-c:a", "aac", "-b:a", "64k",
                "-f", "hls", "-hls_time", "0.5", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4",
                "-hls_fmp4_init_filename", "init.mp4",
                "-hls_segment_filename", media.resolve("part_%d.m4s").toString(),
                media.resolve("parts.m3u8").toString());
        if (made.exitCode() != 0) {
            throw new AssertionError("ffmpeg could not make the LL-HLS parts: " + made);
        }
        var durations = new ArrayList<Double>();
        Matcher extinf = EXTINF.matcher(Files.readString(media.resolve("parts.m3u8")));
        while (extinf.find()) {
            durations.add(Double.parseDouble(extinf.group(1)));
        }
        int whole = durations.size() / PARTS_PER_SEGMENT * PARTS_PER_SEGMENT;
        if (whole <= FIRST_SEGMENTS * PARTS_PER_SEGMENT) {
            throw new AssertionError("ffmpeg made too few parts: " + durations);
        }
        var origin = new LowLatencyHlsOrigin(site, media, List.copyOf(durations.subList(0, whole)));
        origin.startNanos = System.nanoTime();
        return origin;
    }

    int port() {
        return origin.port();
    }

    /** The requests so far, oldest first. */
    List<RecordedRequest> requests() {
        return origin.requests();
    }

    /** Parts there now: the first segments' at once, then one more each part duration, up to all of them. */
    private int availableParts() {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        int parts = FIRST_SEGMENTS * PARTS_PER_SEGMENT;
        for (int i = parts; i < partSeconds.size() && elapsed >= partSeconds.get(i); i++) {
            elapsed -= partSeconds.get(i);
            parts++;
        }
        return parts;
    }

    /** Waits until {@code parts} parts exist; false when they never will or not within {@link #LONGEST_HOLD}. */
    private boolean awaitParts(int parts) throws InterruptedException {
        if (parts > partSeconds.size()) {
            return false;
        }
        long deadline = System.nanoTime() + LONGEST_HOLD.toNanos();
        while (availableParts() < parts) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private MockResponse answer(RecordedRequest request) throws IOException, InterruptedException {
        String path = request.path();
        Matcher part = PART_FILE.matcher(path);
        Matcher segment = SEGMENT_FILE.matcher(path);
        if (path.equals("/" + PLAYLIST)) {
            Map<String, String> query = query(request.query().orElse(null));
            int needed = query.containsKey("_HLS_msn") ? neededFor(query) : 0;
            if (needed > partSeconds.size()) {
                return MockResponse.status(400).type("text/plain").body("beyond the end of the stream");
            }
            awaitParts(needed);
            return MockResponse.ok(playlist(availableParts())).type("application/vnd.apple.mpegurl");
        }
        if (part.matches()) {
            int index = Integer.parseInt(part.group(1));
            return media(index + 1, index, index + 1);
        }
        if (segment.matches()) {
            int first = Integer.parseInt(segment.group(1)) * PARTS_PER_SEGMENT;
            return media(first + PARTS_PER_SEGMENT, first, first + PARTS_PER_SEGMENT);
        }
        if (path.equals("/init.mp4")) {
            return MockResponse.ok(Files.readAllBytes(media.resolve("init.mp4"))).type("video/mp4");
        }
        Path file = site.resolve(path.substring(1)).normalize();
        if (!file.startsWith(site) || !Files.isRegularFile(file)) {
            return MockResponse.status(404);
        }
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return MockResponse.ok(Files.readAllBytes(file)).type(TYPES.getOrDefault(extension, "application/octet-stream"));
    }

    /** The parts a blocking reload waits for: through part {@code _HLS_part} of segment {@code _HLS_msn}, or all of it. */
    private static int neededFor(Map<String, String> query) {
        int msn = Integer.parseInt(query.get("_HLS_msn"));
        return query.containsKey("_HLS_part") ? msn * PARTS_PER_SEGMENT + Integer.parseInt(query.get("_HLS_part")) + 1
                : (msn + 1) * PARTS_PER_SEGMENT;
    }

    /** Parts {@code from} to {@code to} (exclusive) in one body, once the first {@code needed} parts exist. */
    private MockResponse media(int needed, int from, int to) throws IOException, InterruptedException {
        if (!awaitParts(needed)) {
            return MockResponse.status(404);
        }
        var body = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            body.write(Files.readAllBytes(media.resolve("part_" + i + ".m4s")));
        }
        return MockResponse.ok(body.toByteArray()).type("video/mp4");
    }

    /**
     * The media playlist with {@code available} parts: complete segments (the last two also as their parts),
     * the parts of the segment in progress and a preload hint for the next part, or the end of the stream.
     */
    private String playlist(int available) {
        var text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:")
                .append(Math.round(partTarget * PARTS_PER_SEGMENT)).append('\n')
                .append("#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=")
                .append(String.format(Locale.ROOT, "%.3f", 3 * partTarget)).append('\n')
                .append("#EXT-X-PART-INF:PART-TARGET=").append(String.format(Locale.ROOT, "%.3f", partTarget))
                .append("\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI=\"init.mp4\"\n");
        int segments = available / PARTS_PER_SEGMENT;
        for (int s = 0; s < segments; s++) {
            double seconds = 0;
            for (int p = s * PARTS_PER_SEGMENT; p < (s + 1) * PARTS_PER_SEGMENT; p++) {
                if (s >= segments - 2) {
                    appendPart(text, p);
                }
                seconds += partSeconds.get(p);
            }
            text.append(String.format(Locale.ROOT, "#EXTINF:%.5f,\nseg_%d.m4s\n", seconds, s));
        }
        for (int p = segments * PARTS_PER_SEGMENT; p < available; p++) {
            appendPart(text, p);
        }
        if (available < partSeconds.size()) {
            text.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part_").append(available).append(".m4s\"\n");
        } else {
            text.append("#EXT-X-ENDLIST\n");
        }
        return text.toString();
    }

    private void appendPart(StringBuilder text, int part) {
        text.append(String.format(Locale.ROOT, "#EXT-X-PART:DURATION=%.5f,URI=\"part_%d.m4s\",INDEPENDENT=YES\n",
                partSeconds.get(part), part));
    }

    private static Map<String, String> query(String raw) {
        var values = new HashMap<String, String>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
        }
        return values;
    }

    @Override
    public void close() {
        origin.close();
    }
}
