package dev.sprox.config;

import dev.sprox.config.ConfigLoader.Declared;
import dev.sprox.config.ConfigLoader.DeclaredRoute;
import dev.sprox.server.ListenerConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that compare declarations with each other: ids and addresses must be unique, and a redirect must
 * name a TLS listener.
 */
final class CrossChecks {
    private CrossChecks() {}

    static void listeners(List<Declared<ListenerConfig>> listeners, Problems problems) {
        Map<String, Declared<ListenerConfig>> byId = new HashMap<>();
        Map<String, Declared<ListenerConfig>> byAddress = new HashMap<>();
        for (Declared<ListenerConfig> listener : listeners) {
            Declared<ListenerConfig> sameId = byId.putIfAbsent(listener.value().id(), listener);
            if (sameId != null) {
                problems.add(listener.source(), Paths.child(listener.path(), "id"), "duplicate listener id \""
                        + listener.value().id() + "\" (first declared at " + sameId.source() + ")");
            }
            Declared<ListenerConfig> sameAddress = byAddress.putIfAbsent(listener.value().address(), listener);
            if (sameAddress != null && listener.value().port() != 0) {
                problems.add(listener.source(), listener.path(), "listeners \"" + sameAddress.value().id()
                        + "\" and \"" + listener.value().id() + "\" both bind " + listener.value().address());
            }
        }
        for (Declared<ListenerConfig> listener : listeners) {
            listener.value().redirectToHttps().ifPresent(target -> {
                Declared<ListenerConfig> secure = byId.get(target);
                if (secure == null || secure.value().tls().isEmpty()) {
                    problems.add(listener.source(), Paths.child(listener.path(), "redirect_to_https"),
                            secure == null ? "no listener with id \"" + target + "\"" + Suggestions.didYouMean(
                                    target, byId.keySet()) : "listener \"" + target + "\" has no tls block");
                }
            });
        }
    }

    static void routeIds(List<DeclaredRoute> routes, Problems problems) {
        Map<String, DeclaredRoute> byId = new HashMap<>();
        for (DeclaredRoute route : routes) {
            DeclaredRoute same = byId.putIfAbsent(route.id(), route);
            if (same != null) {
                problems.add(route.fields().sourceOf("id"), route.fields().path("id"),
                        "duplicate route id \"" + route.id() + "\" (first declared at " + same.fields().source() + ")");
            }
        }
    }
}
