package dev.sprox.upstream;

/** A proxy every direct request goes through: an HTTP proxy (CONNECT for https), or a SOCKS5 server. */
public sealed interface OutboundProxy {

    /** {@code http://host:port}. */
    record Http(String host, int port) implements OutboundProxy {}

    /** {@code socks5://[user:password@]host:port} or {@code socks5h://...}: names are resolved by the SOCKS server. */
    record Socks5(Socks5Config server) implements OutboundProxy {}
}
