package dev.sprox.runtime;

import dev.sprox.config.SproxConfig;
import dev.sprox.direct.DirectCredentials;
import dev.sprox.direct.DirectStreams;
import dev.sprox.drm.KeyLookup;
import dev.sprox.pipeline.Generation;
import dev.sprox.route.RouteTable;
import dev.sprox.security.RateLimiter;
import dev.sprox.security.Redaction;
import dev.sprox.telemetry.Tracing;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything built from one configuration and never changed: the request steps requests run under (see
 * {@link Generation}), and the parts they were built from. A reload builds the next snapshot beside the current
 * one and swaps it in whole; the retired one closes its upstream clients and wipes its keys when its last
 * request has finished.
 */
public record Snapshot(SproxConfig config, Instant loadedAt, RouteTable routes, DirectStreams direct, KeyLookup keys,
                       DirectCredentials directCredentials, Generation requests) {

    /** Counts from 1 at start-up and goes up with each successful reload. */
    public long generation() {
        return requests.steps().generation();
    }

    public Tracing tracing() {
        return requests.steps().tracing();
    }

    /** How this configuration's logs and spans show secrets. */
    public Redaction redaction() {
        return requests.steps().redaction();
    }

    public Optional<RateLimiter> rateLimiter() {
        return requests.steps().rateLimiter();
    }
}
