package dev.sprox.config;

import dev.sprox.direct.DirectStreamConfig;
import dev.sprox.security.AllowRule;
import dev.sprox.security.Secret;
import dev.sprox.upstream.OutboundProxy;
import dev.sprox.upstream.Socks5Config;
import dev.sprox.upstream.UpstreamConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Binds {@code direct_stream} and its environment overrides. Runs with an empty block when the file has none, so
 * the environment alone can set a password or a proxy.
 */
final class DirectStreamBinder {
    static final String PASSWORD_VARIABLE = "SPROX_DIRECT_API_PASSWORD";
    static final String SHARED_PASSWORD_VARIABLE = "SPROX_API_PASSWORD";
    static final String PROXY_VARIABLE = "SPROX_DIRECT_PROXY_URL";
    static final String TIMEOUT_VARIABLE = "SPROX_DIRECT_REQUEST_TIMEOUT_MS";
    private static final Source ENVIRONMENT = Source.of("environment");
    private static final String PROXY_FORMS = "expected http://host:port or socks5://[user:password@]host:port";

    private DirectStreamBinder() {}

    static DirectStreamConfig directStream(Fields f, UnaryOperator<String> environment) {
        DirectStreamConfig d = DirectStreamConfig.DEFAULT;
        List<AllowRule> allowlist = new ArrayList<>();
        for (Fields.Item item : f.list("allowlist")) {
            Fields.of(item.node(), item.path(), f.context()).flatMap(DirectStreamBinder::rule).ifPresent(allowlist::add);
        }
        var config = new DirectStreamConfig(allowlist, f.cidrs("allow_cidrs"),
                password(f, environment),
                secret(f, "signing_secret"),
                f.integer("signed_url_ttl_s", 1, Duration.ofDays(366).toSeconds()).map(Duration::ofSeconds)
                        .orElse(d.signedUrlTtl()),
                f.integer("max_concurrent", 1, 1_000_000).map(Long::intValue).orElse(d.maxConcurrent()),
                f.millis("connect_timeout_ms").orElse(d.connectTimeout()),
                f.millis("read_timeout_ms").orElse(d.readTimeout()),
                requestTimeout(f, environment),
                f.integer("follow_redirects", 0, UpstreamConfig.MAX_FOLLOW_REDIRECTS).map(Long::intValue)
                        .orElse(d.followRedirects()),
                f.mapping("retry").map(RouteBinder::retry).orElse(d.retry()),
                proxy(f, environment),
                f.bool("redact_destination_query").orElse(d.redactDestinationQuery()),
                HlsBinder.maxPlaylistBytes(f), HlsBinder.maxRewrittenPlaylistBytes(f));
        f.rejectUnknown();
        return config;
    }

    /** No {@code direct_stream} block in the files: the defaults, with whatever the environment sets. */
    static DirectStreamConfig environmentOnly(Fields.Context context, UnaryOperator<String> environment) {
        return Fields.of(new YamlNode.Null(ENVIRONMENT), "direct_stream", context)
                .map(f -> directStream(f, environment)).orElseThrow();
    }

    private static Optional<AllowRule> rule(Fields rule) {
        Optional<String> domain = rule.requiredString("domain");
        domain.flatMap(AllowRule::domainProblem).ifPresent(p -> rule.problem("domain", p));
        Set<String> schemes = new LinkedHashSet<>();
        for (Fields.Item item : rule.list("schemes")) {
            Values.string(item.node(), item.path(), rule.context()).map(s -> s.strip().toLowerCase(Locale.ROOT))
                    .ifPresent(scheme -> AllowRule.schemeProblem(scheme).ifPresentOrElse(
                            p -> rule.context().problems().add(item.node().source(), item.path(), p),
                            () -> schemes.add(scheme)));
        }
        if (rule.has("schemes") && schemes.isEmpty()) {
            rule.problem("schemes", "must name http, https or both (leave it out for https only)");
        }
        List<String> paths = new ArrayList<>();
        for (Fields.Item item : rule.list("paths")) {
            Values.string(item.node(), item.path(), rule.context()).map(String::strip)
                    .ifPresent(glob -> AllowRule.pathProblem(glob).ifPresentOrElse(
                            p -> rule.context().problems().add(item.node().source(), item.path(), p),
                            () -> paths.add(glob)));
        }
        Set<Integer> ports = new LinkedHashSet<>();
        for (Fields.Item item : rule.list("ports")) {
            Values.integer(item.node(), item.path(), 1, 65_535, rule.context()).map(Long::intValue)
                    .ifPresent(ports::add);
        }
        if (rule.has("ports") && ports.isEmpty()) {
            rule.problem("ports", "must name at least one port (leave it out for the scheme's default port)");
        }
        rule.rejectUnknown();
        if (domain.isEmpty() || domain.flatMap(AllowRule::domainProblem).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new AllowRule(domain.get(), schemes.isEmpty() ? AllowRule.DEFAULT_SCHEMES : schemes,
                paths, ports));
    }

