package dev.sprox.direct;

import dev.sprox.pipeline.Endpoint;
import dev.sprox.server.ServeGroup;
import java.util.List;

/** The direct endpoints, in the {@code direct} group: listeners that serve it answer them. */
public final class DirectEndpoints {
    private DirectEndpoints() {}

    public static List<Endpoint> all(DirectProxy proxy) {
        return List.of(
                Endpoint.getBelow(ServeGroup.DIRECT, DirectUrls.STREAM, proxy::stream),
                Endpoint.get(ServeGroup.DIRECT, DirectUrls.MANIFEST, proxy::manifest),
                Endpoint.getBelow(ServeGroup.DIRECT, DirectUrls.PREFIX, proxy::prefix),
                Endpoint.get(ServeGroup.DIRECT, DirectUrls.MPD, proxy::mpd),
                Endpoint.get(ServeGroup.DIRECT, DirectUrls.MPD_MULTIVARIANT, proxy::mpdMultivariant),
                Endpoint.get(ServeGroup.DIRECT, DirectUrls.MPD_PLAYLIST, proxy::mpdPlaylist),
                Endpoint.getBelow(ServeGroup.DIRECT, DirectUrls.DECRYPT, proxy::decrypt));
    }
}
