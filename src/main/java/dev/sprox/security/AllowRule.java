package dev.sprox.security;

import dev.sprox.http.HostPattern;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of {@code direct_stream.allowlist}: which hosts, schemes and paths a direct stream may fetch.
 *
 * @param domain  a host name or IP literal matched exactly, or {@code *.example.com}: any subdomain at any
 *                depth, never the apex itself; lower case, without a trailing dot
 * @param schemes {@code http} and/or {@code https}
 * @param paths   globs over the raw (still percent-encoded) path: {@code *} is one segment, {@code **} any
 *                number of segments; empty means any path
 * @param ports   the ports a destination may name; empty means only the default port of its scheme (80 for
 *                http, 443 for https), so {@code allow_cidrs} never opens every service of an internal host
 */
public record AllowRule(String domain, Set<String> schemes, List<String> paths, Set<Integer> ports) {
    public static final Set<String> DEFAULT_SCHEMES = Set.of("https");
    private static final Set<String> SCHEMES = Set.of("http", "https");

    public AllowRule {
        domain = normalise(domain);
        schemes = Set.copyOf(schemes);
        paths = List.copyOf(paths);
        ports = Set.copyOf(ports);
        for (int port : ports) {
            portProblem(port).ifPresent(p -> { throw new IllegalArgumentException(p); });
        }
        domainProblem(domain).ifPresent(p -> { throw new IllegalArgumentException(p); });
        for (String scheme : schemes) {
            schemeProblem(scheme).ifPresent(p -> { throw new IllegalArgumentException(p); });
        }
        for (String path : paths) {
            pathProblem(path).ifPresent(p -> { throw new IllegalArgumentException(p); });
        }
    }

    /** What is wrong with a {@code domain} as written, if anything. */
    public static Optional<String> domainProblem(String domain) {
        String normalised = normalise(domain);
        if (normalised.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (normalised.equals("*")) {
            return Optional.of("* would allow every host: name the domains (*.example.com allows its subdomains)");
        }
        if (HostPattern.parse(normalised).isEmpty()) {
            return Optional.of("not a host name, *.name or [IPv6 literal]: \"" + domain + "\"");
        }
        return Optional.empty();
    }

    public static Optional<String> schemeProblem(String scheme) {
        return SCHEMES.contains(scheme) ? Optional.empty()
                : Optional.of("unsupported scheme \"" + scheme + "\"; expected http or https");
    }

    public static Optional<String> portProblem(long port) {
        return port >= 1 && port <= 65_535 ? Optional.empty()
                : Optional.of("not a port (1-65535): " + port);
    }

    public static Optional<String> pathProblem(String glob) {
        if (!glob.startsWith("/")) {
            return Optional.of("path glob must start with /: \"" + glob + "\"");
        }
        if (glob.contains("?") || glob.contains("#")) {
            return Optional.of("path glob must not contain ? or #: \"" + glob + "\"");
        }
        return Optional.empty();
    }

    /** Host names compare without case and without the root's trailing dot. */
    static String normalise(String host) {
        String lower = host.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * @param host the destination's host, already {@linkplain #normalise normalised}
     * @param port the port the destination names, or -1 for its scheme's default
     */
    boolean matches(String scheme, String host, int port, String rawPath) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        return schemes.contains(lower) && matchesPort(lower, port) && matchesHost(host) && matchesPath(rawPath);
    }

    boolean matches(URI destination, String host) {
        // The guard has refused every destination without a server authority by now, so getPort() is the port.
        return destination.getScheme() != null && matches(destination.getScheme(), host, destination.getPort(),
                destination.getRawPath() == null ? "" : destination.getRawPath());
    }

    /** {@code https://h:443/} is {@code https://h/}: an explicit default port is the default port. */
    private boolean matchesPort(String scheme, int port) {
        int defaultPort = scheme.equals("http") ? 80 : 443;
        int named = port < 0 ? defaultPort : port;
        return ports.isEmpty() ? named == defaultPort : ports.contains(named);
    }

    /** The same rule as a route's host_patterns, so "*.example.com" means one thing everywhere. */
    private boolean matchesHost(String host) {
        return HostPattern.parse(domain).orElseThrow().matches(host);
    }

    /**
     * A path with dot segments ({@link DotSegments}) never matches a glob: the origin would resolve them and
     * {@code /vod/../admin} would escape {@code /vod/**}.
     */
    private boolean matchesPath(String rawPath) {
        if (paths.isEmpty()) {
            return true;
        }
        String path = rawPath.isEmpty() ? "/" : rawPath;
        if (DotSegments.present(path)) {
            return false;
        }
        return paths.stream().anyMatch(glob -> Glob.matches(glob, path));
    }

    /** {@code **} crosses segments, {@code *} stays within one; everything else is literal. */
    private static final class Glob {
        private Glob() {}

        static boolean matches(String glob, String path) {
            var regex = new StringBuilder();
            int literalStart = 0;
            for (int i = 0; i < glob.length(); i++) {
                if (glob.charAt(i) != '*') {
                    continue;
                }
                regex.append(Pattern.quote(glob.substring(literalStart, i)));
                boolean any = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                regex.append(any ? ".*" : "[^/]*");
                i += any ? 1 : 0;
                literalStart = i + 1;
            }
            regex.append(Pattern.quote(glob.substring(literalStart)));
            return Pattern.matches(regex.toString(), path);
        }
    }
}
