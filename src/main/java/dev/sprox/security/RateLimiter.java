package dev.sprox.security;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Per-client token buckets, plus an optional global one, plus per-client buckets that only failed
 * authentication spends. Memory is bounded whatever the number of clients: past {@code max_tracked_clients}
 * the least recently seen client's bucket is dropped (a returning client starts with a full bucket, which
 * errs on the side of serving). Over the limit is refused, never queued. An IPv6 client is keyed by its
 * network prefix ({@code ipv6_prefix}, and a /64 for failed authentication by default): one subscriber holds a
 * whole /64 and could otherwise rotate through it for fresh buckets.
 */
public final class RateLimiter {
    public static final String CLIENT = "client";
    public static final String GLOBAL = "global";
    public static final String AUTH_FAILURES = "auth_failures";
    public static final String KEY_ENDPOINTS = "key_endpoints";

    private final RateLimitConfig config;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, TokenBucket> clients;
    /** Only clients that failed authentication have one, so honest traffic costs nothing here. */
    private final Map<InetAddress, TokenBucket> authFailures;
    /** Only clients that asked a key endpoint have one. */
    private final Map<InetAddress, TokenBucket> keyRequests;
    private final TokenBucket global;

    public RateLimiter(RateLimitConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        this.clients = leastRecentlySeen(config.maxTrackedClients());
        this.authFailures = leastRecentlySeen(config.maxTrackedClients());
        this.keyRequests = leastRecentlySeen(config.maxTrackedClients());
        this.global = config.global().map(g -> new TokenBucket(g.burst(), g.perSecond(), clock.getAsLong()))
                .orElse(null);
    }

    private static Map<InetAddress, TokenBucket> leastRecentlySeen(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, TokenBucket> eldest) {
                return size() > max;
            }
        };
    }

    public RateLimitConfig config() {
        return config;
    }

    /** Which bucket refused a request, and how long until it would admit one. */
    public record Refusal(String bucket, long retryAfterNanos) {
        /** As the client hears it: 429 with {@code Retry-After}. */
        public RequestRejected rejection() {
            return new RequestRejected(RequestError.RATE_LIMITED, "too many requests",
                    Optional.of(Duration.ofNanos(retryAfterNanos)));
        }
    }

    public Optional<Refusal> admit(InetAddress client) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            long wait = clients.computeIfAbsent(key(client, config.ipv6Prefix()), c -> new TokenBucket(config.perClient().burst(),
                    config.perClient().perSecond(), now)).take(now);
            if (wait > 0) {
                return Optional.of(new Refusal(CLIENT, wait));
            }
            if (global != null) {
                long globalWait = global.take(now);
                if (globalWait > 0) {
                    return Optional.of(new Refusal(GLOBAL, globalWait));
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether {@code client} may try to authenticate: refused once its failures have emptied its bucket, so
     * a guesser is stopped before its guesses reach the comparison. Spends nothing; see
     * {@link #authenticationFailed}.
     */
    public Optional<Refusal> admitAuthentication(InetAddress client) {
        lock.lock();
        try {
            TokenBucket bucket = authFailures.get(key(client, config.authFailuresIpv6Prefix()));
            long wait = bucket == null ? 0 : bucket.waitNanos(clock.getAsLong());
            return wait > 0 ? Optional.of(new Refusal(AUTH_FAILURES, wait)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Spends one of {@code client}'s requests to an endpoint that hands out keys or credentials, on top of what
     * {@link #admit} took: such an answer is worth more to a harvester than a segment is.
     */
    public Optional<Refusal> admitKeyRequest(InetAddress client) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            long wait = keyRequests.computeIfAbsent(key(client, config.ipv6Prefix()), c -> new TokenBucket(config.keyEndpoints().burst(),
                    config.keyEndpoints().perSecond(), now)).take(now);
            return wait > 0 ? Optional.of(new Refusal(KEY_ENDPOINTS, wait)) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Spends one of {@code client}'s authentication attempts. */
    public void authenticationFailed(InetAddress client) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            authFailures.computeIfAbsent(key(client, config.authFailuresIpv6Prefix()), c -> new TokenBucket(config.authFailures().burst(),
                    config.authFailures().perSecond(), now)).take(now);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bucket's key: an IPv4 address as it is, an IPv6 one with the bits after {@code prefix} cleared (and
     * without a zone). IPv4-mapped IPv6 addresses already arrive as IPv4 ({@link InetAddress} converts them).
     */
    static InetAddress key(InetAddress client, int prefix) {
        if (!(client instanceof Inet6Address) || prefix >= 128) {
            return client;
        }
        byte[] bytes = client.getAddress();
        for (int bit = prefix; bit < 128; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are always an IPv6 address", e);
        }
    }

    /** Buckets held now; never more than {@code max_tracked_clients} of each kind. */
    public int trackedClients() {
        lock.lock();
        try {
            return Math.max(clients.size(), Math.max(authFailures.size(), keyRequests.size()));
        } finally {
            lock.unlock();
        }
    }
}
