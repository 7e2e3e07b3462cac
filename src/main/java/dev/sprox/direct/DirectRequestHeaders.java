package dev.sprox.direct;

import dev.sprox.http.Headers;
import java.util.Locale;
import java.util.Set;

/**
 * The request headers a direct stream carries upstream: only those that shape what the origin sends back
 * (inventory §4.3), never credentials, cookies, forwarding headers or {@code Host}. Overrides replace every value
 * the client sent under their name.
 */
final class DirectRequestHeaders {
    static final Set<String> ALLOWED = Set.of("accept", "accept-encoding", "accept-language", "cache-control",
            "pragma", "range", "if-range", "if-none-match", "if-modified-since", "user-agent", "referer", "origin");

    private DirectRequestHeaders() {}

    static boolean allows(String name) {
        return ALLOWED.contains(name.toLowerCase(Locale.ROOT));
    }

    static Headers forUpstream(Headers incoming, HeaderOverrides overrides) {
        var out = Headers.builder();
        for (Headers.Field field : incoming.fields()) {
            if (allows(field.name()) && !overrides.overrides(field.name())) {
                out.add(field.name(), field.value());
            }
        }
        overrides.values().forEach(out::add);
        return out.build();
    }
}
