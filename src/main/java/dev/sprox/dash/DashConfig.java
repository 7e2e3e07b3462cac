package dev.sprox.dash;

import java.net.URI;
import java.util.Optional;

/**
 * A route's DASH handling.
 *
 * @param enabled              MPD requests on this route are coalesced like playlists
 * @param rewriteManifestUrls  rewrite MPDs so the player's next requests come back to {@code baseUrl}
 * @param baseUrl              where players reach this route; origin paths are appended to it
 * @param maxManifestBytes     larger MPDs are refused (502) rather than buffered
 */
public record DashConfig(boolean enabled, boolean rewriteManifestUrls, Optional<URI> baseUrl, int maxManifestBytes) {

    public static final int DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** A dynamic MPD fetched for one player also answers others for this fraction of its minimumUpdatePeriod. */
    public static final double LIVE_CACHE_FRACTION = 0.5;
    public static final DashConfig DISABLED = new DashConfig(false, false, Optional.empty(),
            DEFAULT_MAX_MANIFEST_BYTES);

    public boolean rewrites() {
        return enabled && rewriteManifestUrls;
    }
}
