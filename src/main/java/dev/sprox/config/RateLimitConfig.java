package dev.sprox.config;

import java.util.Optional;

/**
 * Request rate limits: a bucket per client address (after {@code trusted_proxies}), an optional global
 * one for the whole process, and a stricter per-client one that only failed authentication spends.
 */
public record RateLimitConfig(Bucket perClient, Optional<Bucket> global, Bucket authFailures,
                              int maxTrackedClients) {

    public static final int DEFAULT_MAX_TRACKED_CLIENTS = 100_000;
    /** Ten guesses at once, then one every ten seconds: a client that mistyped recovers, a guesser crawls. */
    public static final Bucket DEFAULT_AUTH_FAILURES = new Bucket(0.1, 10);

    /** @param burst requests allowed at once; {@code perSecond} refills it */
    public record Bucket(double perSecond, int burst) {}
}
