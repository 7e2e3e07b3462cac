package dev.sprox.route;

import dev.sprox.http.Headers;
import dev.sprox.http.RequestHost;
import dev.sprox.upstream.HeaderPolicy;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The headers a request carries to the origin: the client's, less hop-by-hop and denied fields and
 * credentials the route does not pass on, plus {@code X-Forwarded-*}, {@code Via} and the request id.
 * {@code Host} comes from the origin URL; framing headers come from the upstream client.
 */
final class ForwardedRequest {
    /** Set by sprox or by the HTTP client; whatever the client sent under these names is replaced. */
    private static final Set<String> REGENERATED = Set.of("host", "content-length", "expect", "forwarded",
            "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "via", "x-request-id");
    private static final Set<String> CREDENTIALS = Set.of("authorization", "proxy-authorization");

    private ForwardedRequest() {}

    /**
     * @param peer      the TCP peer, appended to {@code X-Forwarded-For}
     * @param client    the client as resolved through trusted proxies, used when the policy replaces it
     * @param authority the authority the request is for ({@link RequestHost#authority}), told as
     *                  {@code X-Forwarded-Host} when there is one
     */
    static Headers headers(Headers incoming, HeaderPolicy policy, InetAddress peer, InetAddress client,
                           String clientScheme, String authority, String requestId) {
        Set<String> dropped = HopByHop.names(incoming.all("Connection"));
        var out = Headers.builder();
        for (Headers.Field field : incoming.fields()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            boolean allowed = policy.allow().contains(name);
            if (dropped.contains(name) || REGENERATED.contains(name)
                    || (!allowed && (CREDENTIALS.contains(name) || policy.deny().contains(name)))) {
                continue;
            }
            out.add(field.name(), field.value());
        }
        out.add("X-Forwarded-For", forwardedFor(incoming.all("X-Forwarded-For"), policy, peer, client));
        out.add("X-Forwarded-Proto", clientScheme);
        if (!authority.isEmpty()) {
            out.add("X-Forwarded-Host", authority);
        }
        out.add("Via", via(incoming.all("Via")));
        out.add("X-Request-Id", requestId);
        return out.build();
    }

    private static String forwardedFor(List<String> existing, HeaderPolicy policy, InetAddress peer,
                                       InetAddress client) {
        if (policy.xForwardedFor() == HeaderPolicy.ForwardedFor.REPLACE || existing.isEmpty()) {
            return (policy.xForwardedFor() == HeaderPolicy.ForwardedFor.REPLACE ? client : peer).getHostAddress();
        }
        return String.join(", ", existing) + ", " + peer.getHostAddress();
    }

    static String via(List<String> existing) {
        return existing.isEmpty() ? "1.1 sprox" : String.join(", ", existing) + ", 1.1 sprox";
    }
}
