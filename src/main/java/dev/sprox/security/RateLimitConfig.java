package dev.sprox.security;

import java.util.Optional;

/**
 * Request rate limits: a bucket per client address (after {@code trusted_proxies}), an optional global
 * one for the whole process, a stricter per-client one that only failed authentication spends, and a
 * stricter per-client one for the endpoints that hand out keys or credentials.
 *
 * @param ipv6Prefix             IPv6 clients of the ordinary and key-endpoint buckets are keyed by this prefix
 *                               length (128: each address)
 * @param authFailuresIpv6Prefix the same for the failure bucket: one subscriber holds a whole /64, so keying
 *                               guesses by address would give it 2^64 fresh buckets
 */
public record RateLimitConfig(Bucket perClient, Optional<Bucket> global, Bucket authFailures,
                              Bucket keyEndpoints, int maxTrackedClients, int ipv6Prefix,
                              int authFailuresIpv6Prefix) {

    public static final int DEFAULT_MAX_TRACKED_CLIENTS = 100_000;
    /** Ten guesses at once, then one every ten seconds: a client that mistyped recovers, a guesser crawls. */
    public static final Bucket DEFAULT_AUTH_FAILURES = new Bucket(0.1, 10);
    /** A player or backend asks for a few keys or URLs at a time; thousands a minute is harvesting. */
    public static final Bucket DEFAULT_KEY_ENDPOINTS = new Bucket(1, 10);
    public static final int DEFAULT_IPV6_PREFIX = 128;
    public static final int DEFAULT_AUTH_FAILURES_IPV6_PREFIX = 64;

    /** @param burst requests allowed at once; {@code perSecond} refills it */
    public record Bucket(double perSecond, int burst) {}
}
