package dev.sprox.config;

import dev.sprox.http.HostPattern;
import dev.sprox.security.Secret;
import dev.sprox.upstream.HeaderPolicy;
import dev.sprox.upstream.RedirectTargets;
import dev.sprox.upstream.RetryConfig;
import dev.sprox.upstream.Socks5Config;
import dev.sprox.upstream.UpstreamConfig;
import dev.sprox.upstream.UpstreamTlsConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Binds what a route matches and its {@code upstream} block. */
final class RouteBinder {
    private static final Set<String> PROTOCOLS = Set.of("http", "https");

    private RouteBinder() {}

    /** What a route matches and where it goes, before its listeners are resolved. */
    record Matching(List<HostPattern> hostPatterns, Set<String> protocols, Optional<String> pathPrefix) {}

    static Matching matching(Fields route) {
        var patterns = new java.util.ArrayList<HostPattern>();
        for (Fields.Item item : route.list("host_patterns")) {
            Values.string(item.node(), item.path(), route.context()).ifPresent(text -> HostPattern.parse(text)
                    .ifPresentOrElse(patterns::add, () -> route.context().problems().add(item.node().source(),
                            item.path(), "not a host pattern: \"" + text + "\"; expected a name, *.name or *")));
        }
        var protocols = new LinkedHashSet<String>();
        for (Fields.Item item : route.list("protocols")) {
            Values.string(item.node(), item.path(), route.context()).map(p -> p.strip().toLowerCase(Locale.ROOT))
                    .ifPresent(p -> {
                        if (PROTOCOLS.contains(p)) {
                            protocols.add(p);
                        } else {
                            route.context().problems().add(item.node().source(), item.path(),
                                    "unknown protocol \"" + p + "\"; expected http or https");
                        }
                    });
        }
        Optional<String> prefix = route.string("path_prefix");
        prefix.filter(p -> !p.startsWith("/") || p.contains("..") || p.contains("?"))
                .ifPresent(p -> route.problem("path_prefix", "must be a path starting with '/', found \"" + p + "\""));
        return new Matching(patterns, protocols, prefix);
    }

    static Optional<UpstreamConfig> upstream(Fields route, java.util.function.UnaryOperator<String> environment) {
        if (!route.has("upstream")) {
            route.missing("upstream");
            return Optional.empty();
        }
        return route.mapping("upstream").flatMap(up -> {
            Optional<URI> origin = up.requiredString("origin").flatMap(text -> origin(up, text));
            Duration connect = up.millis("connect_timeout_ms").orElse(UpstreamConfig.DEFAULT_CONNECT_TIMEOUT);
            Duration read = up.millis("read_timeout_ms").orElse(UpstreamConfig.DEFAULT_READ_TIMEOUT);
            Optional<Duration> total = up.millis("request_timeout_ms");
            UpstreamTlsConfig tls = up.mapping("tls").flatMap(RouteBinder::tls).orElse(UpstreamTlsConfig.DEFAULT);
            Optional<Socks5Config> socks5 = up.mapping("socks5").flatMap(RouteBinder::socks5);
            Optional<Fields> redirect = up.mapping("redirect");
            int follow = redirect.map(RouteBinder::followMax).orElse(UpstreamConfig.DEFAULT_FOLLOW_REDIRECTS);
            RedirectTargets targets = redirect.map(RouteBinder::redirectTargets).orElse(RedirectTargets.NONE);
            redirect.ifPresent(Fields::rejectUnknown);
            RetryConfig retry = up.mapping("retry").map(RouteBinder::retry).orElse(RetryConfig.DEFAULT);
            HeaderPolicy headers = up.mapping("headers").map(RouteBinder::headers).orElse(HeaderPolicy.DEFAULT);
            up.rejectUnknown();
            Optional<Socks5Config> proxy = Socks5Override.apply(socks5, environment, up);
            return origin.map(o -> new UpstreamConfig(o, connect, read, total, tls, proxy, follow, targets, retry,
                    headers));
        });
    }

