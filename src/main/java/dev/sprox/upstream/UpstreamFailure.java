package dev.sprox.upstream;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * Why no usable response came from the origin, or why the origin was not asked (no exchange was free in time);
 * {@link #rejection} says what the client learns of it.
 * The message is for logs, except for {@link Kind#REFUSED_DESTINATION}, where it is the reason the client reads.
 */
public final class UpstreamFailure extends Exception {

    public enum Kind {
        /** Connect failed, connection reset, protocol error. */
        UNREACHABLE,
        /** No response head (or no body progress) in time. */
        TIMEOUT,
        RETRY_BUDGET_EXHAUSTED,
        TOO_MANY_REDIRECTS,
        BAD_REDIRECT,
        /** The request could not be expressed to the origin (for example a header the client library refuses). */
        UNSENDABLE,
        /** A {@link HopCheck} refused the URI or a redirect hop (the SSRF guard, the allowlist). */
        REFUSED_DESTINATION,
        /** A route's origin redirected off itself to an address the destination checks refuse. */
        REFUSED_REDIRECT,
        /** Every origin exchange sprox may hold open at once was taken for as long as the origin would be waited for. */
        OVERLOADED
    }

    private final Kind kind;

    public UpstreamFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * How loud its log line is: an overload is counted by the metrics, and a warning per refused request would flood
     * the log when the server is busiest.
     */
    public Level logLevel() {
        return kind == Kind.OVERLOADED ? Level.DEBUG : Level.WARN;
    }

    /** What the client learns of an upstream failure: a refused destination says why, the rest only what kind. */
    public RequestRejected rejection() {
        return switch (kind) {
            case TIMEOUT -> new RequestRejected(RequestError.UPSTREAM_TIMEOUT, "upstream timed out");
            case UNSENDABLE -> new RequestRejected(RequestError.MALFORMED_REQUEST, "request cannot be forwarded");
            case REFUSED_DESTINATION -> new RequestRejected(RequestError.DESTINATION_REFUSED, getMessage());
            // The origin's choice, not the client's: a gateway failure, and the address stays in the log.
            case REFUSED_REDIRECT -> new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream redirect refused");
            case OVERLOADED -> new RequestRejected(RequestError.OVERLOADED, "too many streams at once; try again shortly",
                    Optional.of(Duration.ofSeconds(1)));
            case UNREACHABLE, RETRY_BUDGET_EXHAUSTED, TOO_MANY_REDIRECTS, BAD_REDIRECT ->
                    new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream unavailable");
        };
    }
}
