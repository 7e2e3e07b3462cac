package dev.sprox.pipeline;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;

/** The one place that turns a refusal into a status and a short plain-text body. No stack trace leaves here. */
public final class ErrorResponses {
    private static final String TEXT = "text/plain; charset=utf-8";

    private ErrorResponses() {}

    public static int status(RequestError error) {
        return switch (error) {
            case MALFORMED_REQUEST, AMBIGUOUS_FRAMING, BAD_QUERY, BAD_PARAMETER -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN, DESTINATION_REFUSED -> 403;
            case NOT_FOUND, NO_ROUTE -> 404;
            case METHOD_NOT_ALLOWED -> 405;
            case HEADER_TIMEOUT, BODY_TIMEOUT -> 408;
            case BODY_TOO_LARGE -> 413;
            case URI_TOO_LONG -> 414;
            case EXPECTATION_FAILED -> 417;
            case RATE_LIMITED -> 429;
            case HEADERS_TOO_LARGE -> 431;
            case UNSUPPORTED_TRANSFER_CODING -> 501;
            case UPSTREAM_FAILED -> 502;
            case OVERLOADED, UNAVAILABLE -> 503;
            case UPSTREAM_TIMEOUT -> 504;
            case UNSUPPORTED_VERSION -> 505;
        };
    }

    /**
     * A 401 carries the challenge RFC 9110 §11.6.1 requires; a refusal that will pass later says when, in
     * whole seconds rounded up (RFC 9110 §10.2.3), at least one.
     */
    public static Response of(RequestRejected rejection) {
        Response response = Response.text(status(rejection.error()), TEXT, rejection.detail() + "\n");
        if (rejection.error() == RequestError.UNAUTHENTICATED) {
            response = response.withHeader("WWW-Authenticate", "Bearer realm=\"sprox\"");
        }
        if (rejection.retryAfter().isPresent()) {
            long nanos = rejection.retryAfter().get().toNanos();
            response = response.withHeader("Retry-After",
                    String.valueOf(Math.max(1, (nanos + 999_999_999) / 1_000_000_000)));
        }
        return response;
    }

    /** For failures nobody anticipated: the detail goes to the log, the client learns only the request id. */
    public static Response internalError(String requestId) {
        return Response.text(500, TEXT, "internal error (request " + requestId + ")\n");
    }
}
