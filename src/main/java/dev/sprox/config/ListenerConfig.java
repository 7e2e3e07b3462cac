package dev.sprox.config;

import java.util.Set;

/** One address sprox accepts connections on, and the endpoint groups it answers there. */
public record ListenerConfig(String id, String host, int port, Set<ServeGroup> serve) {

    public ListenerConfig {
        serve = Set.copyOf(serve);
    }

    /** The configured address; listeners are identified by it across reloads. */
    public String address() {
        return address(host, port);
    }

    static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    public boolean serves(ServeGroup group) {
        return serve.contains(group);
    }
}
