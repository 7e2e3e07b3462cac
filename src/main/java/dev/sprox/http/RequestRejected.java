package dev.sprox.http;

import java.time.Duration;
import java.util.Optional;

/**
 * A request refused for a {@link RequestError}; {@code detail} is short, safe text for the client, and
 * {@code retryAfter}, when present, when trying again could succeed.
 */
public final class RequestRejected extends RuntimeException {
    private final RequestError error;
    private final Optional<Duration> retryAfter;

    public RequestRejected(RequestError error, String detail) {
        this(error, detail, Optional.empty());
    }

    public RequestRejected(RequestError error, String detail, Optional<Duration> retryAfter) {
        super(detail, null, false, false);
        this.error = error;
        this.retryAfter = retryAfter;
    }

    public RequestError error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }

    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
