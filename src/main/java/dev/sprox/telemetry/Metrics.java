package dev.sprox.telemetry;

import dev.sprox.server.HttpServer;
import dev.sprox.tls.HandshakeResult;
import dev.sprox.tls.TlsObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntSupplier;

/**
 * The process-wide metric registry. It outlives configuration snapshots, so counters survive reloads.
 * Labels are bounded: endpoint names and status classes, never URLs or client addresses.
 */
public final class Metrics implements TlsObserver {
    /** Where a DRM key lookup was answered: the {@code source} label of {@code sprox.drm.key.lookup}. */
    public static final String DRM_STATIC = "static";
    public static final String DRM_CACHE = "cache";
    public static final String DRM_KEY_SERVER = "key_server";
    /** Key lookups take microseconds from memory and a round trip or a timeout from a key server. */
    private static final Duration[] KEY_LOOKUP_BUCKETS = {Duration.ofNanos(10_000), Duration.ofNanos(100_000),
        Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(250),
        Duration.ofSeconds(1), Duration.ofSeconds(5)};

    /** Buckets that suit both tiny ops answers and long media downloads. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
        Duration.ofSeconds(300)};

    /** Rewrites take microseconds to a few milliseconds for the largest live playlists. */
    private static final Duration[] REWRITE_BUCKETS = {Duration.ofNanos(50_000), Duration.ofNanos(200_000),
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofMillis(100)};

    /** Handshakes take a round trip or two plus the key exchange: sub-millisecond on loopback, seconds when slow. */
    private static final Duration[] HANDSHAKE_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, EndpointMeters> endpoints = new ConcurrentHashMap<>();
    // Per-route and per-endpoint meters, registered on first use and found by one lookup afterwards: building
    // and registering a meter on every call cost as much as the rest of a small request.
    private final Map<String, Timer> upstreamLatency = new ConcurrentHashMap<>();
    private final Map<String, Counter> upstreamRetries = new ConcurrentHashMap<>();
    private final Map<String, Counter> playlistFetches = new ConcurrentHashMap<>();
    private final Map<String, Counter> playlistCoalescings = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> upstreamFailures = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Counter>> directRequests = new ConcurrentHashMap<>();
    private final Map<String, Counter> directBytes = new ConcurrentHashMap<>();
    private final AtomicLong configGeneration = new AtomicLong();
    /** The expiry gauges of each TLS listener, replaced whole when its certificates change. */
    private final Map<String, List<Gauge>> certificateExpiry = new ConcurrentHashMap<>();
    private final Counter reloadSuccesses;
    private final Timer hlsRewrites;
    private final Timer dashRewrites;
    private final Counter reloadFailures;
    private final Counter directRetries;
    private final Counter internalErrors;
    private final Counter decryptedBytes;
    private final Timer decryptTimer;

