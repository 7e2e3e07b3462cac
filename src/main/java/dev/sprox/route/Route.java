package dev.sprox.route;

import dev.sprox.upstream.Socks5Bridge;
import dev.sprox.upstream.UpstreamClient;
import dev.sprox.upstream.PlaylistCoalescer;
import java.util.Optional;

/**
 * A configured route with the client that reaches its origin (and the SOCKS5 bridge under it, if any) and its
 * playlist coalescer, which lives and dies with the snapshot like the client.
 */
public record Route(RouteConfig config, UpstreamClient client, Optional<Socks5Bridge> socks5,
                    PlaylistCoalescer<PlaylistKey> playlists) {

    void close() {
        client.close();
        socks5.ifPresent(Socks5Bridge::close);
    }
}
