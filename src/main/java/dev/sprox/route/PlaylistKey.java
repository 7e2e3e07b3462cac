package dev.sprox.route;

import dev.sprox.server.Headers;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What makes two playlist requests the same question for the origin: the full upstream URI, query included
 * (LL-HLS {@code _HLS_msn}/{@code _HLS_part} ask for different playlists), and the values of the forwarded
 * headers that can change the answer. Other headers (User-Agent, X-Forwarded-For, X-Request-Id) reach the
 * origin only from the request that fetches; an origin that varies on them must not be coalesced.
 *
 * @param varying the {@link #VARYING} headers' values, in that order, as the origin would receive them
 */
record PlaylistKey(String uri, List<String> varying) {
    /**
     * Read from the forwarded headers, so {@code Authorization} counts only where the route lets it through and
     * {@code Accept-Encoding} only where it is not removed for rewriting. Conditionals are part of the key
     * because the answer to one may be a 304.
     */
    private static final List<String> VARYING = List.of("Authorization", "Proxy-Authorization", "Cookie",
            "Accept-Encoding", "If-None-Match", "If-Modified-Since");

    /**
     * The key of a coalescable request: a GET without a body or a range for a path ending in {@code .m3u8} (when
     * {@code playlists}) or {@code .mpd} (when {@code mpds}). The content type is only known after fetching, so a
     * manifest at another path is simply proxied.
     */
    static Optional<PlaylistKey> of(String method, URI uri, Headers forwarded, boolean hasBody, boolean playlists,
                                    boolean mpds) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().toLowerCase(Locale.ROOT);
        boolean manifest = playlists && path.endsWith(".m3u8") || mpds && path.endsWith(".mpd");
        if (!method.equals("GET") || hasBody || !manifest || forwarded.has("Range")) {
            return Optional.empty();
        }
        List<String> values = VARYING.stream().map(name -> String.join("\n", forwarded.all(name))).toList();
        return Optional.of(new PlaylistKey(uri.toString(), values));
    }
}
