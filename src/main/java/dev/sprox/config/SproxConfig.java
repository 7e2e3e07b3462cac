package dev.sprox.config;

import dev.sprox.direct.DirectStreamConfig;
import dev.sprox.drm.DrmConfig;
import dev.sprox.ops.OpsConfig;
import dev.sprox.pipeline.CorsConfig;
import dev.sprox.route.Feature;
import dev.sprox.route.RouteConfig;
import dev.sprox.security.Cidr;
import dev.sprox.security.RateLimitConfig;
import dev.sprox.security.SensitiveLogging;
import dev.sprox.server.ListenerConfig;
import dev.sprox.server.ServerSettings;
import dev.sprox.telemetry.LoggingSettings;
import dev.sprox.telemetry.TracingConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A complete, validated configuration. Immutable; a reload builds a new one.
 *
 * @param origin  where it came from, for logs: a directory, a file, or the embedded default
 * @param tracing empty when no tracing endpoint is configured: spans are then never recorded
 * @param directStream always present; by default it allows no destination at all
 * @param ops          limits of the ops endpoints
 * @param drm          always present; by default no keys and no key server
 */
public record SproxConfig(String origin, List<ListenerConfig> listeners, List<RouteConfig> routes,
                          List<Cidr> trustedProxies, ServerSettings server, LoggingSettings logging,
                          SensitiveLogging sensitiveLogging, Set<Feature> features,
                          Optional<RateLimitConfig> rateLimit, Optional<CorsConfig> cors,
                          Optional<TracingConfig> tracing, DirectStreamConfig directStream,
                          OpsConfig ops, DrmConfig drm) {

    public SproxConfig {
        listeners = List.copyOf(listeners);
        routes = List.copyOf(routes);
        trustedProxies = List.copyOf(trustedProxies);
        features = Set.copyOf(features);
    }

    public boolean has(Feature feature) {
        return features.contains(feature);
    }
}
