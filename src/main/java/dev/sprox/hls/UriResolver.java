package dev.sprox.hls;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Turns a reference into a checked absolute http(s) URI: RFC 3986 §5.2 resolution on raw text, against the
 * URL the playlist was finally fetched from. Done by hand rather than with {@link URI#resolve} because that
 * follows RFC 2396: it keeps leading "../" above the root and mishandles empty and query-only references.
 * Nothing is decoded or re-encoded. Shared by the HLS rewriter and the DASH engine ({@code dev.sprox.dash}), where
 * nested {@code BaseURL}s each become the base of the next level.
 */
public final class UriResolver {

    private final String scheme;
    private final String authority;
    private final String path;
    private final String query;
    /** The base path up to and including its last '/': what a relative path is appended to (§5.2.3). */
    private final String directory;
    /** Scheme, authority and directory: with a plain relative path (no dot segments) that is the whole result. */
    private final String directoryUrl;
    private final boolean directoryHasDotSegment;
    private final boolean directoryUrlIsPlain;

    public UriResolver(URI base) {
        if (!base.isAbsolute() || base.isOpaque() || !isHttp(base.getScheme())
                || base.getRawAuthority() == null || base.getRawAuthority().isEmpty()) {
            throw new IllegalArgumentException("playlist URL must be an absolute http(s) URL: " + base);
        }
        scheme = base.getScheme();
        authority = base.getRawAuthority();
        path = base.getRawPath() == null ? "" : base.getRawPath();
        query = base.getRawQuery();
        directory = path.isEmpty() ? "/" : path.substring(0, path.lastIndexOf('/') + 1);
        directoryUrl = scheme + "://" + authority + directory;
        directoryHasDotSegment = hasDotSegment(directory, directory.length());
        directoryUrlIsPlain = HttpUriSyntax.isPlainAbsoluteHttp(directoryUrl);
    }

    /** The raw query of the playlist URL, or null. */
    String query() {
        return query;
    }

    /**
     * Resolves a reference to an absolute http(s) URI that {@link URI} accepts, as raw text. Returns null for a
     * reference with a scheme other than http or https (skd:, data:, urn:...): those are not fetched through a
     * proxy and are left as written. An absolute http(s) reference is returned exactly as written.
     */
    public String resolve(String reference, int line) throws PlaylistException {
        if (directoryUrlIsPlain) {
            int pathEnd = HttpUriSyntax.plainRelativePathEnd(reference);
            if (pathEnd > 0 && !directoryHasDotSegment && !hasDotSegment(reference, pathEnd)) {
                return directoryUrl.concat(reference); // the usual segment reference, e.g. "seg_001.ts?t=1"
            }
        }
        String resolved = resolveText(reference, line);
        if (resolved != null && !HttpUriSyntax.isPlainAbsoluteHttp(resolved)) {
            requireParsable(resolved, line);
        }
        return resolved;
    }

    /** The slow path: java.net.URI has the last word on what the fast check could not vouch for. */
    private static void requireParsable(String resolved, int line) throws PlaylistException {
        URI uri;
        try {
            uri = new URI(resolved);
        } catch (URISyntaxException e) {
            throw new PlaylistException(line, "not a valid URI (" + e.getReason() + " at index " + e.getIndex()
                    + "): " + Abbreviation.of(resolved));
        }
        if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw new PlaylistException(line, "http(s) URI without a host: " + Abbreviation.of(resolved));
        }
    }

    /** §5.2.2 on raw text, unchecked. */
    private String resolveText(String reference, int line) throws PlaylistException {
        int length = reference.length();
        int schemeEnd = schemeEnd(reference);
        if (schemeEnd > 0) {
            String referenceScheme = reference.substring(0, schemeEnd);
            if (!isValidScheme(referenceScheme)) {
                throw new PlaylistException(line, "not a URI reference (bad scheme \"" + referenceScheme + "\"): "
                        + Abbreviation.of(reference));
            }
            return isHttp(referenceScheme) ? reference : null;
        }
        int queryStart = pathEnd(reference);
        StringBuilder target = new StringBuilder(authority.length() + directory.length() + length + 16)
                .append(scheme).append("://");
        if (reference.startsWith("//")) { // network-path reference (§4.2): only the scheme is inherited
            int authorityEnd = reference.indexOf('/', 2);
            authorityEnd = authorityEnd < 0 ? queryStart : Math.min(authorityEnd, queryStart);
            target.append(reference, 2, authorityEnd)
                    .append(removeDotSegments(reference.substring(authorityEnd, queryStart)))
                    .append(reference, queryStart, length);
            return target.toString();
        }
        target.append(authority);
        if (queryStart == 0) { // empty path: the base path, and the base query unless the reference has one
            target.append(path);
            if (!reference.startsWith("?") && query != null) {
                target.append('?').append(query);
            }
            return target.append(reference).toString();
        }
        String referencePath = reference.substring(0, queryStart);
        target.append(removeDotSegments(referencePath.charAt(0) == '/' ? referencePath : directory + referencePath))
                .append(reference, queryStart, length);
        return target.toString();
    }

    /** §5.2.4, skipped when no segment is "." or ".." (the common case). */
    static String removeDotSegments(String input) {
        if (!hasDotSegment(input, input.length())) {
            return input;
        }
        StringBuilder output = new StringBuilder(input.length());
        int i = 0;
        int n = input.length();
        while (i < n) {
            if (input.startsWith("../", i)) {                                   // A
                i += 3;
            } else if (input.startsWith("./", i)) {                             // A
                i += 2;
            } else if (input.startsWith("/./", i)) {                            // B
                i += 2;
            } else if (i + 2 == n && input.startsWith("/.", i)) {               // B
                output.append('/');
                i = n;
            } else if (input.startsWith("/../", i)) {                           // C
                removeLastSegment(output);
                i += 3;
            } else if (i + 3 == n && input.startsWith("/..", i)) {              // C
                removeLastSegment(output);
                output.append('/');
                i = n;
            } else if (i + 1 == n && input.charAt(i) == '.'
                    || i + 2 == n && input.startsWith("..", i)) {              // D
                i = n;
            } else {                                                            // E
                int next = input.indexOf('/', i + 1);
                next = next < 0 ? n : next;
                output.append(input, i, next);
                i = next;
            }
        }
        return output.toString();
    }

    /** Whether path[0, end) has a "." or ".." segment. */
    private static boolean hasDotSegment(String path, int end) {
        int segmentStart = 0;
        for (int i = 0, n = end; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                int length = i - segmentStart;
                if (length == 1 && path.charAt(segmentStart) == '.'
                        || length == 2 && path.charAt(segmentStart) == '.' && path.charAt(segmentStart + 1) == '.') {
                    return true;
                }
                segmentStart = i + 1;
            }
        }
        return false;
    }

    private static void removeLastSegment(StringBuilder output) {
        output.setLength(Math.max(0, output.lastIndexOf("/")));
    }

    /** Appendix B: a scheme is whatever precedes a ':' that comes before any '/', '?' or '#'. */
    private static int schemeEnd(String reference) {
        for (int i = 0, n = reference.length(); i < n; i++) {
            char c = reference.charAt(i);
            if (c == ':') {
                return i;
            }
            if (c == '/' || c == '?' || c == '#') {
                return -1;
            }
        }
        return -1;
    }

    /** §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
    private static boolean isValidScheme(String scheme) {
        for (int i = 0; i < scheme.length(); i++) {
            char c = scheme.charAt(i);
            boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHttp(String scheme) {
        return "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    }

    /** Where the path of a reference ends: at its query, its fragment, or its end. */
    private static int pathEnd(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return text.length();
    }
}
