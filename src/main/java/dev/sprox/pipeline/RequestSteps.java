package dev.sprox.pipeline;

import dev.sprox.security.Cidr;
import dev.sprox.security.RateLimiter;
import dev.sprox.security.Redaction;
import dev.sprox.server.ListenerConfig;
import dev.sprox.telemetry.Tracing;
import java.util.List;
import java.util.Optional;

/**
 * What one configuration generation gives the steps every request goes through.
 *
 * @param generation     1 at start-up, up by one with each successful reload
 * @param trustedProxies peers whose {@code X-Forwarded-For} names the client
 * @param listeners      every configured listener, for redirects to the HTTPS one
 * @param accessLog      whether each request writes an access-log line
 */
public record RequestSteps(long generation, Endpoints endpoints, RouteMatcher routes, List<Cidr> trustedProxies,
                           Optional<CorsConfig> cors, Optional<RateLimiter> rateLimiter, Tracing tracing,
                           Redaction redaction, List<ListenerConfig> listeners, boolean accessLog) {}
