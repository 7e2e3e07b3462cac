package dev.sprox.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live packager's MPD on disk, made from the static one Shaka Packager wrote beside its segments: every half
 * second {@code manifest.mpd} is rewritten as a dynamic MPD (ISO/IEC 23009-1 §5.3.9.5.3) whose SegmentTimelines
 * list only the segments that have ended by then, counted from {@code availabilityStartTime}, and no older than
 * the time-shift buffer, as a packager fed in real time would. The segments themselves are already there: what
 * a player may fetch is what the MPD lists.
 */
final class SlidingMpd implements AutoCloseable {
    private static final Pattern TEMPLATE = Pattern.compile(
            "<SegmentTemplate([^>]*)>\\s*<SegmentTimeline>(.*?)</SegmentTimeline>", Pattern.DOTALL);
    private static final Pattern S = Pattern.compile("<S(?: t=\"(\\d+)\")? d=\"(\\d+)\"(?: r=\"(\\d+)\")?/>");
    private static final Pattern TIMESCALE = Pattern.compile("timescale=\"(\\d+)\"");
    private static final Pattern START_NUMBER = Pattern.compile("startNumber=\"(\\d+)\"");

    private final Path mpd;
    private final String template;
    private final Instant availabilityStart;
    private final Duration depth;
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sliding-mpd");
        thread.setDaemon(true);
        return thread;
    });

    private SlidingMpd(Path mpd, Instant availabilityStart, Duration depth) throws IOException {
        this.mpd = mpd;
        this.template = Files.readString(mpd);
        this.availabilityStart = availabilityStart;
        this.depth = depth;
    }

    /**
     * Starts rewriting {@code mpd} (a static MPD with SegmentTimelines), live as if its first segment had started
     * {@code ago}, so that much is available at once.
     */
    static SlidingMpd start(Path mpd, Duration ago, Duration timeShiftBufferDepth) throws IOException {
        var sliding = new SlidingMpd(mpd, Instant.now().minus(ago).truncatedTo(ChronoUnit.SECONDS),
                timeShiftBufferDepth);
        sliding.write();
        sliding.writer.scheduleWithFixedDelay(sliding::writeUnchecked, 500, 500, TimeUnit.MILLISECONDS);
        return sliding;
    }

    private void writeUnchecked() {
        try {
            write();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write() throws IOException {
        Instant now = Instant.now();
        Duration elapsed = Duration.between(availabilityStart, now);
        String header = template.replaceFirst(" mediaPresentationDuration=\"[^\"]*\"", "").replace("type=\"static\"",
                "type=\"dynamic\" availabilityStartTime=\"" + availabilityStart + "\" publishTime=\""
                        + now.truncatedTo(ChronoUnit.SECONDS) + "\" minimumUpdatePeriod=\"PT1S\""
                        + " timeShiftBufferDepth=\"PT" + depth.toSeconds() + "S\"");
        Matcher templates = TEMPLATE.matcher(header);
        var text = new StringBuilder();
        while (templates.find()) {
            templates.appendReplacement(text, Matcher.quoteReplacement(window(templates.group(1), templates.group(2),
                    elapsed)));
        }
        templates.appendTail(text);
        Path next = mpd.resolveSibling(mpd.getFileName() + ".next");
        Files.writeString(next, text);
        Files.move(next, mpd, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One SegmentTemplate with the segments available {@code elapsed} after the start, its number moved on. */
    private String window(String attributes, String timeline, Duration elapsed) {
        long timescale = Long.parseLong(group(TIMESCALE, attributes));
        long startNumber = Long.parseLong(group(START_NUMBER, attributes));
        long edge = elapsed.toMillis() * timescale / 1000;
        long oldest = edge - depth.toMillis() * timescale / 1000;
        var segments = new ArrayList<long[]>();
        long next = 0;
        Matcher s = S.matcher(timeline);
        while (s.find()) {
            long t = s.group(1) == null ? next : Long.parseLong(s.group(1));
            long d = Long.parseLong(s.group(2));
            long repeat = s.group(3) == null ? 0 : Long.parseLong(s.group(3));
            for (long i = 0; i <= repeat; i++, t += d) {
                segments.add(new long[] {t, d});
            }
            next = t;
        }
        var listed = new StringBuilder();
        long first = -1;
        for (int i = 0; i < segments.size(); i++) {
            long end = segments.get(i)[0] + segments.get(i)[1];
            if (end <= edge && end >= oldest) {
                first = first < 0 ? i : first;
                listed.append("<S t=\"").append(segments.get(i)[0]).append("\" d=\"").append(segments.get(i)[1])
                        .append("\"/>");
            }
        }
        String numbered = attributes.replaceFirst("startNumber=\"\\d+\"", "startNumber=\""
                + (startNumber + Math.max(first, 0)) + "\"");
        return "<SegmentTemplate" + numbered + "><SegmentTimeline>" + listed + "</SegmentTimeline>";
    }

    private static String group(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new AssertionError(pattern + " not in " + text);
        }
        return matcher.group(1);
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
