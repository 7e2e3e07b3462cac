package dev.sprox.hls;

import java.net.URI;

/**
 * One URI of a playlist, as offered to a {@link UriMapper}.
 *
 * @param kind     what the URI points at
 * @param absolute the URI after variable substitution and RFC 3986 resolution against the playlist URL;
 *                 always http or https, raw text (percent-encoding) exactly as written
 * @param written  the text as it stands in the playlist, variable references included; a mapper that
 *                 returns it leaves the playlist unchanged
 * @param line     1-based line number, for diagnostics
 */
public record PlaylistUri(ResourceKind kind, URI absolute, String written, int line) {}
