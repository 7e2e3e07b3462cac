package dev.sprox.drm;

import dev.sprox.security.Secret;
import dev.sprox.upstream.UpstreamTlsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code drm} block: content keys written in the configuration, and a key server that answers the rest.
 * Always present; by default there are no keys and no key server, and licence requests find nothing.
 *
 * @param keys      static keys; the snapshot's key store takes their arrays and wipes them when it is retired
 * @param keyServer asked for any KID the static keys do not have
 */
public record DrmConfig(List<StaticKey> keys, Optional<KeyServer> keyServer) {
    public static final DrmConfig NONE = new DrmConfig(List.of(), Optional.empty());

    public DrmConfig {
        keys = List.copyOf(keys);
    }

    /** One {@code drm.keys} entry; the key prints as REDACTED wherever the configuration is shown. */
    public record StaticKey(Kid kid, ContentKey key) {}

    /**
     * A backend that answers keys by KID with a W3C ClearKey JSON answer.
     *
     * @param url          an absolute http(s) URL in which {@code {kid}}, {@code {kid_uuid}} and
     *                     {@code {kid_base64url}} stand for the KID asked for
     * @param method       GET, or POST with a ClearKey licence request body ({@code {"kids":[...]}})
     * @param headers      sent with every request; secrets, masked by {@code validate --print}
     * @param tls          CA bundle, client certificate (mutual TLS) and SNI, as a route's upstream has them
     * @param cacheTtl     how long an answered key stays in the store; zero keeps it for the one request
     * @param missTtl      how long "no such key" is remembered, so unknown KIDs do not hammer the server
     * @param circuitBreaker when to stop asking a server that keeps failing, and for how long
     */
    public record KeyServer(String url, Method method, Map<String, Secret> headers, UpstreamTlsConfig tls,
                            Duration connectTimeout, Duration readTimeout, Duration cacheTtl, Duration missTtl,
                            Breaker circuitBreaker) {
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
        public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
        public static final Duration DEFAULT_MISS_TTL = Duration.ofSeconds(5);

        public KeyServer {
            headers = Map.copyOf(headers);
        }

        /** The URL for one KID. */
        public URI urlFor(Kid kid) {
            return URI.create(url.replace("{kid}", kid.hex()).replace("{kid_uuid}", kid.uuid())
                    .replace("{kid_base64url}", kid.base64Url()));
        }
    }

    /**
     * {@code key_server.circuit_breaker}: after {@code failures} failed lookups in a row the key server is not
     * asked for {@code open}; then one trial request decides whether it is asked again.
     */
    public record Breaker(int failures, Duration open) {
        public static final Breaker DEFAULT = new Breaker(5, Duration.ofSeconds(10));
    }

    public enum Method { GET, POST }
}
