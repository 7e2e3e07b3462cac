package dev.sprox.dash;

import dev.sprox.dash.Mpd.ByteRange;
import java.util.Optional;

/**
 * One segment of a Representation, as an HLS media playlist lists it.
 *
 * @param start    from the Period's start, in {@code timescale} units (presentationTimeOffset already taken off)
 * @param sequence the HLS media sequence number: the segment's {@code $Number$}, or for a template addressed by
 *                 {@code $Time$} alone its time over its duration, so it stays the same across reloads of a live MPD
 */
record MediaSegment(String url, Optional<ByteRange> range, long start, long duration, long timescale, long sequence) {

    double seconds() {
        return (double) duration / timescale;
    }

    long end() {
        return start + duration;
    }
}
