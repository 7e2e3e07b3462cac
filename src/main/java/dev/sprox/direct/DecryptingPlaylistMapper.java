package dev.sprox.direct;

import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.UriMapper;

/**
 * The first of the two passes that make a decrypting HLS playlist: playlists it names (variants, renditions) go to
 * the manifest endpoint still decrypting, with the same keys; the media and the protection's own URIs (init
 * sections, segments, keys, parts, hints) are left absolute for {@link dev.sprox.hls.DecryptingPlaylist}, which
 * turns them into decrypting URLs or drops them; anything else goes where direct mode sends it.
 */
record DecryptingPlaylistMapper(DirectPlaylistMapper direct, Decryption decryption) implements UriMapper {

    @Override
    public String map(PlaylistUri uri) {
        return switch (uri.kind()) {
            case PLAYLIST -> DirectUrls.manifest(uri.toUri(), direct.overrides(), decryption, direct.signing());
            case SEGMENT, INIT_SECTION, KEY, PART, PRELOAD_HINT -> uri.absolute();
            default -> direct.map(uri);
        };
    }
}
