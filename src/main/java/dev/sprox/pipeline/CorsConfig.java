package dev.sprox.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * Cross-origin access for browser players.
 *
 * @param allowOrigins exact origins ({@code https://app.example.com}) or {@code *}
 * @param allowMethods upper-case methods a preflight may ask for
 * @param allowHeaders lower-case request header names a preflight may ask for
 * @param exposeHeaders response headers scripts may read (so players can seek: Content-Range...)
 */
public record CorsConfig(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                         List<String> exposeHeaders, Duration maxAge, boolean allowCredentials) {

    public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "OPTIONS");
    public static final List<String> DEFAULT_EXPOSE = List.of("Content-Length", "Content-Range", "Accept-Ranges");

    public CorsConfig {
        allowOrigins = List.copyOf(allowOrigins);
        allowMethods = List.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }

    public boolean anyOrigin() {
        return allowOrigins.contains("*");
    }
}
