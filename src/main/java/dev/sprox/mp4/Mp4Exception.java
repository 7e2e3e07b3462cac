package dev.sprox.mp4;

import java.io.IOException;

/** ISO BMFF bytes that cannot be read: truncated, inconsistent, hostile or beyond what sprox handles. */
public final class Mp4Exception extends IOException {
    /** Why, as a closed set a metric can count and a caller can map to a status. */
    public enum Reason { TRUNCATED, BAD_SIZE, TOO_LARGE, TOO_DEEP, TOO_MANY_ENTRIES, MALFORMED, UNSUPPORTED }

    private final Reason reason;

    public Mp4Exception(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
