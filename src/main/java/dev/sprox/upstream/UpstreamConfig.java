package dev.sprox.upstream;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The origin a route proxies to and how sprox talks to it.
 *
 * @param connectTimeout  TCP (and TLS) connect
 * @param readTimeout     the longest wait for the response head and between two pieces of the body
 * @param requestTimeout  the whole exchange, body included; empty means no limit (long media downloads)
 * @param followRedirects how many redirects sprox follows itself (0 to 10; 0 passes them to the client)
 * @param redirectTargets off-origin redirect hops allowed past the destination checks
 */
public record UpstreamConfig(URI origin, Duration connectTimeout, Duration readTimeout,
                             Optional<Duration> requestTimeout, UpstreamTlsConfig tls,
                             Optional<Socks5Config> socks5, int followRedirects, RedirectTargets redirectTargets,
                             RetryConfig retry, HeaderPolicy headers) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_FOLLOW_REDIRECTS = 7;
    public static final int MAX_FOLLOW_REDIRECTS = 10;
}
