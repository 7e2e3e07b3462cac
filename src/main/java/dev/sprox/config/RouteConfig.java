package dev.sprox.config;

import java.util.List;

/** A route and the listeners it serves; what it proxies to is added by route proxying. */
public record RouteConfig(String id, List<String> listenerIds) {

    public RouteConfig {
        listenerIds = List.copyOf(listenerIds);
    }
}
