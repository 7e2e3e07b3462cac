package dev.sprox.pipeline;

import dev.sprox.server.RequestError;
import dev.sprox.server.RequestRejected;
import dev.sprox.server.Response;
import dev.sprox.upstream.UpstreamFailure;

/** The one place that turns a refusal into a status and a short plain-text body. No stack trace leaves here. */
public final class ErrorResponses {
    private static final String TEXT = "text/plain; charset=utf-8";

    private ErrorResponses() {}

    public static int status(RequestError error) {
        return switch (error) {
            case MALFORMED_REQUEST, AMBIGUOUS_FRAMING, BAD_QUERY, BAD_PARAMETER -> 400;
            case DESTINATION_REFUSED -> 403;
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

    /** What the client learns of an upstream failure: a refused destination says why, the rest only what kind. */
    public static RequestRejected rejection(UpstreamFailure failure) {
        return switch (failure.kind()) {
            case TIMEOUT -> new RequestRejected(RequestError.UPSTREAM_TIMEOUT, "upstream timed out");
            case UNSENDABLE -> new RequestRejected(RequestError.MALFORMED_REQUEST, "request cannot be forwarded");
            case REFUSED_DESTINATION -> new RequestRejected(RequestError.DESTINATION_REFUSED, failure.getMessage());
            case UNREACHABLE, RETRY_BUDGET_EXHAUSTED, TOO_MANY_REDIRECTS, BAD_REDIRECT ->
                    new RequestRejected(RequestError.UPSTREAM_FAILED, "upstream unavailable");
        };
    }

    public static Response of(RequestRejected rejection) {
        return Response.text(status(rejection.error()), TEXT, rejection.detail() + "\n");
    }

    /** For failures nobody anticipated: the detail goes to the log, the client learns only the request id. */
    public static Response internalError(String requestId) {
        return Response.text(500, TEXT, "internal error (request " + requestId + ")\n");
    }
}
