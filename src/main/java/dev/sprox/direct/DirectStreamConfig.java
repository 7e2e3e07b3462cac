package dev.sprox.direct;

import dev.sprox.hls.HlsConfig;
import dev.sprox.security.AllowRule;
import dev.sprox.security.Cidr;
import dev.sprox.security.Secret;
import dev.sprox.upstream.OutboundProxy;
import dev.sprox.upstream.RetryConfig;
import dev.sprox.upstream.UpstreamConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code direct_stream} block: what {@code /proxy/stream} and {@code /proxy/hls} may fetch and how. Always
 * present; its default allows nothing (an empty allowlist).
 *
 * @param allowlist              destinations that may be fetched; empty means none
 * @param allowCidrs             addresses reachable although the SSRF guard forbids their kind (loopback, private...)
 * @param apiPassword            what clients present; from the file, else SPROX_DIRECT_API_PASSWORD, else
 *                               SPROX_API_PASSWORD
 * @param signingSecret          keys the signatures of URLs sprox writes into playlists; empty means a random key
 *                               per process
 * @param signedUrlTtl           how long a signed URL stays valid
 * @param maxConcurrent          direct streams in flight at once; more get 503
 * @param requestTimeout         the whole exchange, body included; empty means no limit (media downloads are long)
 * @param followRedirects        redirects followed, each hop checked again (0 to 10)
 * @param proxy                  an outbound proxy for every direct request (SPROX_DIRECT_PROXY_URL overrides it)
 * @param redactDestinationQuery whether logs and spans show the destination's query values as REDACTED
 * @param maxPlaylistBytes       a larger playlist is refused (502) rather than read whole, as for routes
 * @param maxRewrittenPlaylistBytes a playlist that would rewrite to more than this is refused (502)
 */
public record DirectStreamConfig(List<AllowRule> allowlist, List<Cidr> allowCidrs, Optional<Secret> apiPassword,
                                 Optional<Secret> signingSecret, Duration signedUrlTtl, int maxConcurrent,
                                 Duration connectTimeout, Duration readTimeout, Optional<Duration> requestTimeout,
                                 int followRedirects, RetryConfig retry, Optional<OutboundProxy> proxy,
                                 boolean redactDestinationQuery, int maxPlaylistBytes,
                                 int maxRewrittenPlaylistBytes) {

    public static final Duration DEFAULT_SIGNED_URL_TTL = Duration.ofHours(1);
    public static final int DEFAULT_MAX_CONCURRENT = 50;
    public static final int DEFAULT_FOLLOW_REDIRECTS = 10;
    public static final DirectStreamConfig DEFAULT = new DirectStreamConfig(List.of(), List.of(), Optional.empty(),
            Optional.empty(), DEFAULT_SIGNED_URL_TTL, DEFAULT_MAX_CONCURRENT, UpstreamConfig.DEFAULT_CONNECT_TIMEOUT,
            UpstreamConfig.DEFAULT_READ_TIMEOUT, Optional.empty(), DEFAULT_FOLLOW_REDIRECTS, RetryConfig.DEFAULT,
            Optional.empty(), true, HlsConfig.DEFAULT_MAX_PLAYLIST_BYTES,
            HlsConfig.DEFAULT_MAX_REWRITTEN_PLAYLIST_BYTES);

    public DirectStreamConfig {
        allowlist = List.copyOf(allowlist);
        allowCidrs = List.copyOf(allowCidrs);
    }
}
