package dev.sprox.runtime;

import dev.sprox.config.LoadResult;
import dev.sprox.config.Problem;
import dev.sprox.config.SproxConfig;
import dev.sprox.direct.DirectAuthorization;
import dev.sprox.direct.DirectCredentials;
import dev.sprox.direct.DirectEndpoints;
import dev.sprox.direct.DirectProxy;
import dev.sprox.direct.DirectStreams;
import dev.sprox.direct.SignUrlEndpoint;
import dev.sprox.direct.StreamSlots;
import dev.sprox.drm.ClearKeyEndpoint;
import dev.sprox.drm.DecryptUrlEndpoint;
import dev.sprox.drm.DirectDecryption;
import dev.sprox.drm.KeyLookup;
import dev.sprox.drm.KeysEndpoint;
import dev.sprox.drm.LicenceUrlEndpoint;
import dev.sprox.drm.MpdLicences;
import dev.sprox.ops.HealthEndpoint;
import dev.sprox.ops.MetricsEndpoint;
import dev.sprox.ops.OpsEndpoints;
import dev.sprox.pipeline.Endpoints;
import dev.sprox.pipeline.Generation;
import dev.sprox.pipeline.Pipeline;
import dev.sprox.pipeline.RequestSteps;
import dev.sprox.route.RouteProxy;
import dev.sprox.route.RouteTable;
import dev.sprox.route.RouteTableBuilder;
import dev.sprox.security.RateLimiter;
import dev.sprox.security.Redaction;
import dev.sprox.server.HttpServer;
import dev.sprox.server.Listener;
import dev.sprox.telemetry.Logging;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.Tracing;
import dev.sprox.upstream.OriginExchanges;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sprox: the current snapshot, the server, and the three things that change them — start-up,
 * reload and drain. Start-up and reload share one path: load, validate, build, bind, swap, then accept.
 */
public final class Sprox {
    private static final Logger LOG = LoggerFactory.getLogger(Sprox.class);

    private final ConfigSource source;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final ReentrantLock reloading = new ReentrantLock();
    private final Metrics metrics = new Metrics();
    private final HealthEndpoint health;
    private final MetricsEndpoint metricsEndpoint;
    private final StreamSlots slots;
    private final HttpServer server;

    private Sprox(ConfigSource source, String version) {
        this.source = source;
        this.health = new HealthEndpoint(version, Instant.now(), this::draining);
        this.metricsEndpoint = new MetricsEndpoint(metrics);
        this.slots = StreamSlots.counted(metrics);
        this.server = new HttpServer(new Pipeline(() -> current.get().requests(), metrics),
                () -> current.get().config().server(), metrics);
        metrics.bindServer(server);
        OriginExchanges exchanges = OriginExchanges.shared();
        metrics.originExchanges(exchanges::open, exchanges::waiting, exchanges.count());
    }

    /** Loads the configuration and starts serving it, through the same path as every reload. */
    public static Sprox start(ConfigSource source, String version) throws StartupFailed {
        var sprox = new Sprox(source, version);
        SproxConfig config = switch (source.load()) {
            case LoadResult.Valid valid -> valid.config();
            case LoadResult.Invalid invalid -> throw new StartupFailed(texts(invalid.problems()));
        };
        List<String> problems = sprox.install(config, Optional.empty());
        if (!problems.isEmpty()) {
            throw new StartupFailed(problems);
        }
        sprox.metrics.configApplied(1);
        return sprox;
    }

    public Snapshot snapshot() {
        return current.get();
    }

    public List<Listener> listeners() {
        return server.listeners();
    }

    public boolean draining() {
        return server.draining();
    }

    /**
     * Loads the configuration again and swaps it in whole, listeners included. Anything wrong — invalid
     * files, an address that cannot be bound — leaves the running configuration untouched.
     */
    public ReloadResult reload() {
        reloading.lock();
        Snapshot old = current.get();
        Span span = old.tracing().tracer().spanBuilder("config reload").startSpan();
        try {
            ReloadResult result = reload(old);
            span.setAttribute("sprox.reload.result", result instanceof ReloadResult.Reloaded ? "reloaded" : "kept");
            return result;
        } finally {
            span.end();
            // Ended first, so the reload's own span still leaves through the tracing it started on.
            if (old.tracing() != current.get().tracing()) {
                old.tracing().close();
            }
            reloading.unlock();
        }
    }

    private ReloadResult reload(Snapshot old) {
        LoadResult loaded = source.load();
        if (loaded instanceof LoadResult.Invalid invalid) {
            return kept(old, texts(invalid.problems()));
        }
        SproxConfig config = ((LoadResult.Valid) loaded).config();
        List<String> problems = install(config, Optional.of(old));
        if (!problems.isEmpty()) {
            return kept(old, problems);
        }
        Snapshot next = current.get();
        metrics.reloaded(true, next.generation());
        LOG.atInfo().addKeyValue("config", config.origin()).addKeyValue("config_generation", next.generation())
                .log("configuration reloaded");
        return new ReloadResult.Reloaded(next.generation());
    }

