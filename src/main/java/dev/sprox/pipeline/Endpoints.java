package dev.sprox.pipeline;

import dev.sprox.server.ListenerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The fixed endpoints sprox answers itself, looked up by path and the listener's endpoint groups. */
public final class Endpoints {
    private final List<Endpoint> endpoints;

    public Endpoints(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    /** The endpoints at {@code path} that {@code listener} serves (one per method set; usually one). */
    List<Endpoint> at(String path, ListenerConfig listener) {
        var found = new ArrayList<Endpoint>(1);
        for (Endpoint endpoint : endpoints) {
            if (endpoint.answers(path) && listener.serves(endpoint.group())) {
                found.add(endpoint);
            }
        }
        return found;
    }

    static Optional<Endpoint> forMethod(List<Endpoint> candidates, String method) {
        return candidates.stream().filter(e -> e.methods().contains(method)).findFirst();
    }

    /** The {@code Allow} header value for a 405 (RFC 9110 §15.5.6). */
    static String allow(List<Endpoint> candidates) {
        var methods = new TreeSet<String>();
        candidates.forEach(e -> methods.addAll(e.methods()));
        return String.join(", ", methods);
    }
}
