package dev.sprox.direct;

import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import dev.sprox.hls.UriMapper;
import java.net.URI;

/**
 * Direct mode: every URI of a playlist comes back through sprox, playlists to the manifest endpoint (so they are
 * rewritten in turn) and everything else to the stream endpoint, with the overrides the playlist was fetched
 * with, signed. Unlike route mode nothing is left pointing at its own host: the destination check applies to each.
 *
 * <p>Segments, keys, init sections and parts in the playlist's own directory (usually all of them) share one signed
 * prefix ({@link SignedPrefixes}): one signature per playlist rather than one per URI. Anything else gets a
 * signed URL of its own.
 *
 * @param base the directory of the URL the playlist came from; empty when it has none, and nothing is under it
 */
record DirectPlaylistMapper(HeaderOverrides overrides, UrlSigning signing, String base, SignedPrefixes prefixes)
        implements UriMapper {

    /** @param playlist the URL the playlist was finally fetched from */
    static DirectPlaylistMapper of(URI playlist, HeaderOverrides overrides, UrlSigning signing) {
        return new DirectPlaylistMapper(overrides, signing, SignedPrefixes.directory(playlist.toString()).orElse(""),
                new SignedPrefixes(overrides, signing));
    }

    @Override
    public String map(PlaylistUri uri) {
        if (uri.kind() == ResourceKind.PLAYLIST) {
            return DirectUrls.manifest(uri.toUri(), overrides, signing);
        }
        return prefixes.under(base, uri.absolute()).orElseGet(() -> DirectUrls.stream(uri.toUri(), overrides, signing));
    }
}