    /**
     * Start-up and reload: builds the whole snapshot and binds new listeners, then makes the snapshot current, and
     * only then lets the listeners accept, so no request ever meets a half-applied configuration.
     *
     * @return the problems that left the running configuration (if any) in place; empty when installed
     */
    private List<String> install(SproxConfig config, Optional<Snapshot> previous) {
        Snapshot next;
        try {
            next = build(config, previous);
        } catch (Refused e) {
            return e.problems;
        }
        HttpServer.ListenerChange listeners;
        try {
            listeners = server.prepare(config.listeners());
        } catch (IOException e) {
            next.requests().retire();
            if (previous.map(Snapshot::tracing).orElse(null) != next.tracing()) {
                next.tracing().close();
            }
            return List.of(e.getMessage());
        }
        current.set(next);
        previous.ifPresent(old -> old.requests().retire());
        listeners.commit();
        Logging.apply(config.logging());
        warnIfSignaturesDieWithTheProcess(config);
        return List.of();
    }

    /** What stopped a snapshot from being built; whatever it had built is closed. */
    private static final class Refused extends Exception {
        private final List<String> problems;

        Refused(List<String> problems) {
            super(String.join("; ", problems), null, false, false);
            this.problems = problems;
        }
    }

    private Snapshot build(SproxConfig config, Optional<Snapshot> previous) throws Refused {
        RouteTable routes;
        try {
            routes = RouteTableBuilder.build(config.routes(), metrics);
        } catch (RouteTableBuilder.BuildFailed e) {
            throw new Refused(e.problems());
        }
        DirectStreams direct;
        try {
            direct = DirectStreams.build(config.directStream(), metrics);
        } catch (IOException | GeneralSecurityException e) {
            routes.close();
            throw new Refused(List.of(directProblem(e)));
        }
        KeyLookup keys;
        try {
            keys = KeyLookup.build(config.drm(), metrics);
        } catch (IOException | GeneralSecurityException e) {
            routes.close();
            direct.close();
            throw new Refused(List.of(drmProblem(e)));
        }
        long generation = previous.map(old -> old.generation() + 1).orElse(1L);
        Optional<RateLimiter> limiter = rateLimiter(config, previous.flatMap(Snapshot::rateLimiter));
        Tracing tracing = previous.map(old -> Tracing.next(config.tracing(), old.tracing()))
                .orElseGet(() -> Tracing.of(config.tracing()));
        var credentials = DirectCredentials.of(config.directStream());
        var authorization = new DirectAuthorization(metrics, InstantSource.system(), credentials,
                config.directStream().signedUrlTtl(), limiter);
        var endpoints = new Endpoints(Stream.of(OpsEndpoints.all(health, metricsEndpoint, config.ops()),
                DirectEndpoints.all(new DirectProxy(metrics, authorization, direct, slots,
                        new DirectDecryption(metrics, keys))),
                List.of(new SignUrlEndpoint(authorization).endpoint().issuingKeys(),
                        new ClearKeyEndpoint(authorization, keys, metrics).endpoint(), KeysEndpoint.endpoint(keys),
                        new LicenceUrlEndpoint(authorization).endpoint(),
                        new DecryptUrlEndpoint(authorization).endpoint()))
                .flatMap(List::stream).toList());
        var steps = new RequestSteps(generation, endpoints,
                routes.matcher(new RouteProxy(metrics, config.features(),
                        MpdLicences.of(keys, tracing, authorization), keys)), config.trustedProxies(), config.cors(),
                limiter, tracing, Redaction.of(config.sensitiveLogging(),
                        config.directStream().redactDestinationQuery()),
                config.listeners(), config.logging().accessLog());
        var requests = new Generation(steps, () -> {
            routes.close();
            direct.close();
            keys.close();
        });
        return new Snapshot(config, Instant.now(), routes, direct, keys, credentials, requests);
    }

    /** Players holding a playlist from before a restart would be refused its segments. */
    private static void warnIfSignaturesDieWithTheProcess(SproxConfig config) {
        if (config.directStream().apiPassword().isPresent() && config.directStream().signingSecret().isEmpty()) {
            LOG.atWarn().log("direct_stream.signing_secret is not set: URLs signed into playlists stop working"
                    + " when this process exits");
        }
    }

    /** Keeps the running limiter (and what clients have spent) unless its settings changed. */
    private static Optional<RateLimiter> rateLimiter(SproxConfig config, Optional<RateLimiter> running) {
        if (running.isPresent() && config.rateLimit().equals(Optional.of(running.get().config()))) {
            return running;
        }
        return config.rateLimit().map(limits -> new RateLimiter(limits, System::nanoTime));
    }

    private static String directProblem(Exception e) {
        return "direct_stream: " + e.getMessage();
    }

    private static String drmProblem(Exception e) {
        return "drm.key_server: " + e.getMessage();
    }

    private ReloadResult kept(Snapshot old, List<String> problems) {
        problems.forEach(p -> LOG.atError().addKeyValue("problem", p).log("configuration problem"));
        LOG.atError().addKeyValue("config_generation", old.generation()).addKeyValue("problems", problems.size())
                .log("reload failed; the previous configuration keeps serving");
        metrics.reloaded(false, old.generation());
        return new ReloadResult.Kept(old.generation(), problems);
    }

    /** Stops accepting and waits for requests in flight, up to {@code server.shutdown_grace_ms}. */
    public boolean drain() {
        var grace = current.get().config().server().shutdownGrace();
        LOG.atInfo().addKeyValue("grace_ms", grace.toMillis()).log("draining");
        boolean clean = server.drain(grace);
        current.get().tracing().close();
        LOG.atInfo().addKeyValue("clean", clean).log("sprox stopped");
        return clean;
    }

    private static List<String> texts(List<Problem> problems) {
        return problems.stream().map(Problem::toString).toList();
    }
}
