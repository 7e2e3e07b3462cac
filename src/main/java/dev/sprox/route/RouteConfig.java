package dev.sprox.route;

import dev.sprox.dash.DashConfig;
import dev.sprox.hls.HlsConfig;
import dev.sprox.http.HostPattern;
import dev.sprox.upstream.UpstreamConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A route: which requests it takes (listeners, host patterns, protocols, path prefix) and the origin it
 * proxies them to.
 *
 * @param hostPatterns empty means any host
 * @param protocols    {@code http} and/or {@code https}, as the client reached sprox; empty means both
 * @param pathPrefix   a path the request must start with, at a segment boundary
 * @param decrypt      {@code drm.decrypt}: the route serves its Common Encryption DASH as clear HLS
 *                     ({@code ?sprox_decrypt=hls} on an MPD's path, see docs/drm.md)
 */
public record RouteConfig(String id, List<String> listenerIds, List<HostPattern> hostPatterns,
                          Set<String> protocols, Optional<String> pathPrefix, UpstreamConfig upstream, HlsConfig hls,
                          DashConfig dash, boolean decrypt) {

    public RouteConfig {
        listenerIds = List.copyOf(listenerIds);
        hostPatterns = List.copyOf(hostPatterns);
        protocols = Set.copyOf(protocols);
    }
}
