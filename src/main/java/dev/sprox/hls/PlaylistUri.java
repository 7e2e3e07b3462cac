package dev.sprox.hls;

import java.net.URI;

/**
 * One URI of a playlist, as offered to a {@link UriMapper}.
 *
 * @param kind     what the URI points at
 * @param absolute the URI after variable substitution and RFC 3986 resolution against the playlist URL:
 *                 always an absolute http or https URI that {@link URI} accepts, raw text (percent-encoding)
 *                 exactly as written. Text rather than a {@link URI} because parsing one per segment would cost
 *                 more than the whole rewrite; {@link #toUri()} parses on demand.
 * @param written  the text as it stands in the playlist, variable references included; a mapper that
 *                 returns it leaves the playlist unchanged
 * @param line     1-based line number, for diagnostics
 */
public record PlaylistUri(ResourceKind kind, String absolute, String written, int line) {

    /** {@link #absolute()} as a {@link URI}; never fails, the rewriter has checked it. */
    public URI toUri() {
        return URI.create(absolute);
    }
}
