package dev.sprox.runtime;

import dev.sprox.config.LoadResult;
import dev.sprox.config.Problem;
import dev.sprox.config.SproxConfig;
import dev.sprox.direct.DirectAuthorization;
import dev.sprox.direct.DirectEndpoints;
import dev.sprox.direct.DirectProxy;
import dev.sprox.direct.DirectStreams;
import dev.sprox.direct.SignUrlEndpoint;
import dev.sprox.drm.ClearKeyEndpoint;
import dev.sprox.drm.KeyLookup;
import dev.sprox.drm.KeysEndpoint;
import dev.sprox.drm.LicenceUrlEndpoint;
import dev.sprox.ops.HealthEndpoint;
import dev.sprox.ops.MetricsEndpoint;
import dev.sprox.ops.OpsEndpoints;
import dev.sprox.pipeline.Endpoints;
import dev.sprox.pipeline.Pipeline;
import dev.sprox.route.RouteTable;
import dev.sprox.route.RouteTableBuilder;
import dev.sprox.security.RateLimiter;
import dev.sprox.server.HttpServer;
import dev.sprox.server.Listener;
import dev.sprox.telemetry.Logging;
import dev.sprox.telemetry.Metrics;
import dev.sprox.telemetry.Tracing;
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
 * reload and drain. Start-up and reload share one path: load, validate, build, then swap.
 */
public final class Sprox {
    private static final Logger LOG = LoggerFactory.getLogger(Sprox.class);

    private final ConfigSource source;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();
    private final ReentrantLock reloading = new ReentrantLock();
    private final Metrics metrics = new Metrics();
    private final HttpServer server;

    private Sprox(ConfigSource source, String version) {
        this.source = source;
        var health = new HealthEndpoint(version, Instant.now(), this::draining);
        var authorization = new DirectAuthorization(metrics, InstantSource.system());
        var endpoints = new Endpoints(Stream.of(OpsEndpoints.all(health, new MetricsEndpoint(metrics)),
                DirectEndpoints.all(new DirectProxy(metrics, authorization)),
                List.of(new SignUrlEndpoint(authorization, InstantSource.system()).endpoint().issuingKeys(),
                        new ClearKeyEndpoint(authorization, metrics).endpoint(), KeysEndpoint.endpoint(),
                        new LicenceUrlEndpoint(authorization, InstantSource.system()).endpoint()))
                .flatMap(List::stream).toList());
        var pipeline = new Pipeline(current::get, endpoints, metrics);
        this.server = new HttpServer(pipeline, () -> current.get().config().server(), metrics);
        metrics.bindServer(server);
    }

    public static Sprox start(ConfigSource source, String version) throws StartupFailed {
        var sprox = new Sprox(source, version);
        SproxConfig config = switch (source.load()) {
            case LoadResult.Valid valid -> valid.config();
            case LoadResult.Invalid invalid -> throw new StartupFailed(texts(invalid.problems()));
        };
        RouteTable routes;
        try {
            routes = RouteTableBuilder.build(config.routes(), sprox.metrics);
        } catch (RouteTableBuilder.BuildFailed e) {
            throw new StartupFailed(e.problems());
        }
        DirectStreams direct;
        try {
            direct = DirectStreams.build(config.directStream(), sprox.metrics);
        } catch (IOException | GeneralSecurityException e) {
            routes.close();
            throw new StartupFailed(List.of(directProblem(e)));
        }
        KeyLookup keys;
        try {
            keys = KeyLookup.build(config.drm(), sprox.metrics);
        } catch (IOException | GeneralSecurityException e) {
            routes.close();
            direct.close();
            throw new StartupFailed(List.of(drmProblem(e)));
        }
        sprox.current.set(new Snapshot(1, config, Instant.now(), routes, direct, keys,
                rateLimiter(config, Optional.empty()), Tracing.of(config.tracing())));
        Logging.apply(config.logging());
        warnIfSignaturesDieWithTheProcess(config);
        try {
            sprox.server.apply(config.listeners());
        } catch (IOException e) {
            routes.close();
            direct.close();
            keys.close();
            throw new StartupFailed(List.of(e.getMessage()));
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
        RouteTable routes;
        try {
            routes = RouteTableBuilder.build(config.routes(), metrics);
        } catch (RouteTableBuilder.BuildFailed e) {
            return kept(old, e.problems());
        }
        DirectStreams direct;
        try {
            direct = DirectStreams.build(config.directStream(), metrics);
        } catch (IOException | GeneralSecurityException e) {
            routes.close();
            return kept(old, List.of(directProblem(e)));
        }
        KeyLookup keys;
        try {
            keys = KeyLookup.build(config.drm(), metrics);
        } catch (IOException | GeneralSecurityException e) {
            routes.close();
            direct.close();
            return kept(old, List.of(drmProblem(e)));
        }
        try {
            server.apply(config.listeners());
        } catch (IOException e) {
            routes.close();
            direct.close();
            keys.close();
            return kept(old, List.of(e.getMessage()));
        }
        var next = new Snapshot(old.generation() + 1, config, Instant.now(), routes, direct, keys,
                rateLimiter(config, old.rateLimiter()), Tracing.next(config.tracing(), old.tracing()));
        current.set(next);
        old.retire();
        Logging.apply(config.logging());
        warnIfSignaturesDieWithTheProcess(config);
        metrics.reloaded(true, next.generation());
        LOG.atInfo().addKeyValue("config", config.origin()).addKeyValue("config_generation", next.generation())
                .log("configuration reloaded");
        return new ReloadResult.Reloaded(next.generation());
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