    private static Optional<URI> origin(Fields up, String text) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!PROTOCOLS.contains(scheme) || uri.getHost() == null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                up.problem("origin", "not an absolute http(s) URL without query or credentials: \"" + text + "\"");
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            up.problem("origin", "not an absolute http(s) URL: \"" + text + "\"");
            return Optional.empty();
        }
    }

    /** An upstream {@code tls} block: routes' and the key server's. */
    static Optional<UpstreamTlsConfig> tls(Fields tls) {
        boolean enabled = tls.bool("enabled").orElse(true);
        Optional<String> sni = tls.string("sni_hostname").map(String::strip).filter(s -> !s.isEmpty());
        boolean insecure = tls.bool("insecure_skip_verify").orElse(false);
        Optional<java.nio.file.Path> ca = tls.readableFile("ca_certificate_path");
        Optional<java.nio.file.Path> chain = tls.readableFile("client_certificate_path");
        Optional<java.nio.file.Path> key = tls.readableFile("client_private_key_path");
        if (tls.has("client_certificate_path") != tls.has("client_private_key_path")) {
            tls.problem(tls.has("client_certificate_path") ? "client_private_key_path" : "client_certificate_path",
                    "client_certificate_path and client_private_key_path go together");
        }
        tls.rejectUnknown();
        if (!enabled) {
            return Optional.empty();
        }
        Optional<UpstreamTlsConfig.ClientCertificate> client = chain.flatMap(c -> key.map(k ->
                new UpstreamTlsConfig.ClientCertificate(c, k)));
        return Optional.of(new UpstreamTlsConfig(sni, insecure, ca, client));
    }

    private static Optional<Socks5Config> socks5(Fields socks) {
        boolean enabled = socks.bool("enabled").orElse(true);
        Optional<String> address = socks.requiredString("address");
        Optional<String> user = socks.string("username");
        Optional<Secret> password = socks.string("password").map(Secret::new);
        socks.rejectUnknown();
        if (!enabled || address.isEmpty()) {
            return Optional.empty();
        }
        Optional<Socks5Config> parsed = Socks5Override.hostPort(address.get())
                .map(hp -> new Socks5Config(hp.host(), hp.port(), user, password));
        if (parsed.isEmpty()) {
            socks.problem("address", "expected host:port, found \"" + address.get() + "\"");
        }
        return parsed;
    }

    private static int followMax(Fields redirect) {
        int follow = redirect.integer("follow_max", 0, UpstreamConfig.MAX_FOLLOW_REDIRECTS).map(Long::intValue)
                .orElse(UpstreamConfig.DEFAULT_FOLLOW_REDIRECTS);
        return follow;
    }

    /** {@code *} is refused: it would switch the checks off for every host rather than name the few trusted. */
    private static RedirectTargets redirectTargets(Fields redirect) {
        var hosts = new java.util.ArrayList<HostPattern>();
        for (Fields.Item item : redirect.list("allow_hosts")) {
            Values.string(item.node(), item.path(), redirect.context()).ifPresent(text -> HostPattern.parse(text)
                    .filter(p -> !p.pattern().equals("*"))
                    .ifPresentOrElse(hosts::add, () -> redirect.context().problems().add(item.node().source(),
                            item.path(), "not a host name or *.domain: \"" + text + "\"")));
        }
        return new RedirectTargets(hosts, redirect.cidrs("allow_cidrs"));
    }

    /** The retry block, the same for routes and direct_stream. */
    static RetryConfig retry(Fields retry) {
        RetryConfig d = RetryConfig.DEFAULT;
        int attempts = retry.integer("max_attempts", 1, 10).map(Long::intValue).orElse(d.maxAttempts());
        Duration initial = retry.millis("initial_delay_ms").orElse(d.initialDelay());
        double multiplier = retry.decimal("multiplier", 1.0, 10.0).orElse(d.multiplier());
        Duration max = retry.millis("max_delay_ms").orElse(d.maxDelay());
        double jitter = retry.decimal("jitter", 0.0, 1.0).orElse(d.jitter());
        double ratio = d.budgetRatio();
        Duration window = d.budgetWindow();
        int minPerSecond = d.minRetriesPerSecond();
        Optional<Fields> budget = retry.mapping("budget");
        if (budget.isPresent()) {
            ratio = budget.get().decimal("ratio", 0.0, 1000.0).orElse(ratio);
            window = budget.get().millis("window_ms").orElse(window);
            minPerSecond = budget.get().integer("min_per_second", 0, 100_000).map(Long::intValue).orElse(minPerSecond);
            budget.get().rejectUnknown();
        }
        retry.rejectUnknown();
        return new RetryConfig(attempts, initial, multiplier, max, jitter, ratio, window, minPerSecond);
    }

    private static HeaderPolicy headers(Fields headers) {
        Set<String> allow = headerNames(headers, "allow");
        Set<String> deny = headerNames(headers, "deny");
        HeaderPolicy.ForwardedFor xff = headers.string("x_forwarded_for").map(v -> v.strip().toLowerCase(Locale.ROOT))
                .flatMap(v -> switch (v) {
                    case "append" -> Optional.of(HeaderPolicy.ForwardedFor.APPEND);
                    case "replace" -> Optional.of(HeaderPolicy.ForwardedFor.REPLACE);
                    default -> {
                        headers.problem("x_forwarded_for", "expected append or replace, found \"" + v + "\"");
                        yield Optional.empty();
                    }
                }).orElse(HeaderPolicy.ForwardedFor.APPEND);
        headers.rejectUnknown();
        return new HeaderPolicy(allow, deny, xff);
    }

    private static Set<String> headerNames(Fields headers, String key) {
        var names = new LinkedHashSet<String>();
        for (Fields.Item item : headers.list(key)) {
            Values.string(item.node(), item.path(), headers.context()).map(String::strip).ifPresent(name -> {
                if (dev.sprox.http.Tokens.isToken(name)) {
                    names.add(name.toLowerCase(Locale.ROOT));
                } else {
                    headers.context().problems().add(item.node().source(), item.path(),
                            "not a header name: \"" + name + "\"");
                }
            });
        }
        return names;
    }
}
