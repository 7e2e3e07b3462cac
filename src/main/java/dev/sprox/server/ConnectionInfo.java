package dev.sprox.server;

import java.net.InetSocketAddress;

/** Who is on the other end of a connection, and which listener accepted it. */
public record ConnectionInfo(InetSocketAddress peer, InetSocketAddress local, Listener listener) {

    /** How the client reached sprox; every listener is plain HTTP until TLS listeners exist. */
    public String scheme() {
        return "http";
    }
}
