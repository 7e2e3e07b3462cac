package dev.sprox.route;

import dev.sprox.http.Headers;
import dev.sprox.upstream.PlaylistAnswer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What makes two playlist requests the same question for the origin: the full upstream URI, query included
 * (LL-HLS {@code _HLS_msn}/{@code _HLS_part} ask for different playlists), and every header the origin
 * receives, as it receives it, except the few that say who is asking rather than what ({@link #REQUESTER}).
 * So {@code X-Forwarded-Host} and {@code X-Forwarded-Proto}, which come from the client and from which origins
 * build absolute URIs, are part of the question: one client's {@code Host} cannot reach another's answer.
 * An origin whose answer depends on a requester header must say so ({@code Vary}, {@code Cache-Control:
 * private}); {@link PlaylistAnswer} then keeps that answer to the request that fetched it.
 *
 * @param headers the forwarded headers but {@link #REQUESTER}, by lower-case name, values in order
 */
record PlaylistKey(String uri, Map<String, List<String>> headers) {
    /**
     * Set per request by sprox or by tracing: keying on them would make every request its own question. The
     * origin still receives them, from the request that fetches.
     */
    static final Set<String> REQUESTER = PlaylistAnswer.REQUESTER;

    /**
     * The key of a coalescable request: a GET without a body or a range for a path ending in {@code .m3u8} (when
     * {@code playlists}) or {@code .mpd} (when {@code mpds}). The content type is only known after fetching, so a
     * manifest at another path is simply proxied.
     *
     * @param forwarded the headers exactly as the origin will get them ({@code Authorization} only where the
     *                  route lets it through, {@code Accept-Encoding} only where it is not removed for rewriting)
     */
    static Optional<PlaylistKey> of(String method, URI uri, Headers forwarded, boolean hasBody, boolean playlists,
                                    boolean mpds) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().toLowerCase(Locale.ROOT);
        boolean manifest = playlists && path.endsWith(".m3u8") || mpds && path.endsWith(".mpd");
        if (!method.equals("GET") || hasBody || !manifest || forwarded.has("Range")) {
            return Optional.empty();
        }
        return Optional.of(ofGet(uri, forwarded));
    }

    /**
     * The key of any GET for {@code uri} as the origin receives it: also what tells the decrypting mode's kept init
     * segments apart ({@link InitSegments}).
     */
    static PlaylistKey ofGet(URI uri, Headers forwarded) {
        var headers = new TreeMap<String, List<String>>();
        for (Headers.Field field : forwarded.fields()) {
            String name = field.name().toLowerCase(Locale.ROOT);
            if (!REQUESTER.contains(name)) {
                headers.computeIfAbsent(name, n -> new ArrayList<>()).add(field.value());
            }
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        return new PlaylistKey(uri.toString(), Collections.unmodifiableMap(headers));
    }
}
