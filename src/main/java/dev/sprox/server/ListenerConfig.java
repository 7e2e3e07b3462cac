package dev.sprox.server;

import dev.sprox.http2.Http2Config;
import dev.sprox.tls.TlsConfig;
import java.util.Optional;
import java.util.Set;

/**
 * One address sprox accepts connections on, and the endpoint groups it answers there.
 *
 * @param tls             present on HTTPS listeners
 * @param redirectToHttps on a plain listener, the id of the TLS listener that requests are redirected to
 *                        (ACME challenges excepted)
 * @param http2           whether and how the listener speaks HTTP/2; read as each connection starts
 */
public record ListenerConfig(String id, String host, int port, Set<ServeGroup> serve, Optional<TlsConfig> tls,
                             Optional<String> redirectToHttps, Http2Config http2) {

    public ListenerConfig {
        serve = Set.copyOf(serve);
    }

    /** A listener with the default HTTP/2 settings. */
    public ListenerConfig(String id, String host, int port, Set<ServeGroup> serve, Optional<TlsConfig> tls,
                          Optional<String> redirectToHttps) {
        this(id, host, port, serve, tls, redirectToHttps, Http2Config.DEFAULT);
    }

    /** A plain HTTP listener. */
    public ListenerConfig(String id, String host, int port, Set<ServeGroup> serve) {
        this(id, host, port, serve, Optional.empty(), Optional.empty());
    }

    /** The same listener with other HTTP/2 settings. */
    public ListenerConfig withHttp2(Http2Config settings) {
        return new ListenerConfig(id, host, port, serve, tls, redirectToHttps, settings);
    }

    /** The configured address; listeners are identified by it across reloads. */
    public String address() {
        return address(host, port);
    }

    public static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public boolean serves(ServeGroup group) {
        return serve.contains(group);
    }
}
