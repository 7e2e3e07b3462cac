package dev.sprox.config;

import dev.sprox.dash.DashConfig;
import dev.sprox.direct.DirectStreamConfig;
import dev.sprox.drm.DrmConfig;
import dev.sprox.hls.HlsConfig;
import dev.sprox.ops.OpsConfig;
import dev.sprox.pipeline.CorsConfig;
import dev.sprox.route.Feature;
import dev.sprox.route.RouteConfig;
import dev.sprox.security.Cidr;
import dev.sprox.security.RateLimitConfig;
import dev.sprox.security.SensitiveLogging;
import dev.sprox.server.ListenerConfig;
import dev.sprox.server.ServeGroup;
import dev.sprox.server.ServerSettings;
import dev.sprox.telemetry.LoggingSettings;
import dev.sprox.telemetry.TracingConfig;
import dev.sprox.upstream.UpstreamConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Loads a configuration directory ({@code routes.yaml} plus {@code listeners/*.yaml}) or a single file and
 * validates it in one pass. Start-up, {@code sprox validate} and reload all come through here.
 */
public final class ConfigLoader {
    public static final String MAIN_FILE = "routes.yaml";
    public static final String LISTENERS_DIRECTORY = "listeners";

    private final UnaryOperator<String> environment;

    /** @param environment looks up environment variables (the process environment, or a map in tests) */
    public ConfigLoader(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** With no configuration at all: one plain listener on loopback, nothing proxied. */
    public static SproxConfig embeddedDefault() {
        var listener = new ListenerConfig("default", "127.0.0.1", 8080,
                EnumSet.of(ServeGroup.DIRECT, ServeGroup.OPS, ServeGroup.ADMIN));
        return new SproxConfig("embedded default", List.of(listener), List.of(), List.of(),
                ServerSettings.DEFAULT, LoggingSettings.DEFAULT, SensitiveLogging.DEFAULT, Set.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), DirectStreamConfig.DEFAULT, OpsConfig.DEFAULT, DrmConfig.NONE);
    }

    /** @param location a directory holding {@code routes.yaml}, or a file to use as the main file */
    public LoadResult load(Path location) {
        Path mainFile = Files.isDirectory(location) ? location.resolve(MAIN_FILE) : location;
        Path directory = mainFile.toAbsolutePath().getParent();
        var problems = new Problems();
        if (!Files.isRegularFile(mainFile)) {
            problems.add(Source.of(mainFile.toString()), "", "configuration file not found");
            return new LoadResult.Invalid(problems.list());
        }
        var context = new Fields.Context(problems, new Interpolation(environment, directory));
        var binder = new ConfigBinder(context, environment);
        read(mainFile, context).ifPresent(binder::bindMain);
        for (Path file : listenerFiles(directory.resolve(LISTENERS_DIRECTORY), problems)) {
            read(file, context).ifPresent(binder::bindListenersFile);
        }
        Optional<SproxConfig> config = binder.finish(location.toString());
        return problems.isEmpty() && config.isPresent()
                ? new LoadResult.Valid(config.get())
                : new LoadResult.Invalid(problems.list());
    }

    private static Optional<YamlNode> read(Path file, Fields.Context context) {
        context.problems().reading(file.toString());
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return YamlTreeReader.read(file.toString(), reader, context.problems());
        } catch (IOException e) {
            context.problems().add(Source.of(file.toString()), "", "cannot read: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static List<Path> listenerFiles(Path directory, Problems problems) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            problems.add(Source.of(directory.toString()), "", "cannot list: " + e.getMessage());
            return List.of();
        }
    }

    /** Binds the blocks of each file, then checks what only the whole configuration can tell. */
    private static final class ConfigBinder {
        private final Fields.Context context;
        private final UnaryOperator<String> environment;
        private final List<Declared<ListenerConfig>> listeners = new ArrayList<>();
        private final List<DeclaredRoute> routes = new ArrayList<>();
        private List<Cidr> trustedProxies = List.of();
        private ServerSettings server = ServerSettings.DEFAULT;
        private LoggingSettings logging = LoggingSettings.DEFAULT;
        private SensitiveLogging sensitiveLogging = SensitiveLogging.DEFAULT;
        private Set<Feature> features = Set.of();
        private Optional<RateLimitConfig> rateLimit = Optional.empty();
        private Optional<CorsConfig> cors = Optional.empty();
        private Optional<TracingConfig> tracing = Optional.empty();
        private Optional<DirectStreamConfig> directStream = Optional.empty();
        private OpsConfig ops = OpsConfig.DEFAULT;
        private DrmConfig drm = DrmConfig.NONE;

        ConfigBinder(Fields.Context context, UnaryOperator<String> environment) {
            this.context = context;
            this.environment = environment;
        }

        void bindMain(YamlNode root) {
            Fields.of(root, "", context).ifPresent(top -> {
                bindListeners(top);
                for (Fields.Item item : top.list("routes")) {
                    Fields.of(item.node(), item.path(), context).ifPresent(this::bindRoute);
                }
                trustedProxies = top.cidrs("trusted_proxies");
                top.mapping("server").ifPresent(s -> server = SettingsBinder.server(s));
                top.mapping("logging").ifPresent(l -> logging = SettingsBinder.logging(l));
                top.mapping("sensitive_logging").ifPresent(l -> sensitiveLogging = SettingsBinder.sensitiveLogging(l));
                top.mapping("features").ifPresent(f -> features = SettingsBinder.features(f));
                rateLimit = top.mapping("rate_limit").map(SettingsBinder::rateLimit);
                cors = top.mapping("cors").map(SettingsBinder::cors);
                tracing = top.mapping("telemetry").flatMap(TelemetryBinder::telemetry);
                directStream = top.mapping("direct_stream").map(d -> DirectStreamBinder.directStream(d, environment));
                top.mapping("ops").ifPresent(o -> ops = SettingsBinder.ops(o));
                top.mapping("drm").ifPresent(d -> drm = DrmBinder.drm(d));
                top.rejectUnknown();
            });
        }

        void bindListenersFile(YamlNode root) {
            Fields.of(root, "", context).ifPresent(top -> {
                bindListeners(top);
                top.rejectUnknown();
            });
        }

        private void bindListeners(Fields top) {
            for (Fields.Item item : top.list("listeners")) {
                Fields.of(item.node(), item.path(), context)
                        .flatMap(ListenerBinder::listener)
                        .ifPresent(listeners::add);
            }
        }

        private void bindRoute(Fields route) {
            Optional<String> id = route.requiredString("id");
            id.filter(String::isBlank).ifPresent(blank -> route.problem("id", "must not be empty"));
            Optional<Declared<ListenerConfig>> inline = route.mapping("listen").flatMap(ListenerBinder::inlineListen);
            List<String> named = route.strings("listeners");
            if (inline.isPresent() && !named.isEmpty()) {
                route.problem("listeners", "give either listen or listeners, not both");
            }
            RouteBinder.Matching matching = RouteBinder.matching(route);
            Optional<UpstreamConfig> upstream = RouteBinder.upstream(route, environment);
            HlsConfig hls = route.mapping("hls").map(HlsBinder::hls).orElse(HlsConfig.DISABLED);
            DashConfig dash = route.mapping("dash").map(DashBinder::dash).orElse(DashConfig.DISABLED);
            boolean decrypt = route.mapping("drm").map(DrmBinder::routeDecrypt).orElse(false);
            route.rejectUnknown();
            if (id.isPresent() && upstream.isPresent()) {
                routes.add(new DeclaredRoute(id.get(), inline, named, route, matching, upstream.get(), hls, dash,
                        decrypt));
            }
        }

        Optional<SproxConfig> finish(String origin) {
            var allListeners = new ArrayList<>(listeners);
            var compiledRoutes = new ArrayList<RouteConfig>();
            for (DeclaredRoute route : routes) {
                compiledRoutes.add(new RouteConfig(route.id(), route.listenerIds(allListeners, context),
                        route.matching().hostPatterns(), route.matching().protocols(), route.matching().pathPrefix(),
                        route.upstream(), route.hls(), route.dash(), route.decrypt()));
            }
            CrossChecks.listeners(allListeners, context.problems());
            CrossChecks.routeIds(routes, context.problems());
            if (allListeners.isEmpty() && context.problems().isEmpty()) {
                context.problems().add(Source.of(origin), "listeners",
                        "no listener is configured: add one under listeners, or a listen block to a route");
            }
            var config = new SproxConfig(origin, allListeners.stream().map(Declared::value).toList(),
                    compiledRoutes, trustedProxies, server, logging, sensitiveLogging, features, rateLimit, cors,
                    tracing, directStream.orElseGet(() -> DirectStreamBinder.environmentOnly(context, environment)),
                    ops, drm);
            return Optional.of(config);
        }
    }

    /** A value with the place it was declared, for checks that compare declarations. */
    record Declared<T>(T value, Source source, String path) {}

    /** A route as written: its inline listen block, or the listener ids it names. */
    record DeclaredRoute(String id, Optional<Declared<ListenerConfig>> inline, List<String> named, Fields fields,
                         RouteBinder.Matching matching, UpstreamConfig upstream, HlsConfig hls,
                         DashConfig dash, boolean decrypt) {

        /** Resolves the route's listeners, declaring (or joining) its inline listener in {@code all}. */
        List<String> listenerIds(List<Declared<ListenerConfig>> all, Fields.Context context) {
            if (inline.isPresent()) {
                ListenerConfig wanted = inline.get().value();
                for (Declared<ListenerConfig> existing : all) {
                    if (existing.value().address().equals(wanted.address())) {
                        return List.of(existing.value().id());
                    }
                }
                all.add(inline.get());
                return List.of(wanted.id());
            }
            if (named.isEmpty()) {
                return all.stream().map(Declared::value).filter(l -> l.serves(ServeGroup.ROUTES))
                        .map(ListenerConfig::id).toList();
            }
            var known = new java.util.LinkedHashMap<String, ListenerConfig>();
            all.forEach(l -> known.putIfAbsent(l.value().id(), l.value()));
            for (String name : named) {
                ListenerConfig listener = known.get(name);
                if (listener == null) {
                    fields.problem("listeners", "no listener with id \"" + name + "\""
                            + Suggestions.didYouMean(name, known.keySet()));
                } else if (!listener.serves(ServeGroup.ROUTES)) {
                    fields.problem("listeners", "listener \"" + name + "\" does not serve routes (add routes to its serve list)");
                }
            }
            return named;
        }
    }
}
