package dev.sprox.runtime;

import dev.sprox.config.SproxConfig;
import dev.sprox.direct.DirectCredentials;
import dev.sprox.direct.DirectStreams;
import dev.sprox.drm.KeyLookup;
import dev.sprox.route.RouteTable;
import dev.sprox.security.RateLimiter;
import dev.sprox.security.Redaction;
import dev.sprox.telemetry.Tracing;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything a request needs, built from one configuration and never changed: a request takes the current
 * snapshot once and uses it to the end, while a reload builds the next one beside it. A retired snapshot
 * closes its upstream clients (routes' and direct streams') and wipes its keys when its last request has finished.
 */
public final class Snapshot {
    private static final int RETIRED = 1 << 30;

    private final long generation;
    private final SproxConfig config;
    private final Instant loadedAt;
    private final RouteTable routes;
    private final DirectStreams direct;
    private final KeyLookup keys;
    private final Optional<RateLimiter> rateLimiter;
    private final Tracing tracing;
    private final Redaction redaction;
    private final DirectCredentials directCredentials;
    /** Requests in flight, plus {@link #RETIRED} once replaced. */
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param rateLimiter carried over from the previous snapshot when its settings did not change
     * @param tracing     likewise; closed by whoever replaces it, since several snapshots may share it
     * @param keys        closed (every key wiped) with the snapshot
     */
    public Snapshot(long generation, SproxConfig config, Instant loadedAt, RouteTable routes, DirectStreams direct,
                    KeyLookup keys, Optional<RateLimiter> rateLimiter, Tracing tracing) {
        this.generation = generation;
        this.config = config;
        this.loadedAt = loadedAt;
        this.routes = routes;
        this.direct = direct;
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        this.tracing = tracing;
        this.redaction = Redaction.of(config.sensitiveLogging(), config.directStream().redactDestinationQuery());
        this.directCredentials = DirectCredentials.of(config.directStream());
    }

    /** What direct requests must present, and the key that signs the URLs sprox writes for them. */
    public DirectCredentials directCredentials() {
        return directCredentials;
    }

    /** How this configuration's logs and spans show secrets. */
    public Redaction redaction() {
        return redaction;
    }

    public Tracing tracing() {
        return tracing;
    }

    public Optional<RateLimiter> rateLimiter() {
        return rateLimiter;
    }

    /** Counts from 1 at start-up and goes up with each successful reload. */
    public long generation() {
        return generation;
    }

    public SproxConfig config() {
        return config;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public RouteTable routes() {
        return routes;
    }

    public DirectStreams direct() {
        return direct;
    }

    /** Where the licence endpoint finds keys under this configuration. */
    public KeyLookup keys() {
        return keys;
    }

    /** Registers a request; false when this snapshot was retired and the caller must take the current one. */
    public boolean tryAcquire() {
        int now = users.incrementAndGet();
        if (now >= RETIRED) {
            release();
            return false;
        }
        return true;
    }

    public void release() {
        if (users.decrementAndGet() == RETIRED) {
            closeOnce();
        }
    }

    /** Marks the snapshot replaced; its resources close now or when its last request ends. */
    void retire() {
        if (users.addAndGet(RETIRED) == RETIRED) {
            closeOnce();
        }
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            routes.close();
            direct.close();
            keys.close();
        }
    }
}
