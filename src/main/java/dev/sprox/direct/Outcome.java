package dev.sprox.direct;

import java.util.Locale;

/** How a direct request ended, as the {@code outcome} label of {@code sprox_direct_requests_total}. */
enum Outcome {
    /** The origin's answer (below 400) reached the client in full. */
    COMPLETED,
    /** The origin's 4xx or 5xx, passed on in full. */
    UPSTREAM_STATUS,
    /** The body was cut short: the client left, or the origin stopped sending. */
    ABORTED,
    /** Refused before any upstream request: a bad {@code d}, a bad override. */
    BAD_REQUEST,
    /** The destination is not allowed (403). */
    FORBIDDEN,
    /** {@code direct_stream.max_concurrent} streams were already in flight (503). */
    BUSY,
    /** No usable answer from the origin (502, 504). */
    UPSTREAM_FAILED;

    static Outcome ofSproxStatus(int status) {
        return switch (status) {
            case 403 -> FORBIDDEN;
            case 503 -> BUSY;
            default -> status >= 500 ? UPSTREAM_FAILED : BAD_REQUEST;
        };
    }

    static Outcome ofRelayed(int status, Throwable failure) {
        if (failure != null) {
            return ABORTED;
        }
        return status >= 400 ? UPSTREAM_STATUS : COMPLETED;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
