package dev.sprox.server;

import java.net.InetSocketAddress;

/**
 * Who is on the other end of a connection, and which listener accepted it.
 *
 * @param secure whether the connection is TLS
 */
public record ConnectionInfo(InetSocketAddress peer, InetSocketAddress local, Listener listener, boolean secure) {

    /** How the client reached sprox, as routes match it and X-Forwarded-Proto reports it. */
    public String scheme() {
        return secure ? "https" : "http";
    }
}