    /** A blank secret in the file is a mistake, not a way to switch protection off: remove the key for that. */
    private static Optional<Secret> secret(Fields f, String key) {
        Optional<String> text = f.string(key).map(String::strip);
        if (text.isPresent() && text.get().isEmpty()) {
            f.problem(key, "must not be empty (leave the key out instead)");
            return Optional.empty();
        }
        return text.map(Secret::new);
    }

    private static Optional<Secret> password(Fields f, UnaryOperator<String> environment) {
        if (f.has("api_password")) {
            return secret(f, "api_password");
        }
        return variable(environment, PASSWORD_VARIABLE).or(() -> variable(environment, SHARED_PASSWORD_VARIABLE))
                .map(Secret::new);
    }

    private static Optional<Duration> requestTimeout(Fields f, UnaryOperator<String> environment) {
        Optional<Duration> configured = f.millis("request_timeout_ms");
        Optional<String> variable = variable(environment, TIMEOUT_VARIABLE);
        if (variable.isEmpty()) {
            return configured;
        }
        try {
            long millis = Long.parseLong(variable.get());
            if (millis >= 1 && millis <= Duration.ofDays(1).toMillis()) {
                return Optional.of(Duration.ofMillis(millis));
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range value
        }
        f.context().problems().add(ENVIRONMENT, TIMEOUT_VARIABLE,
                "expected whole milliseconds between 1 and " + Duration.ofDays(1).toMillis() + ", found \""
                        + variable.get() + "\"");
        return configured;
    }

    private static Optional<OutboundProxy> proxy(Fields f, UnaryOperator<String> environment) {
        Optional<OutboundProxy> configured = f.string("proxy_url").flatMap(text -> {
            Optional<OutboundProxy> parsed = parseProxy(text);
            if (parsed.isEmpty()) {
                f.problem("proxy_url", PROXY_FORMS + ", found \"" + text + "\"");
            }
            return parsed;
        });
        Optional<String> variable = variable(environment, PROXY_VARIABLE);
        if (variable.isEmpty()) {
            return configured;
        }
        Optional<OutboundProxy> parsed = parseProxy(variable.get());
        if (parsed.isEmpty()) {
            // The value may hold credentials: the problem does not repeat it.
            f.context().problems().add(ENVIRONMENT, PROXY_VARIABLE, PROXY_FORMS);
        }
        return parsed.or(() -> configured);
    }

    static Optional<OutboundProxy> parseProxy(String text) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (uri.getHost() == null || uri.getPort() < 1 || !(path.isEmpty() || path.equals("/"))
                    || uri.getRawQuery() != null) {
                return Optional.empty();
            }
            return switch (scheme) {
                case "http" -> uri.getRawUserInfo() == null
                        ? Optional.of(new OutboundProxy.Http(uri.getHost(), uri.getPort())) : Optional.empty();
                case "socks5", "socks5h" -> {
                    Optional<String> user = Optional.empty();
                    Optional<Secret> password = Optional.empty();
                    if (uri.getUserInfo() != null) {
                        String[] parts = uri.getUserInfo().split(":", 2);
                        user = Optional.of(parts[0]);
                        password = Optional.of(new Secret(parts.length > 1 ? parts[1] : ""));
                    }
                    yield Optional.of(new OutboundProxy.Socks5(
                            new Socks5Config(uri.getHost(), uri.getPort(), user, password)));
                }
                default -> Optional.empty();
            };
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> variable(UnaryOperator<String> environment, String name) {
        return Optional.ofNullable(environment.apply(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
