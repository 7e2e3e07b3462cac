package dev.sprox.pipeline;

import dev.sprox.http.RequestHead;
import java.util.Optional;

/** Finds the route a request belongs to, if any; the route table of one generation. */
@FunctionalInterface
public interface RouteMatcher {
    RouteMatcher NONE = (listenerId, head, scheme) -> Optional.empty();

    /** @param scheme how the client reached sprox, {@code http} or {@code https} */
    Optional<Match> match(String listenerId, RequestHead head, String scheme);

    /** A matched route: its id for labels and spans, and what answers the request. */
    record Match(String routeId, Endpoint.Handler handler) {}
}
