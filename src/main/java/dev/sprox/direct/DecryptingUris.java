package dev.sprox.direct;

import dev.sprox.hls.DecryptingPlaylist;
import java.net.URI;
import java.util.Optional;

/**
 * The decrypting mode's media URLs: each init segment and segment of a decrypting playlist goes to
 * {@link DirectUrls#DECRYPT}, signed with the playlist's overrides and keys, a segment naming the init segment whose
 * protection it has, and each carrying the origin byte range it is.
 */
record DecryptingUris(HeaderOverrides overrides, Decryption playlist, UrlSigning signing)
        implements DecryptingPlaylist.Uris {

    @Override
    public String init(String absolute, Optional<DecryptingPlaylist.Range> range) {
        return DirectUrls.decrypting(URI.create(absolute), overrides, playlist.forInit(range), signing);
    }

    @Override
    public String segment(String absolute, Optional<DecryptingPlaylist.Range> range, String init,
                          Optional<DecryptingPlaylist.Range> initRange) {
        return DirectUrls.decrypting(URI.create(absolute), overrides,
                playlist.forSegment(range, URI.create(init), initRange), signing);
    }
}
