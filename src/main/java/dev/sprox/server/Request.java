package dev.sprox.server;

import dev.sprox.http.Headers;
import dev.sprox.http.QueryParameters;
import dev.sprox.http.RequestError;
import dev.sprox.http.RequestHead;
import java.io.InputStream;

/** One request as a handler sees it: the parsed head, its body, and the connection it came on. */
public final class Request {
    private final RequestHead head;
    private final ConnectionInfo connection;
    private final InputStream body;
    private final long startNanos;
    private QueryParameters query;

    public Request(RequestHead head, ConnectionInfo connection, InputStream body, long startNanos) {
        this.head = head;
        this.connection = connection;
        this.body = body;
        this.startNanos = startNanos;
    }

    public RequestHead head() {
        return head;
    }

    public String method() {
        return head.method();
    }

    public String path() {
        return head.target().path();
    }

    public Headers headers() {
        return head.headers();
    }

    public ConnectionInfo connection() {
        return connection;
    }

    /** The decoded body; reading it sends {@code 100 Continue} first when the client asked for that. */
    public InputStream body() {
        return body;
    }

    /** When the first byte of this request arrived, by {@link System#nanoTime()}. */
    public long startNanos() {
        return startNanos;
    }

    /** The query parameters, decoded; a malformed query is refused with {@link RequestError#BAD_QUERY}. */
    public QueryParameters query() {
        if (query == null) {
            query = QueryParameters.parse(head.target().rawQuery());
        }
        return query;
    }
}
