package dev.sprox.direct;

import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import dev.sprox.hls.UriMapper;

/**
 * Direct mode: every URI of a playlist comes back through sprox, playlists to the manifest endpoint (so they are
 * rewritten in turn) and everything else to the stream endpoint, with the overrides the playlist was fetched
 * with. Unlike route mode nothing is left pointing at its own host: the destination check applies to each.
 */
record DirectPlaylistMapper(HeaderOverrides overrides) implements UriMapper {

    @Override
    public String map(PlaylistUri uri) {
        return uri.kind() == ResourceKind.PLAYLIST
                ? DirectUrls.manifest(uri.toUri(), overrides)
                : DirectUrls.stream(uri.toUri(), overrides);
    }
}
