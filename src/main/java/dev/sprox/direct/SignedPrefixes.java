package dev.sprox.direct;

import dev.sprox.security.DotSegments;
import dev.sprox.http.RequestRejected;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The signed prefixes of one answer: a URL under a base is written as {@code /proxy/base/<token>/<rest>}, the rest
 * exactly as it stands in the URL. A playlist of a thousand segments in one directory then costs one signature
 * instead of a thousand, and a DASH template stays a template the player completes ({@code $Number$} is part of
 * the rest). One token per base, signed when a URL first needs it.
 *
 * <p>A base is a canonical absolute http(s) URL ending in {@code /}, without query, user information or dot segments.
 * A rest has no fragment and no dot segments ({@link DotSegments}), so nothing written here climbs out of its
 * base; the endpoint refuses the same for what players send, and the destination guard judges the whole URL.
 */
final class SignedPrefixes {
    private final HeaderOverrides overrides;
    private final UrlSigning signing;
    /** Base to its {@code /proxy/base/<token>/}, or empty when the text cannot be a base. */
    private final Map<String, Optional<String>> prefixes = new HashMap<>();

    SignedPrefixes(HeaderOverrides overrides, UrlSigning signing) {
        this.overrides = overrides;
        this.signing = signing;
    }

    /** {@code absolute} as a prefix URL under {@code base}; empty when it is not under it, or cannot follow it. */
    Optional<String> under(String base, String absolute) {
        if (!absolute.startsWith(base)) {
            return Optional.empty();
        }
        String rest = absolute.substring(base.length());
        if (!canFollow(rest)) {
            return Optional.empty();
        }
        return prefix(base).map(prefix -> prefix + rest);
    }

    /**
     * {@code absolute} under its own directory: everything up to the last {@code /} before its query or its first
     * template identifier ({@code $}), so {@code https://cdn/v/$RepresentationID$/$Number$.m4s} is signed as
     * {@code https://cdn/v/}.
     */
    Optional<String> inDirectory(String absolute) {
        return directory(absolute).flatMap(base -> under(base, absolute));
    }

    /** The directory {@code absolute} lies in, as {@link #inDirectory} chooses it. */
    static Optional<String> directory(String absolute) {
        int scheme = absolute.indexOf("://");
        if (scheme < 0) {
            return Optional.empty();
        }
        int pathStart = absolute.indexOf('/', scheme + 3);
        int end = absolute.length();
        for (char stop : new char[] {'?', '#', '$'}) {
            int at = absolute.indexOf(stop);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        int slash = end == 0 ? -1 : absolute.lastIndexOf('/', end - 1);
        if (pathStart < 0 || slash < pathStart) {
            return Optional.empty();
        }
        return Optional.of(absolute.substring(0, slash + 1));
    }

    private Optional<String> prefix(String base) {
        return prefixes.computeIfAbsent(base, b -> isBase(b) ? Optional.of(DirectUrls.prefix(b, overrides, signing))
                : Optional.empty());
    }

    static boolean isBase(String base) {
        if (!base.endsWith("/") || base.indexOf('?') >= 0 || base.indexOf('#') >= 0) {
            return false;
        }
        try {
            URI parsed = Destination.parse(base);
            return parsed.toString().equals(base) && !DotSegments.present(parsed.getRawPath());
        } catch (RequestRejected notADestination) {
            return false;
        }
    }

    static boolean canFollow(String rest) {
        if (rest.indexOf('#') >= 0) {
            return false;
        }
        int query = rest.indexOf('?');
        return !DotSegments.present(query < 0 ? rest : rest.substring(0, query));
    }
}
