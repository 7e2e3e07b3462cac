package dev.sprox.direct;

import dev.sprox.http.Headers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The origin's response headers a direct stream passes to the client: what a player needs to play, seek and
 * cache (inventory §4.10), plus {@code Content-Encoding} because the body goes through still encoded. Cookies,
 * redirects' {@code Location} and everything else that would tell the client about the origin stay behind.
 * {@code Content-Length} is listed for HEAD; the server writes the framing of bodies itself.
 */
final class DirectResponseHeaders {
    static final Set<String> ALLOWED = Set.of("content-type", "content-length", "content-range", "accept-ranges",
            "etag", "last-modified", "cache-control", "expires", "pragma", "content-encoding");
    /** Only these answers describe a range (RFC 9110 §14.4); elsewhere a Content-Range is the origin's mistake. */
    private static final Set<Integer> RANGE_STATUSES = Set.of(206, 416);

    private DirectResponseHeaders() {}

    static Headers of(int status, Map<String, List<String>> upstream) {
        var out = Headers.builder();
        upstream.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (ALLOWED.contains(lower) && (!lower.equals("content-range") || RANGE_STATUSES.contains(status))) {
                values.forEach(value -> out.add(name, value));
            }
        });
        Headers headers = out.build();
        // A 206 proves the origin serves ranges even when it did not say so; otherwise only its own word counts.
        if (status == 206 && !headers.has("Accept-Ranges")) {
            headers = headers.toBuilder().add("Accept-Ranges", "bytes").build();
        }
        return headers;
    }
}
