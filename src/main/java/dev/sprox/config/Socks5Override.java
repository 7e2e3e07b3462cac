package dev.sprox.config;

import dev.sprox.security.Secret;
import dev.sprox.upstream.Socks5Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code SPROX_PROXY_URL}: one SOCKS5 server for every route, as {@code socks5://[user:pass@]host:port},
 * {@code socks5h://...} or plain {@code host:port}. A route's own credentials are kept when the URL has none.
 */
final class Socks5Override {
    static final String VARIABLE = "SPROX_PROXY_URL";

    private Socks5Override() {}

    record HostPort(String host, int port) {}

    static Optional<Socks5Config> apply(Optional<Socks5Config> route, UnaryOperator<String> environment,
                                        Fields upstream) {
        String value = environment.apply(VARIABLE);
        if (value == null || value.isBlank()) {
            return route;
        }
        String text = value.strip();
        try {
            URI uri = new URI(text.contains("://") ? text : "socks5://" + text);
            String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("socks5") || scheme.equals("socks5h")) || uri.getHost() == null || uri.getPort() < 1) {
                throw new URISyntaxException(text, "not socks5://host:port");
            }
            Optional<String> user = route.flatMap(Socks5Config::username);
            Optional<Secret> password = route.flatMap(Socks5Config::password);
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = Optional.of(parts[0]);
                password = Optional.of(new Secret(parts.length > 1 ? parts[1] : ""));
            }
            return Optional.of(new Socks5Config(uri.getHost(), uri.getPort(), user, password));
        } catch (URISyntaxException e) {
            upstream.context().problems().add(Source.of("environment"), VARIABLE,
                    "expected socks5://[user:password@]host:port");
            return route;
        }
    }

    static Optional<HostPort> hostPort(String address) {
        try {
            URI uri = new URI("socks5://" + address.strip());
            return uri.getHost() == null || uri.getPort() < 1 || uri.getPath().length() > 0
                    ? Optional.empty() : Optional.of(new HostPort(uri.getHost(), uri.getPort()));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
