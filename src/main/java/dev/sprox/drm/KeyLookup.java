package dev.sprox.drm;

import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where one configuration snapshot finds keys: its {@link ContentKeyStore} (filled from {@code drm.keys}), then
 * {@code drm.key_server}. Lookups of one KID that arrive while the key server is being asked share that one
 * request; an answered key stays in the store for {@code cache_ttl_s} (or only for the requests that shared its
 * fetch, when that is 0), a "no such key" is remembered for {@code miss_ttl_s}, and a key server that keeps
 * failing is not asked at all for a while ({@link CircuitBreaker}): the licence request gets a quick 502.
 *
 * <p>Each lookup is timed by source and result and is a span naming the KID (not secret), never the key.
 * Closed with the snapshot, which wipes every key it held.
 */
public final class KeyLookup implements AutoCloseable {
    /** Unknown KIDs remembered at once: a client inventing KIDs cannot grow this without bound. */
    private static final int MAX_MISSES = 10_000;
    /** Expired keys are wiped within this long even when nobody asks for keys. */
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sprox-key-sweeper");
        thread.setDaemon(true);
        return thread;
    });

    private final ContentKeyStore store;
    private final Metrics metrics;
    private final InstantSource clock;
    private final Optional<Remote> remote;
    private final Optional<ScheduledFuture<?>> sweep;
    private final boolean hasStaticKeys;

    /** The key server and what goes with asking it. */
    private record Remote(KeyServerClient client, DrmConfig.KeyServer config, CircuitBreaker breaker,
                          ReentrantLock lock, Map<Kid, Flight> flights, LinkedHashMap<Kid, Instant> misses) {}

    /** One request to the key server and the lookups sharing it; the last one to leave wipes its key. */
    private static final class Flight {
        final CompletableFuture<KeyServerClient.Fetched> answer = new CompletableFuture<>();
        int holders = 1;
    }

    private KeyLookup(ContentKeyStore store, boolean hasStaticKeys, Metrics metrics, InstantSource clock,
                      Optional<Remote> remote) {
        this.store = store;
        this.hasStaticKeys = hasStaticKeys;
        this.metrics = metrics;
        this.clock = clock;
        this.remote = remote;
        this.sweep = remote.map(r -> SWEEPER.scheduleWithFixedDelay(store::purgeExpired, SWEEP_INTERVAL.toMillis(),
                SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * Takes ownership of the configuration's static keys.
     *
     * @throws IOException when the key server's TLS files cannot be read; the message names the file
     */
    public static KeyLookup build(DrmConfig config, Metrics metrics) throws IOException, GeneralSecurityException {
        var store = new ContentKeyStore(InstantSource.system(), ContentKeyStore.DEFAULT_CAPACITY);
        config.keys().forEach(k -> store.putStatic(k.kid(), k.key()));
        Optional<Remote> remote = Optional.empty();
        if (config.keyServer().isPresent()) {
            try {
                remote = Optional.of(new Remote(KeyServerClient.start(config.keyServer().get()),
                        config.keyServer().get(), new CircuitBreaker(
                        config.keyServer().get().circuitBreaker().failures(),
                        config.keyServer().get().circuitBreaker().open(),
                        System::nanoTime), new ReentrantLock(), new HashMap<>(), new LinkedHashMap<>()));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return new KeyLookup(store, !config.keys().isEmpty(), metrics, InstantSource.system(), remote);
    }

    /** The outcome of looking up one KID. */
    public sealed interface Lookup {
        /** A copy of the key, for the caller to close once written out. */
        record Found(ContentKey key, String source) implements Lookup {}

        record NotFound(String source) implements Lookup {}

        /** The key server could not say; the licence request fails with 502 rather than guess. */
        record Unavailable(String reason) implements Lookup {}
    }

    public Lookup find(Kid kid, Tracing tracing) {
        Span span = tracing.tracer().spanBuilder("drm key lookup").setAttribute("sprox.drm.kid", kid.hex())
                .startSpan();
        long start = System.nanoTime();
        Lookup lookup;
        try (Scope _ = span.makeCurrent()) {
            lookup = store.copy(kid).<Lookup>map(found -> new Lookup.Found(found.key(),
                            found.source() == KeySource.STATIC ? Metrics.DRM_STATIC : Metrics.DRM_CACHE))
                    .orElseGet(() -> remote.map(r -> fromKeyServer(r, kid, tracing))
                            .orElse(new Lookup.NotFound(Metrics.DRM_STATIC)));
        }
        String source = switch (lookup) {
            case Lookup.Found f -> f.source();
            case Lookup.NotFound n -> n.source();
            case Lookup.Unavailable u -> Metrics.DRM_KEY_SERVER;
        };
        String result = switch (lookup) {
            case Lookup.Found f -> "found";
            case Lookup.NotFound n -> "not_found";
            case Lookup.Unavailable u -> "error";
        };
        metrics.drmKeyLookup(source, result, System.nanoTime() - start);
        span.setAttribute("sprox.drm.key.source", source).setAttribute("sprox.drm.key.result", result);
        if (lookup instanceof Lookup.Unavailable unavailable) {
            span.setAttribute("error.type", unavailable.reason()).setStatus(StatusCode.ERROR);
        }
        span.end();
        return lookup;
    }

    /** Whether any key could be found at all: static keys, or a key server to ask. */
    public boolean mayHoldKeys() {
        return remote.isPresent() || hasStaticKeys;
    }

    /**
     * Whether a licence request for this KID would be answered with its key now; the key server is asked (and its
     * answer cached) as a licence request would. The key copy the lookup makes is wiped at once.
     */
    public boolean holds(Kid kid, Tracing tracing) {
        if (find(kid, tracing) instanceof Lookup.Found found) {
            found.key().close();
            return true;
        }
        return false;
    }

    private Lookup fromKeyServer(Remote remote, Kid kid, Tracing tracing) {
        Flight flight;
        boolean leader = false;
        remote.lock().lock();
        try {
            Instant missUntil = remote.misses().get(kid);
            if (missUntil != null && clock.instant().isBefore(missUntil)) {
                return new Lookup.NotFound(Metrics.DRM_CACHE);
            }
            flight = remote.flights().get(kid);
            if (flight == null) {
                flight = new Flight();
                remote.flights().put(kid, flight);
                leader = true;
            } else {
                flight.holders++;
            }
        } finally {
            remote.lock().unlock();
        }
        try {
            if (leader) {
                flight.answer.complete(ask(remote, kid, tracing));
            }
            KeyServerClient.Fetched fetched = flight.answer.get(
                    remote.config().connectTimeout().plus(remote.config().readTimeout()).toMillis() + 1_000,
                    TimeUnit.MILLISECONDS);
            return switch (fetched) {
                case KeyServerClient.Fetched.Found found -> new Lookup.Found(found.key().copy(), Metrics.DRM_KEY_SERVER);
                case KeyServerClient.Fetched.NotFound notFound -> new Lookup.NotFound(Metrics.DRM_KEY_SERVER);
                case KeyServerClient.Fetched.Failed failed -> new Lookup.Unavailable(failed.kind());
            };
        } catch (TimeoutException e) {
            metrics.drmKeyServerError("timeout");
            return new Lookup.Unavailable("timeout");
        } catch (ExecutionException e) {
            return new Lookup.Unavailable("unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Lookup.Unavailable("interrupted");
        } finally {
            leave(remote, flight);
        }
    }

    /** The leader's one request: through the breaker, into the store and the miss memory, out of the flights. */
    private KeyServerClient.Fetched ask(Remote remote, Kid kid, Tracing tracing) {
        KeyServerClient.Fetched fetched;
        if (!remote.breaker().allow()) {
            fetched = new KeyServerClient.Fetched.Failed("circuit_open");
        } else {
            try {
                fetched = remote.client().fetch(kid, tracing);
            } catch (RuntimeException unexpected) {
                fetched = new KeyServerClient.Fetched.Failed("unreachable");
            }
            if (fetched instanceof KeyServerClient.Fetched.Failed) {
                remote.breaker().failed();
            } else {
                remote.breaker().succeeded();
            }
        }
        if (fetched instanceof KeyServerClient.Fetched.Failed failed) {
            metrics.drmKeyServerError(failed.kind());
        }
        if (fetched instanceof KeyServerClient.Fetched.Found found && !remote.config().cacheTtl().isZero()) {
            store.put(kid, found.key().copy(), remote.config().cacheTtl());
        }
        remote.lock().lock();
        try {
            if (fetched instanceof KeyServerClient.Fetched.NotFound && !remote.config().missTtl().isZero()) {
                remote.misses().remove(kid);
                remote.misses().put(kid, clock.instant().plus(remote.config().missTtl()));
                if (remote.misses().size() > MAX_MISSES) {
                    remote.misses().pollFirstEntry();
                }
            }
            remote.flights().remove(kid);
        } finally {
            remote.lock().unlock();
        }
        return fetched;
    }

    private static void leave(Remote remote, Flight flight) {
        remote.lock().lock();
        try {
            if (--flight.holders > 0) {
                return;
            }
        } finally {
            remote.lock().unlock();
        }
        if (flight.answer.getNow(null) instanceof KeyServerClient.Fetched.Found found) {
            found.key().close();
        }
    }

    /** What {@code /keys} shows. */
    public List<ContentKeyStore.Listing> list() {
        return store.list();
    }

    @Override
    public void close() {
        sweep.ifPresent(s -> s.cancel(false));
        remote.ifPresent(r -> r.client().close());
        store.close();
    }
}
