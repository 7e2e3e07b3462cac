package dev.sprox.server;

import dev.sprox.tls.TlsConfig;
import java.util.Optional;
import java.util.Set;

/**
 * One address sprox accepts connections on, and the endpoint groups it answers there.
 *
 * @param tls             present on HTTPS listeners
 * @param redirectToHttps on a plain listener, the id of the TLS listener that requests are redirected to
 *                        (ACME challenges excepted)
 */
public record ListenerConfig(String id, String host, int port, Set<ServeGroup> serve, Optional<TlsConfig> tls,
                             Optional<String> redirectToHttps) {

    public ListenerConfig {
        serve = Set.copyOf(serve);
    }

    /** A plain HTTP listener. */
    public ListenerConfig(String id, String host, int port, Set<ServeGroup> serve) {
        this(id, host, port, serve, Optional.empty(), Optional.empty());
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