    public Metrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new PolledGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new VirtualThreadSchedulerMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // Registered up front so an alert on their rate sees zero, not nothing, until the first refusal.
        rateLimitCounter("client");
        rateLimitCounter("global");
        rateLimitCounter("auth_failures");
        rateLimitCounter("key_endpoints");
        hlsRewrites = Timer.builder("sprox.manifest.rewrite")
                .description("Time to rewrite one manifest, by kind; registered at start so it reads zero until used")
                .tag("kind", "hls").serviceLevelObjectives(REWRITE_BUCKETS).register(registry);
        dashRewrites = Timer.builder("sprox.manifest.rewrite")
                .description("Time to rewrite one manifest, by kind; registered at start so it reads zero until used")
                .tag("kind", "dash").serviceLevelObjectives(REWRITE_BUCKETS).register(registry);
        directRetries = Counter.builder("sprox.direct.retries")
                .description("Direct requests retried after transport errors; registered at start so it reads zero")
                .register(registry);
        for (String source : List.of(DRM_STATIC, DRM_CACHE, DRM_KEY_SERVER)) {
            for (String result : List.of("found", "not_found")) {
                keyLookupTimer(source, result);
            }
        }
        keyLookupTimer(DRM_KEY_SERVER, "error");
        for (String result : List.of("issued", "unknown", "not_allowed", "unavailable")) {
            keysIssued(result);
        }
        for (String kind : List.of("timeout", "unreachable", "status", "malformed", "circuit_open")) {
            keyServerErrors(kind);
        }
        decryptedBytes = Counter.builder("sprox.drm.decrypted.bytes")
                .description("Sample bytes decrypted for players without DRM").baseUnit("bytes").register(registry);
        decryptTimer = Timer.builder("sprox.drm.decrypt").description("Time to decrypt and relay one segment, from"
                + " its first origin byte to its last byte written").serviceLevelObjectives(KEY_LOOKUP_BUCKETS)
                .register(registry);
        for (String reason : List.of("missing_key", "key_unavailable", "wrong_key", "unsupported", "malformed",
                "too_large", "upstream")) {
            decryptFailures(reason);
        }
        internalErrors = Counter.builder("sprox.server.internal.errors")
                .description("Requests answered 500: each is a bug; registered at start so it reads zero")
                .register(registry);
        reloadSuccesses = reloads("success");
        reloadFailures = reloads("failure");
        Gauge.builder("sprox.config.generation", configGeneration, AtomicLong::get)
                .description("Generation of the configuration in force; goes up with each successful reload")
                .register(registry);
    }

    private Counter reloads(String result) {
        return Counter.builder("sprox.config.reloads").tag("result", result)
                .description("Configuration reloads by result; a failure leaves the previous configuration serving")
                .register(registry);
    }

    public void bindServer(HttpServer server) {
        Gauge.builder("sprox.server.connections.active", server, HttpServer::activeConnections)
                .description("Open client connections").register(registry);
        Gauge.builder("sprox.server.requests.active", server, HttpServer::activeRequests)
                .description("Requests being handled or answered").register(registry);
        FunctionCounter.builder("sprox.server.connections.refused", server, HttpServer::refusedConnections)
                .description("Connections answered 503 because server.max_connections was reached")
                .register(registry);
        FunctionCounter.builder("sprox.server.send.timeouts", server, HttpServer::stalledSends)
                .description("Connections closed because the client stopped reading for server.send_timeout_ms")
                .register(registry);
    }

    /** @param endpoint a fixed endpoint path, or a word such as {@code unmatched}; never a client's URL */
    public void requestCompleted(String endpoint, int status, long durationNanos, long bytes, long bytesIn) {
        EndpointMeters meters = endpoints.computeIfAbsent(endpoint, this::endpointMeters);
        meters.timer(status, endpoint).record(durationNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        meters.bytesOut().increment(bytes);
        meters.bytesIn().increment(bytesIn);
    }

    private EndpointMeters endpointMeters(String endpoint) {
        return new EndpointMeters(new AtomicReferenceArray<>(6),
                Counter.builder("sprox.server.response.bytes").description("Response body bytes sent, by endpoint")
                        .baseUnit("bytes").tag("endpoint", endpoint).register(registry),
                Counter.builder("sprox.server.request.bytes").description("Request body bytes received, by endpoint")
                        .baseUnit("bytes").tag("endpoint", endpoint).register(registry));
    }

    /**
     * One lookup per request finds all of an endpoint's meters (this runs for every request, so no string
     * keys are built); timers by status class are registered on first use.
     */
    private final class EndpointMeters {
        private final AtomicReferenceArray<Timer> byStatusClass;
        private final Counter bytesOut;
        private final Counter bytesIn;

        EndpointMeters(AtomicReferenceArray<Timer> byStatusClass, Counter bytesOut, Counter bytesIn) {
            this.byStatusClass = byStatusClass;
            this.bytesOut = bytesOut;
            this.bytesIn = bytesIn;
        }

        Counter bytesOut() {
            return bytesOut;
        }

        Counter bytesIn() {
            return bytesIn;
        }

        Timer timer(int status, String endpoint) {
            int statusClass = Math.clamp(status / 100, 1, 5);
            Timer timer = byStatusClass.get(statusClass);
            if (timer == null) {
                // Registering twice returns the same timer, so a race here costs nothing.
                timer = Timer.builder("sprox.server.requests")
                        .description("Requests served, by endpoint and status class, from first byte in to last byte out")
                        .tag("endpoint", endpoint).tag("status_class", statusClass + "xx")
                        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
                byStatusClass.set(statusClass, timer);
            }
            return timer;
        }
    }

    /** Time from sending to an origin until its response head arrived. */
    public void upstreamResponded(String route, long headersNanos) {
        upstreamLatency.computeIfAbsent(route, r -> Timer.builder("sprox.upstream.latency")
                        .description("Time to the origin's response head, by route").tag("route", r)
                        .serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
                .record(headersNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void upstreamRetried(String route) {
        upstreamRetries.computeIfAbsent(route, r -> Counter.builder("sprox.upstream.retries")
                .description("Retries after transport errors, by route").tag("route", r).register(registry))
                .increment();
    }

    /**
     * A route's counters of bodies whose client paused: origins let go, and whether the client got the rest when it
     * read on. Registered when called, at 0, so the families are scraped from the start.
     */
    public PausedBodies pausedBodies(String route) {
        Counter released = Counter.builder("sprox.upstream.released")
                .description("Origin exchanges let go while their client paused, by route").tag("route", route)
                .register(registry);
        return new PausedBodies(released::increment, resumed(route, "whole")::increment,
                resumed(route, "cut")::increment);
    }

    private Counter resumed(String route, String result) {
        return Counter.builder("sprox.upstream.resumed")
                .description("Bodies whose paused client read on, by route and result").tag("route", route)
                .tag("result", result).register(registry);
    }

    /** What {@link #pausedBodies} counts. */
    public record PausedBodies(Runnable released, Runnable resumedWhole, Runnable resumedCut) {}

    /** A playlist fetched from the origin on behalf of every request coalesced with it. */
    public void playlistFetched(String route) {
        playlistFetches.computeIfAbsent(route, r -> Counter.builder("sprox.hls.playlist.fetches")
                .description("Playlist fetches from the origin, by route").tag("route", r).register(registry))
                .increment();
    }

    /** A playlist request answered by another request's fetch, in flight or within its reuse window. */
    public void playlistCoalesced(String route) {
        playlistCoalescings.computeIfAbsent(route, r -> Counter.builder("sprox.hls.playlist.coalesced")
                .description("Playlist requests answered by a shared fetch instead of their own, by route")
                .tag("route", r).register(registry)).increment();
    }

    /**
     * Counts fetches from a destination for the direct manifest endpoint (identical requests share one); registered
     * when called, so the family is scraped from start-up.
     */
    public Runnable directPlaylistFetches() {
        Counter counter = Counter.builder("sprox.direct.playlist.fetches")
                .description("Playlist fetches for the direct manifest endpoint").register(registry);
        return counter::increment;
    }

    /** Counts direct manifest requests answered by another request's fetch, in flight or within its reuse window. */
    public Runnable directPlaylistsCoalesced() {
        Counter counter = Counter.builder("sprox.direct.playlist.coalesced")
                .description("Direct manifest requests answered by a shared fetch instead of their own")
                .register(registry);
        return counter::increment;
    }

    /** A request answered 500 because something nobody anticipated failed. */
    public void internalError() {
        internalErrors.increment();
    }

    /** @param kind a failure kind such as {@code timeout} or {@code retry_budget_exhausted} */
    public void upstreamFailed(String route, String kind) {
        upstreamFailures.computeIfAbsent(route, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(kind, k -> Counter.builder("sprox.upstream.failures")
                        .description("Requests that got no usable origin response").tag("route", route).tag("kind", k)
                        .register(registry))
                .increment();
    }

    /**
     * A direct request answered, by endpoint ({@code stream}, {@code manifest}, {@code prefix}, {@code mpd},
     * {@code mpd_multivariant}, {@code mpd_playlist}, {@code decrypt}) and outcome (a fixed word),
     * with the body bytes it sent.
     */
    public void directRequest(String endpoint, String outcome, long bytes) {
        directRequests.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> Counter.builder("sprox.direct.requests")
                        .description("Direct requests answered, by endpoint and outcome").tag("endpoint", endpoint)
                        .tag("outcome", o).register(registry))
                .increment();
        directBytes.computeIfAbsent(endpoint, e -> Counter.builder("sprox.direct.bytes")
                        .description("Body bytes sent to clients by the direct endpoints").baseUnit("bytes")
                        .tag("endpoint", e).register(registry))
                .increment(bytes);
    }

    public void directRetried() {
        directRetries.increment();
    }

    /** The origin-exchange budget: exchanges open, requests waiting for one, and how many may be open at once. */
    public void originExchanges(IntSupplier open, IntSupplier waiting, int limit) {
        // Held strongly: Micrometer keeps a gauge's object weakly, and nothing else holds these lambdas.
        Gauge.builder("sprox.upstream.exchanges.open", open, IntSupplier::getAsInt).strongReference(true)
                .description("Origin exchanges holding a share of the budget now").register(registry);
        Gauge.builder("sprox.upstream.exchanges.waiting", waiting, IntSupplier::getAsInt).strongReference(true)
                .description("Requests waiting for an origin exchange now").register(registry);
        Gauge.builder("sprox.upstream.exchanges.limit", () -> limit).strongReference(true)
                .description("Origin exchanges that may be open at once").register(registry);
    }

    public void directStreamsActive(IntSupplier inUse) {
        // Held strongly: Micrometer keeps a gauge's object weakly, and nothing else holds this lambda.
        Gauge.builder("sprox.direct.streams.active", inUse, IntSupplier::getAsInt).strongReference(true)
                .description("Direct requests holding one of direct_stream.max_concurrent slots").register(registry);
    }

    public void hlsPlaylistRewritten(long nanos) {
        hlsRewrites.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void dashManifestRewritten(long nanos) {
        dashRewrites.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** @param bucket {@code client} or {@code global} */
    public void rateLimited(String bucket) {
        rateLimitCounter(bucket).increment();
    }

    private Counter rateLimitCounter(String bucket) {
        return Counter.builder("sprox.rate.limited").description("Requests refused with 429, by the bucket that was empty")
                .tag("bucket", bucket).register(registry);
    }

    /**
     * One KID looked up for a licence.
     *
     * @param source {@link #DRM_STATIC}, {@link #DRM_CACHE} or {@link #DRM_KEY_SERVER}
     * @param result {@code found}, {@code not_found} or {@code error}
     */
    public void drmKeyLookup(String source, String result, long nanos) {
        keyLookupTimer(source, result).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Timer keyLookupTimer(String source, String result) {
        return Timer.builder("sprox.drm.key.lookup")
                .description("DRM key lookups by where they were answered and how; registered at start")
                .tag("source", source).tag("result", result).serviceLevelObjectives(KEY_LOOKUP_BUCKETS)
                .register(registry);
    }

    /**
     * KIDs asked for in licence requests that were authorised, by what became of each.
     *
     * @param result {@code issued}, {@code unknown}, {@code not_allowed} (outside the URL's {@code kids=}) or
     *               {@code unavailable} (the key server could not say)
     */
    public void drmKeysIssued(String result, int count) {
        keysIssued(result).increment(count);
    }

    private Counter keysIssued(String result) {
        return Counter.builder("sprox.drm.keys.issued")
                .description("KIDs asked for in authorised licence requests, by outcome; registered at start")
                .tag("result", result).register(registry);
    }

    /** @param kind {@code timeout}, {@code unreachable}, {@code status}, {@code malformed} or {@code circuit_open} */
    public void drmKeyServerError(String kind) {
        keyServerErrors(kind).increment();
    }

    private Counter keyServerErrors(String kind) {
        return Counter.builder("sprox.drm.key.server.errors")
                .description("Key server lookups that got no usable answer, by kind; registered at start")
                .tag("kind", kind).register(registry);
    }

    /** One media or init segment decrypted for a player without DRM: its sample bytes through AES, and how long. */
    public void drmDecrypted(long bytes, long nanos) {
        decryptedBytes.increment(bytes);
        decryptTimer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * A segment or playlist of the decrypting mode that failed.
     *
     * @param reason {@code missing_key}, {@code key_unavailable}, {@code wrong_key}, {@code unsupported},
     *               {@code malformed}, {@code too_large} or {@code upstream}
     */
    public void drmDecryptFailed(String reason) {
        decryptFailures(reason).increment();
    }

    private Counter decryptFailures(String reason) {
        return Counter.builder("sprox.drm.decrypt.failures")
                .description("Decrypting requests that failed, by reason; registered at start")
                .tag("reason", reason).register(registry);
    }

    public void reloaded(boolean success, long generation) {
        (success ? reloadSuccesses : reloadFailures).increment();
        configApplied(generation);
    }

    public void configApplied(long generation) {
        configGeneration.set(generation);
    }

    @Override
    public void listenerSecured(String listener) {
        for (HandshakeResult result : HandshakeResult.values()) {
            handshakes(listener, result);
        }
        handshakeTimer(listener);
        certificateReloads(listener, true);
        certificateReloads(listener, false);
    }

    @Override
    public void handshake(String listener, HandshakeResult result, long nanos) {
        handshakes(listener, result).increment();
        if (result == HandshakeResult.SUCCESS) {
            handshakeTimer(listener).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Counter handshakes(String listener, HandshakeResult result) {
        return Counter.builder("sprox.tls.handshakes")
                .description("TLS handshakes on a listener, by result; failures are logged at debug only")
                .tag("listener", listener).tag("result", result.label()).register(registry);
    }

    private Timer handshakeTimer(String listener) {
        return Timer.builder("sprox.tls.handshake").description("Time to complete a TLS handshake, by listener")
                .tag("listener", listener).serviceLevelObjectives(HANDSHAKE_BUCKETS).register(registry);
    }

    @Override
    public void certificatesReloaded(String listener, boolean installed) {
        certificateReloads(listener, installed).increment();
    }

    private Counter certificateReloads(String listener, boolean installed) {
        return Counter.builder("sprox.tls.certificate.reloads")
                .description("Changed certificate files noticed by watch_for_changes: installed, or refused "
                        + "while the previous certificate keeps serving")
                .tag("listener", listener).tag("result", installed ? "success" : "failure").register(registry);
    }

    /** Old gauges go first: registering an existing id returns the old gauge, with the old expiry in it. */
    @Override
    public void certificatesServed(String listener, Map<String, Instant> expiryByHost) {
        List<Gauge> previous = certificateExpiry.remove(listener);
        if (previous != null) {
            previous.forEach(registry::remove);
        }
        var gauges = new ArrayList<Gauge>();
        expiryByHost.forEach((host, notAfter) -> gauges.add(Gauge.builder("sprox.tls.certificate.expiry",
                        () -> Duration.between(Instant.now(), notAfter).toSeconds())
                .description("Seconds until the certificate served for a configured host expires")
                .baseUnit("seconds").tag("listener", listener).tag("host", host).strongReference(true)
                .register(registry)));
        if (!gauges.isEmpty()) {
            certificateExpiry.put(listener, gauges);
        }
    }

    public String scrape() {
        return registry.scrape();
    }
}
