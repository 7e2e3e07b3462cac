package dev.sprox.route;

import dev.sprox.dash.DashConfig;
import dev.sprox.dash.MpdException;
import dev.sprox.dash.MpdLimits;
import dev.sprox.dash.MpdRewriter;
import dev.sprox.upstream.OriginPlaylist;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Route mode for DASH: rewrites a whole origin MPD so the player comes back through sprox, with the same mapping
 * as playlists ({@link RoutePlaylistMapper}). An MPD that cannot be rewritten safely is a 502 with the reason.
 */
final class MpdRelay {
    private MpdRelay() {}

    /** @param mpdUrl where the MPD was fetched from, after redirects; relative references resolve against it */
    static byte[] rewrite(byte[] body, URI mpdUrl, DashConfig dash, URI origin) {
        // DASH has no allow_insecure_segments: an http reference stays http, as the origin wrote it.
        var mapper = new RoutePlaylistMapper(origin, dash.baseUrl().orElseThrow(), mpdUrl, true);
        try {
            return MpdRewriter.rewrite(OriginPlaylist.text(body), mpdUrl, mapper,
                    MpdLimits.defaults().withMaxChars(dash.maxManifestBytes())).getBytes(StandardCharsets.UTF_8);
        } catch (MpdException e) {
            throw OriginPlaylist.refused("malformed MPD: " + e.getMessage());
        }
    }
}
