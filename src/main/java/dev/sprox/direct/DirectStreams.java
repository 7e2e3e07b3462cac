package dev.sprox.direct;

import dev.sprox.upstream.PlaylistCoalescer;
import dev.sprox.security.DestinationGuard;
import dev.sprox.security.HostResolver;
import dev.sprox.telemetry.Metrics;
import dev.sprox.upstream.UpstreamClient;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * The direct endpoints' share of a configuration snapshot: the {@code direct_stream} settings, the client
 * that reaches destinations only through the {@link DestinationGuard}, on every hop, and the manifest endpoint's
 * shared playlist fetches (a reload starts with none). Built and closed with the
 * snapshot, like the routes' clients.
 */
public record DirectStreams(DirectStreamConfig config, UpstreamClient client,
                            PlaylistCoalescer<DirectPlaylistKey> playlists) implements AutoCloseable {
    public static DirectStreams build(DirectStreamConfig config, Metrics metrics)
            throws IOException, GeneralSecurityException {
        var guard = new DestinationGuard(config.allowlist(), config.allowCidrs(), HostResolver.system());
        var playlists = new PlaylistCoalescer<DirectPlaylistKey>(config.readTimeout(),
                metrics.directPlaylistFetches(), metrics.directPlaylistsCoalesced());
        return new DirectStreams(config, client(config, guard, metrics::directRetried), playlists);
    }

    /** The upstream client {@code direct_stream} describes, admitting only what {@code guard} admits. */
    public static UpstreamClient client(DirectStreamConfig config, DestinationGuard guard, Runnable onRetry)
            throws IOException, GeneralSecurityException {
        var settings = new UpstreamClient.Settings(config.connectTimeout(), config.readTimeout(),
                config.requestTimeout(), config.followRedirects(), config.retry());
        return UpstreamClient.forDirect(settings, config.proxy(), config.redactDestinationQuery(), guard, onRetry);
    }

    @Override
    public void close() {
        client.close();
    }
}
