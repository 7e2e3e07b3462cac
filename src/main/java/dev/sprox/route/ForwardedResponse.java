package dev.sprox.route;

import dev.sprox.http.Headers;
import dev.sprox.upstream.HeaderPolicy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The headers of an origin's response as the client gets them: everything but hop-by-hop and denied
 * fields, with sprox added to {@code Via}. {@code Content-Length}, {@code Content-Range}, {@code ETag} and
 * {@code Last-Modified} pass exactly as sent.
 */
final class ForwardedResponse {
    private ForwardedResponse() {}

    static Headers headers(Map<String, List<String>> upstream, HeaderPolicy policy) {
        Set<String> dropped = HopByHop.names(valuesOf(upstream, "connection"));
        var out = Headers.builder();
        upstream.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(":") || lower.equals("via") || dropped.contains(lower)
                    || (policy.deny().contains(lower) && !policy.allow().contains(lower))) {
                return;
            }
            values.forEach(value -> out.add(name, value));
        });
        out.add("Via", ForwardedRequest.via(valuesOf(upstream, "via")));
        return out.build();
    }

    private static List<String> valuesOf(Map<String, List<String>> headers, String name) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return List.of();
    }
}
