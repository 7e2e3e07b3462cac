package dev.sprox.route;

import dev.sprox.http.HostPattern;
import dev.sprox.http.RequestHost;
import dev.sprox.pipeline.RouteMatcher;
import java.util.List;
import java.util.Optional;

/** The routes of one configuration generation in configuration order; the first that matches a request takes it. */
public final class RouteTable implements AutoCloseable {
    private final List<Route> routes;

    RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static RouteTable empty() {
        return new RouteTable(List.of());
    }

    /** This table as the request steps match requests against it, each matched request answered by {@code proxy}. */
    public RouteMatcher matcher(RouteProxy proxy) {
        return (listenerId, head, scheme) -> match(listenerId, RequestHost.of(head), scheme, head.target().path())
                .map(route -> new RouteMatcher.Match(route.config().id(),
                        (request, context) -> proxy.handle(request, context, route)));
    }

    /**
     * @param host   the request's host without port (from the absolute-form target or {@code Host})
     * @param scheme {@code http} or {@code https}, as the client reached the listener
     */
    public Optional<Route> match(String listenerId, String host, String scheme, String path) {
        for (Route route : routes) {
            if (matches(route.config(), listenerId, host, scheme, path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    private static boolean matches(RouteConfig route, String listenerId, String host, String scheme, String path) {
        if (!route.listenerIds().contains(listenerId)) {
            return false;
        }
        if (!route.protocols().isEmpty() && !route.protocols().contains(scheme)) {
            return false;
        }
        if (route.pathPrefix().isPresent() && !underPrefix(path, route.pathPrefix().get())) {
            return false;
        }
        if (route.hostPatterns().isEmpty()) {
            return true;
        }
        for (HostPattern pattern : route.hostPatterns()) {
            if (pattern.matches(host)) {
                return true;
            }
        }
        return false;
    }

    /** {@code /vod} takes {@code /vod} and {@code /vod/x}, not {@code /video}. */
    static boolean underPrefix(String path, String prefix) {
        if (prefix.endsWith("/")) {
            return path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1));
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    @Override
    public void close() {
        routes.forEach(Route::close);
    }
}
