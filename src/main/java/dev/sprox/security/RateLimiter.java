package dev.sprox.security;

import dev.sprox.config.RateLimitConfig;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Per-client token buckets, plus an optional global one. Memory is bounded whatever the number of clients:
 * past {@code max_tracked_clients} the least recently seen client's bucket is dropped (a returning client
 * starts with a full bucket, which errs on the side of serving). Over the limit is refused, never queued.
 */
public final class RateLimiter {
    private final RateLimitConfig config;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, TokenBucket> clients;
    private final TokenBucket global;

    public RateLimiter(RateLimitConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
        int max = config.maxTrackedClients();
        this.clients = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, TokenBucket> eldest) {
                return size() > max;
            }
        };
        this.global = config.global().map(g -> new TokenBucket(g.burst(), g.perSecond(), clock.getAsLong()))
                .orElse(null);
    }

    public RateLimitConfig config() {
        return config;
    }

    /** Which bucket refused a request, and how long until it would admit one. */
    public record Refusal(String bucket, long retryAfterNanos) {}

    public Optional<Refusal> admit(InetAddress client) {
        lock.lock();
        try {
            long now = clock.getAsLong();
            long wait = clients.computeIfAbsent(client, c -> new TokenBucket(config.perClient().burst(),
                    config.perClient().perSecond(), now)).take(now);
            if (wait > 0) {
                return Optional.of(new Refusal("client", wait));
            }
            if (global != null) {
                long globalWait = global.take(now);
                if (globalWait > 0) {
                    return Optional.of(new Refusal("global", globalWait));
                }
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** Buckets held now; never more than {@code max_tracked_clients}. */
    public int trackedClients() {
        lock.lock();
        try {
            return clients.size();
        } finally {
            lock.unlock();
        }
    }
}
