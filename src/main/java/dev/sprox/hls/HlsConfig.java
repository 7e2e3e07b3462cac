package dev.sprox.hls;

import java.net.URI;
import java.util.Optional;

/**
 * A route's HLS handling.
 *
 * @param rewritePlaylistUrls    rewrite playlists so the player's next requests come back to {@code baseUrl}
 * @param baseUrl                where players reach this route; origin paths are appended to it
 * @param allowInsecureSegments  let a playlist fetched over https point at http resources
 * @param maxPlaylistBytes       larger playlists are refused (502) rather than buffered
 * @param liveCacheFraction      a fetched playlist answers later requests for this fraction of its update
 *                               interval; 0 shares only fetches already in flight
 * @param maxRewrittenPlaylistBytes a playlist that would rewrite to more than this is refused (502): a few MiB of
 *                               variable references can expand into gigabytes
 */
public record HlsConfig(boolean enabled, boolean rewritePlaylistUrls, Optional<URI> baseUrl,
                        boolean allowInsecureSegments, int maxPlaylistBytes, double liveCacheFraction,
                        int maxRewrittenPlaylistBytes) {

    public static final int DEFAULT_MAX_PLAYLIST_BYTES = 4 * 1024 * 1024;
    /** Four times the largest default input: a direct rewrite grows a segment line ~13-fold, real playlists less. */
    public static final int DEFAULT_MAX_REWRITTEN_PLAYLIST_BYTES = 16 * 1024 * 1024;
    public static final long MAX_MAX_REWRITTEN_PLAYLIST_BYTES = 256L * 1024 * 1024;
    public static final double DEFAULT_LIVE_CACHE_FRACTION = 0.5;
    public static final HlsConfig DISABLED = new HlsConfig(false, false, Optional.empty(), false,
            DEFAULT_MAX_PLAYLIST_BYTES, DEFAULT_LIVE_CACHE_FRACTION, DEFAULT_MAX_REWRITTEN_PLAYLIST_BYTES);

    public boolean rewrites() {
        return enabled && rewritePlaylistUrls;
    }
}
