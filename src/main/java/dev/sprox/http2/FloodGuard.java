package dev.sprox.http2;

import java.util.Arrays;
import java.util.Locale;

/**
 * Counts what a peer makes us do for nothing, per connection, in a sliding window of time: streams it resets
 * (rapid reset, CVE-2023-44487), SETTINGS and PING frames we must answer and empty DATA, HEADERS or CONTINUATION
 * frames (CVE-2019-9512, -9515, -9518). Past the limit in one window the connection ends with GOAWAY
 * ENHANCE_YOUR_CALM; an ordinary client stays far below it. Confined to the connection's reading thread.
 */
final class FloodGuard {

    /** The kinds of frames counted, each against its own limit. */
    enum Kind { RESET, CONTROL, EMPTY }

    private final long windowNanos;
    private final int[] limits;
    private final int[] counts = new int[Kind.values().length];
    private long windowStart;

    /**
     * @param windowNanos the length of one counting window
     * @param resets      client RST_STREAM frames allowed in a window
     * @param control     SETTINGS and PING frames allowed in a window
     * @param empty       empty DATA/HEADERS/CONTINUATION frames without END_STREAM allowed in a window
     */
    FloodGuard(long windowNanos, int resets, int control, int empty, long nowNanos) {
        this.windowNanos = windowNanos;
        this.limits = new int[] {resets, control, empty};
        this.windowStart = nowNanos;
    }

    void count(Kind kind, long nowNanos) throws Http2Exception {
        if (nowNanos - windowStart >= windowNanos) {
            windowStart = nowNanos;
            Arrays.fill(counts, 0);
        }
        if (++counts[kind.ordinal()] > limits[kind.ordinal()]) {
            throw Http2Exception.connection(ErrorCode.ENHANCE_YOUR_CALM,
                    "more than " + limits[kind.ordinal()] + " " + kind.name().toLowerCase(Locale.ROOT) + " frames in "
                            + windowNanos / 1_000_000 + " ms");
        }
    }
}
