package dev.sprox.server;

/** A request refused for a {@link RequestError}; {@code detail} is short, safe text for the client. */
public final class RequestRejected extends RuntimeException {
    private final RequestError error;

    public RequestRejected(RequestError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    public RequestError error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }
}
