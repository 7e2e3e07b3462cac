package dev.sprox.http;

import java.util.Locale;
import java.util.Optional;

/**
 * A host name a route answers for: exact ({@code vod.example.com}), any subdomain at any depth
 * ({@code *.vod.example.com}, which does not match {@code vod.example.com} itself), or any host ({@code *}).
 * Comparison ignores case and a trailing dot.
 */
public record HostPattern(String pattern) {

    /** The pattern, normalised; empty when it is not one of the three shapes. */
    public static Optional<HostPattern> parse(String text) {
        String normal = normalise(text.strip());
        if (normal.isEmpty()) {
            return Optional.empty();
        }
        String name = normal.startsWith("*.") ? normal.substring(2) : normal;
        if (normal.equals("*")) {
            return Optional.of(new HostPattern(normal));
        }
        if (name.isEmpty() || name.contains("*") || !name.matches("[a-z0-9_.\\-\\[\\]:]+")) {
            return Optional.empty();
        }
        return Optional.of(new HostPattern(normal));
    }

    public boolean matches(String host) {
        String candidate = normalise(host);
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return candidate.length() > suffix.length() && candidate.endsWith(suffix);
        }
        return candidate.equals(pattern);
    }

    static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
