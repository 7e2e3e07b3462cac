package dev.sprox.hls;

import java.net.URI;
import java.util.Objects;

/**
 * Rewrites every URI of an HLS playlist (RFC 8216 and its bis draft, LL-HLS included) through a {@link UriMapper};
 * everything else stays byte for byte. A pure function: no I/O, no global state, one pass.
 *
 * <p>Choices where the specification leaves room, or where real playlists stray from it:
 * <ul>
 *   <li>Variables: {@code {$name}} in a URI is substituted (NAME/VALUE, IMPORT from
 *       {@link RewriteOptions#importedVariables()}, QUERYPARAM from the playlist URL's raw query) before
 *       resolution, so the mapper sees what a client would fetch; the written text, references included, is
 *       what gets replaced. EXT-X-DEFINE lines themselves are kept, except that a QUERYPARAM one becomes its
 *       NAME/VALUE equivalent when {@link RewriteOptions#inlineQueryParameters()} says the client's URL is not
 *       the playlist's.</li>
 *   <li>Duplicate URI attributes (forbidden by §4.2): each occurrence is offered and rewritten.</li>
 *   <li>A leading UTF-8 BOM (forbidden by §4.1) is kept as it is and skipped when checking for #EXTM3U.</li>
 *   <li>Only http and https URIs are offered; skd:, data:, urn: and other schemes are left as written.</li>
 *   <li>Absolute URIs are offered exactly as written; relative ones resolve per RFC 3986 §5.2 against
 *       {@code playlistUrl}, which must be the URL after redirects. Nothing is decoded or re-encoded.</li>
 *   <li>URI lines and tags may be indented and URI lines may carry trailing blanks; the blanks are kept.</li>
 * </ul>
 */
public final class PlaylistRewriter {

    private PlaylistRewriter() {}

    /** {@link #rewrite(String, URI, UriMapper, RewriteOptions)} with {@link RewriteOptions#defaults()}. */
    public static String rewrite(String playlist, URI playlistUrl, UriMapper mapper) throws PlaylistException {
        return rewrite(playlist, playlistUrl, mapper, RewriteOptions.defaults());
    }

    /**
     * @param playlist    the playlist text, already decoded from UTF-8
     * @param playlistUrl the absolute http(s) URL the playlist was finally fetched from
     * @param mapper      gives the text that replaces each URI
     * @throws PlaylistException when the playlist cannot be rewritten safely (not a playlist, malformed,
     *                           over a limit); nothing else is thrown for any input text
     * @throws IllegalArgumentException when {@code playlistUrl} is not absolute http(s), or the mapper
     *                                  returns text that would corrupt the playlist
     */
    public static String rewrite(String playlist, URI playlistUrl, UriMapper mapper, RewriteOptions options)
            throws PlaylistException {
        Objects.requireNonNull(playlist, "playlist");
        Objects.requireNonNull(playlistUrl, "playlistUrl");
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(options, "options");
        return new RewritePass(playlist, playlistUrl, mapper, options).run();
    }
}
