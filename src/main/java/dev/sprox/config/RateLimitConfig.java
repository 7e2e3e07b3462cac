package dev.sprox.config;

import java.util.Optional;

/**
 * Request rate limits: a bucket per client address (after {@code trusted_proxies}) and an optional global
 * one for the whole process.
 */
public record RateLimitConfig(Bucket perClient, Optional<Bucket> global, int maxTrackedClients) {

    public static final int DEFAULT_MAX_TRACKED_CLIENTS = 100_000;

    /** @param burst requests allowed at once; {@code perSecond} refills it */
    public record Bucket(double perSecond, int burst) {}
}
