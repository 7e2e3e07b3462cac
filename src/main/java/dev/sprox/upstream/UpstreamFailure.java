package dev.sprox.upstream;

/**
 * Why no usable response came from the origin. The pipeline maps the kind to a status (pipeline.ErrorResponses).
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
        REFUSED_REDIRECT
    }

    private final Kind kind;

    public UpstreamFailure(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
