package dev.sprox.dash;

import dev.sprox.hls.PlaylistException;
import dev.sprox.hls.UriResolver;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * RFC 3986 resolution of MPD references through the HLS engine's {@link UriResolver}, with one resolver per
 * distinct base (an MPD has a handful of BaseURLs and many references under each).
 */
final class References {
    private final Map<String, UriResolver> resolvers = new HashMap<>();

    /**
     * The absolute http(s) URL {@code reference} names under {@code base}, or null when it names another scheme
     * (or the base is not http(s), so nothing under it can be fetched through a proxy).
     */
    String resolve(String base, String reference, int line) throws MpdException {
        if (base == null) {
            return null;
        }
        UriResolver resolver = resolvers.get(base);
        if (resolver == null) {
            resolver = new UriResolver(URI.create(base));
            resolvers.put(base, resolver);
        }
        try {
            return resolver.resolve(reference, line);
        } catch (PlaylistException e) {
            throw new MpdException(line, e.reason());
        }
    }

    /**
     * RFC 3986 §4.2: a relative-path reference (no scheme, not starting with '/') is appended to whatever base
     * is in force where the player reads it, so once the bases above it come back through the proxy, it does too.
     */
    static boolean isRelativePath(String reference) {
        if (reference.startsWith("/")) {
            return false;
        }
        for (int i = 0; i < reference.length(); i++) {
            char c = reference.charAt(i);
            if (c == ':') {
                return false;
            }
            if (c == '/' || c == '?' || c == '#') {
                return true;
            }
        }
        return true;
    }
}
