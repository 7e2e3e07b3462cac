package dev.sprox.security;

import java.util.Locale;

/**
 * The one rule for paths that could climb out of where they point: a segment that an origin would take for
 * {@code .} or {@code ..}. Origins decode before they resolve, so {@code %2e}, {@code %2f} and {@code %5c}
 * (and a plain backslash, a separator on Windows servers) count as what they decode to; Tomcat and Jetty drop
 * a segment's {@code ;} parameters before resolving, so {@code ..;x} and {@code .%3b} count as {@code ..} and
 * {@code .}. Route mapping and allowlist paths both ask here.
 */
public final class DotSegments {
    private DotSegments() {}

    /** @param rawPath a path as written on the wire, percent-encoding intact */
    public static boolean present(String rawPath) {
        if (plainWithoutLeadingDots(rawPath)) {
            return false;
        }
        String decoded = rawPath.toLowerCase(Locale.ROOT).replace("%2e", ".").replace("%2f", "/")
                .replace("%5c", "/").replace('\\', '/').replace("%3b", ";");
        for (String segment : decoded.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String name = parameters < 0 ? segment : segment.substring(0, parameters);
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Most paths (every segment URL of a playlist) have no escape, no backslash and no segment starting with a dot:
     * then no segment can be a dot segment, and the allocations of the full check are spared.
     */
    private static boolean plainWithoutLeadingDots(String rawPath) {
        if (rawPath.indexOf('%') >= 0 || rawPath.indexOf('\\') >= 0) {
            return false;
        }
        return !rawPath.startsWith(".") && !rawPath.contains("/.");
    }
}
