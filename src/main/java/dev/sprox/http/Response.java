package dev.sprox.http;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A response as a value: status, headers, body. The connection decides framing ({@code Content-Length},
 * chunked, close) from it; handlers never write those headers themselves.
 *
 * @param onWritten told once the response is on the wire (or failed), for access logs and metrics
 */
public record Response(int status, Headers headers, ResponseBody body, Consumer<Outcome> onWritten) {

    private static final Consumer<Outcome> IGNORE = outcome -> {};

    /**
     * What happened when the response was written: body bytes sent, and the failure if it was cut short.
     * @param requestBodyBytes decoded request body bytes received, including any drained unread
     */
    public record Outcome(int status, long bodyBytes, long requestBodyBytes, Throwable failure) {}

    public static Response of(int status, Headers headers, ResponseBody body) {
        return new Response(status, headers, body, IGNORE);
    }

    public static Response text(int status, String contentType, String text) {
        return of(status, Headers.of("Content-Type", contentType),
                new ResponseBody.Bytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    public Response withHeader(String name, String value) {
        return new Response(status, headers.toBuilder().set(name, value).build(), body, onWritten);
    }

    /** Adds a field, keeping any of the same name (for list-valued headers such as {@code Vary}). */
    public Response withAddedHeader(String name, String value) {
        return new Response(status, headers.toBuilder().add(name, value).build(), body, onWritten);
    }

    /** Runs {@code listener} after any listener already attached. */
    public Response whenWritten(Consumer<Outcome> listener) {
        return new Response(status, headers, body, onWritten == IGNORE ? listener : onWritten.andThen(listener));
    }
}
