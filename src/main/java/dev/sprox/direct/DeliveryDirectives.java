package dev.sprox.direct;

import dev.sprox.http.QueryParameters;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * LL-HLS delivery directives (RFC 8216bis §6.2.5): a player asks for a blocking playlist reload or a delta update
 * by adding {@code _HLS_msn}, {@code _HLS_part} and {@code _HLS_skip} to the playlist URL it was given. Here that
 * URL is sprox's, so they are passed on to the destination, replacing any it carried; without them a low-latency
 * origin could only answer the current playlist at once, and the player would poll.
 */
final class DeliveryDirectives {
    private static final Set<String> NAMES = Set.of("_HLS_msn", "_HLS_part", "_HLS_skip");

    private DeliveryDirectives() {}

    static URI applied(URI destination, List<QueryParameters.Parameter> query) {
        List<QueryParameters.Parameter> directives = query.stream().filter(p -> NAMES.contains(p.name())).toList();
        if (directives.isEmpty()) {
            return destination;
        }
        var kept = new StringBuilder();
        if (destination.getRawQuery() != null) {
            for (String pair : destination.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                if (!pair.isEmpty() && !NAMES.contains(equals < 0 ? pair : pair.substring(0, equals))) {
                    kept.append(kept.isEmpty() ? "" : "&").append(pair);
                }
            }
        }
        for (QueryParameters.Parameter directive : directives) {
            kept.append(kept.isEmpty() ? "" : "&").append(directive.name()).append('=')
                    .append(DirectUrls.encode(directive.value()));
        }
        String raw = destination.toString();
        int question = raw.indexOf('?');
        return URI.create((question < 0 ? raw : raw.substring(0, question)) + "?" + kept);
    }
}
