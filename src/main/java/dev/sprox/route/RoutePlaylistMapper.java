package dev.sprox.route;

import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.UriMapper;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Route mode: a URI under the route's origin becomes the same path under {@code base_url}, so the player's
 * next request comes back to this route and maps onto the same origin path. A URI elsewhere cannot come back
 * through this route and is left pointing at its own host. An {@code http} URI in a playlist fetched over
 * {@code https} is noted, so the caller can refuse the playlist unless the route allows it.
 */
final class RoutePlaylistMapper implements UriMapper {
    private final URI origin;
    private final String originPath;
    private final String base;
    private final boolean refuseInsecure;
    private Optional<String> insecure = Optional.empty();

    RoutePlaylistMapper(URI origin, URI baseUrl, URI playlistUrl, boolean allowInsecure) {
        this.origin = origin;
        this.originPath = withoutTrailingSlash(origin.getRawPath());
        this.base = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + withoutTrailingSlash(baseUrl.getRawPath());
        this.refuseInsecure = !allowInsecure && "https".equalsIgnoreCase(playlistUrl.getScheme());
    }

    /** The first http URI found in an https playlist, when the route does not allow them. */
    Optional<String> insecureReference() {
        return insecure;
    }

    @Override
    public String map(PlaylistUri uri) {
        URI target = uri.toUri();
        if (refuseInsecure && insecure.isEmpty() && "http".equalsIgnoreCase(target.getScheme())) {
            insecure = Optional.of(uri.absolute());
        }
        String path = target.getRawPath() == null ? "" : target.getRawPath();
        if (!sameOrigin(target) || !(path.equals(originPath) || path.startsWith(originPath + "/"))) {
            return uri.absolute();
        }
        String query = target.getRawQuery() == null ? "" : "?" + target.getRawQuery();
        return base + path.substring(originPath.length()) + query;
    }

    private boolean sameOrigin(URI target) {
        return origin.getScheme().equalsIgnoreCase(target.getScheme())
                && origin.getHost().toLowerCase(Locale.ROOT).equals(target.getHost().toLowerCase(Locale.ROOT))
                && port(origin) == port(target);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String withoutTrailingSlash(String path) {
        String p = path == null ? "" : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
