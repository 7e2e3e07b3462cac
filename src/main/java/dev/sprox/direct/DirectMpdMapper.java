package dev.sprox.direct;

import dev.sprox.hls.PlaylistUri;
import dev.sprox.hls.ResourceKind;
import dev.sprox.hls.UriMapper;

/**
 * Direct mode for DASH: every URL of an MPD (or of the HLS made from one) comes back through sprox. A
 * {@code Location} goes to the MPD endpoint, to be rewritten in turn; everything else (BaseURLs, templates, init
 * sections, segments, indexes) goes under a signed prefix of its directory ({@link SignedPrefixes}), so a
 * {@code $Number$} template stays a template the player completes, and a media playlist of thousands of
 * segments costs one signature per directory. A plain URL that cannot follow a prefix (a dot segment in it) gets a
 * signed URL of its own; a template that cannot is refused, since no signature could cover what the player makes
 * of it.
 */
record DirectMpdMapper(HeaderOverrides overrides, UrlSigning signing, SignedPrefixes prefixes) implements UriMapper {

    DirectMpdMapper(HeaderOverrides overrides, UrlSigning signing) {
        this(overrides, signing, new SignedPrefixes(overrides, signing));
    }

    @Override
    public String map(PlaylistUri uri) {
        if (uri.kind() == ResourceKind.MANIFEST) {
            return DirectUrls.mpd(uri.toUri(), overrides, signing);
        }
        return prefixes.inDirectory(uri.absolute()).orElseGet(() -> {
            if (uri.absolute().indexOf('$') >= 0) {
                throw new IllegalArgumentException("a template that cannot follow a signed prefix: line " + uri.line());
            }
            return DirectUrls.stream(uri.toUri(), overrides, signing);
        });
    }
}
