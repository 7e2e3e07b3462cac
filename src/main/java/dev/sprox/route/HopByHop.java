package dev.sprox.route;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * RFC 9110 §7.6.1: connection-specific fields never cross a proxy, nor any field the {@code Connection}
 * header names. One list for both directions.
 */
final class HopByHop {
    private static final Set<String> ALWAYS = Set.of("connection", "proxy-connection", "keep-alive",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-authenticate");

    private HopByHop() {}

    /** The lower-case names to drop from a message, given its {@code Connection} header values. */
    static Set<String> names(Iterable<String> connectionValues) {
        var names = new HashSet<>(ALWAYS);
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String name = token.strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

}
