package dev.sprox.hls;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a media playlist changes: its {@code PART-TARGET} (RFC 8216bis §4.4.3.7) when it is a low-latency
 * playlist, whose parts appear far more often than segments, else its {@code #EXT-X-TARGETDURATION}
 * (RFC 8216 §4.3.3.1). A multivariant playlist has neither.
 */
public final class UpdateInterval {
    private static final Pattern TARGET_DURATION = Pattern.compile("^#EXT-X-TARGETDURATION:[ \\t]*(\\d{1,9})[ \\t]*\\r?$",
            Pattern.MULTILINE);
    private static final Pattern PART_TARGET = Pattern.compile(
            "^#EXT-X-PART-INF:(?:.*,)?[ \\t]*PART-TARGET[ \\t]*=[ \\t]*(\\d{1,9}(?:\\.\\d{1,9})?)", Pattern.MULTILINE);

    private UpdateInterval() {}

    public static Optional<Duration> of(String playlist) {
        Matcher part = PART_TARGET.matcher(playlist);
        if (part.find()) {
            return Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(part.group(1)) * 1e9)));
        }
        Matcher target = TARGET_DURATION.matcher(playlist);
        return target.find() ? Optional.of(Duration.ofSeconds(Long.parseLong(target.group(1)))) : Optional.empty();
    }
}
