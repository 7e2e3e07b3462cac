package dev.sprox.http;

/**
 * Why a request was refused before (or while) its handler ran. The HTTP status for each is decided in one
 * place, {@code pipeline.ErrorResponses}.
 */
public enum RequestError {
    MALFORMED_REQUEST,
    AMBIGUOUS_FRAMING,
    UNSUPPORTED_TRANSFER_CODING,
    UNSUPPORTED_VERSION,
    URI_TOO_LONG,
    HEADERS_TOO_LARGE,
    BODY_TOO_LARGE,
    HEADER_TIMEOUT,
    BODY_TIMEOUT,
    EXPECTATION_FAILED,
    BAD_QUERY,
    BAD_PARAMETER,
    /** No credentials where some are needed: answered with a challenge. */
    UNAUTHENTICATED,
    /** Credentials that do not open this door. */
    FORBIDDEN,
    DESTINATION_REFUSED,
    NOT_FOUND,
    NO_ROUTE,
    UPSTREAM_FAILED,
    UPSTREAM_TIMEOUT,
    METHOD_NOT_ALLOWED,
    RATE_LIMITED,
    OVERLOADED,
    UNAVAILABLE
}
