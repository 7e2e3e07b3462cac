package dev.sprox.dash;

import java.time.Duration;
import java.time.Instant;

/**
 * Which segment times of one Period may be listed, in the Representation's timescale from the Period's start:
 * those starting before the Period ends and, for a live MPD at the instant {@code now}, those whose end has
 * been reached (the live edge) and is no older than {@code timeShiftBufferDepth} (ISO/IEC 23009-1 §5.3.9.5.3,
 * availability from {@code availabilityStartTime}).
 *
 * @param lowestEnd  smallest segment end listed; {@link Long#MIN_VALUE} when unbounded
 * @param highestEnd largest segment end listed (the live edge); {@link Long#MAX_VALUE} when unbounded
 * @param periodEnd  the Period's end; {@link Long#MAX_VALUE} for an open Period
 */
record SegmentWindow(boolean live, long lowestEnd, long highestEnd, long periodEnd) {

    static SegmentWindow of(Mpd mpd, Mpd.Period period, Instant now, long timescale) {
        long periodEnd = period.duration().map(d -> ticks(d, timescale)).orElse(Long.MAX_VALUE);
        // A dynamic MPD without availabilityStartTime (which §5.3.1.2 requires) has no clock to place its
        // segments on; rather than refuse it, everything it describes is listed, as for a static one.
        if (!mpd.dynamic() || mpd.availabilityStartTime().isEmpty()) {
            return new SegmentWindow(false, Long.MIN_VALUE, Long.MAX_VALUE, periodEnd);
        }
        Instant start = mpd.availabilityStartTime().get().plus(period.start());
        long edge = ticks(Duration.between(start, now), timescale);
        long lowest = mpd.timeShiftBufferDepth().map(depth -> edge - ticks(depth, timescale)).orElse(Long.MIN_VALUE);
        return new SegmentWindow(true, lowest, edge, periodEnd);
    }

    /** A duration in timescale units, rounded down; exact for whole seconds and sub-second timescales alike. */
    static long ticks(Duration duration, long timescale) {
        return Math.addExact(Math.multiplyExact(duration.getSeconds(), timescale),
                duration.getNano() * timescale / 1_000_000_000L);
    }

    /** Whether a segment [start, start + duration) is listed. */
    boolean admits(long start, long duration) {
        long end = start + duration;
        return start < periodEnd && end <= highestEnd && end >= lowestEnd;
    }
}
