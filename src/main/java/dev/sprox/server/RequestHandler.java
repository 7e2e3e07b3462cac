package dev.sprox.server;

import dev.sprox.http.RequestHead;
import dev.sprox.http.RequestRejected;
import dev.sprox.http.Response;

/** What the server hands each request to. Implementations answer every failure with a response. */
public interface RequestHandler {

    /** Answers a request; never throws: failures become error responses. */
    Response handle(Request request);

    /**
     * Answers a request the server refused before it reached {@link #handle}; the connection closes after.
     *
     * @param head the request head when it could be parsed, else null
     */
    Response rejected(ConnectionInfo connection, RequestHead head, RequestRejected rejection, long startNanos);
}
