package dev.sprox.hls;

/**
 * A fast check for the common shape of an absolute http(s) URI: plain ASCII RFC 3986 characters, a
 * non-empty authority without an IP literal. Text that passes is always accepted by {@link java.net.URI}
 * (whose RFC 2396 sets contain all of these), so the costly parse can be skipped; anything else
 * (IPv6 literals, non-ASCII, odd characters) goes through java.net.URI for a verdict.
 */
final class HttpUriSyntax {

    private static final boolean[] AUTHORITY = allowed("-._~!$&'()*+,;=:@");
    private static final boolean[] PATH_QUERY = allowed("-._~!$&'()*+,;=:@/?");

    private HttpUriSyntax() {}

    static boolean isPlainAbsoluteHttp(String uri) {
        int authorityStart = authorityStart(uri);
        if (authorityStart < 0) {
            return false;
        }
        int n = uri.length();
        int i = authorityStart;
        for (; i < n; i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                break;
            }
            if (c < 128 && AUTHORITY[c]) {
                continue;
            }
            if (c != '%' || !isEscape(uri, i)) {
                return false;
            }
            i += 2;
        }
        if (i == authorityStart) {
            return false; // empty authority
        }
        boolean inFragment = false;
        for (; i < n; i++) {
            char c = uri.charAt(i);
            if (c < 128 && PATH_QUERY[c]) {
                continue;
            }
            if (c == '%' && isEscape(uri, i)) {
                i += 2;
            } else if (c == '#' && !inFragment) {
                inFragment = true;
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * For a relative-path reference made of plain characters (e.g. "seg_001.ts?t=1#x"), where its path ends;
     * otherwise -1 (empty, starting with '/', holding a scheme, or anything the fast check cannot vouch for).
     * Appended to a plain absolute URL's directory, such a reference gives a plain absolute URL.
     */
    static int plainRelativePathEnd(String reference) {
        int n = reference.length();
        int pathEnd = -1;
        boolean inFragment = false;
        for (int i = 0; i < n; i++) {
            char c = reference.charAt(i);
            if (c == '?' || c == '#') {
                pathEnd = pathEnd < 0 ? i : pathEnd;
            }
            if (c == ':' && pathEnd < 0 && reference.lastIndexOf('/', i) < 0) {
                return -1; // a scheme, or a first segment with ':' that is no relative path (§4.2)
            }
            if (c < 128 && PATH_QUERY[c]) {
                continue;
            }
            if (c == '%' && isEscape(reference, i)) {
                i += 2;
            } else if (c == '#' && !inFragment) {
                inFragment = true;
            } else {
                return -1;
            }
        }
        pathEnd = pathEnd < 0 ? n : pathEnd;
        return pathEnd == 0 || reference.charAt(0) == '/' ? -1 : pathEnd;
    }

    /** "%" HEXDIG HEXDIG at index i. */
    private static boolean isEscape(String uri, int i) {
        return i + 2 < uri.length() && isHex(uri.charAt(i + 1)) && isHex(uri.charAt(i + 2));
    }

    /** Index after "http://" or "https://" (any case), or -1. */
    private static int authorityStart(String uri) {
        int colon = uri.startsWith("://", 4) ? 4 : uri.startsWith("://", 5) ? 5 : -1;
        if (colon == 4 && uri.regionMatches(true, 0, "http", 0, 4) || colon == 5 && uri.regionMatches(true, 0, "https", 0, 5)) {
            return colon + 3;
        }
        return -1;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean[] allowed(String punctuation) {
        boolean[] table = new boolean[128];
        for (char c = 'a'; c <= 'z'; c++) {
            table[c] = true;
            table[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            table[c] = true;
        }
        punctuation.chars().forEach(c -> table[c] = true);
        return table;
    }
}
