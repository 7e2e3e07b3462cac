package dev.sprox.route;

import dev.sprox.dash.ClearKeyLicenceWriter;
import dev.sprox.dash.DashConfig;
import dev.sprox.dash.MpdException;
import dev.sprox.dash.MpdLimits;
import dev.sprox.dash.MpdRewriter;
import dev.sprox.upstream.OriginPlaylist;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Route mode for DASH: rewrites a whole origin MPD so the player comes back through sprox, with the same mapping
 * as playlists ({@link RoutePlaylistMapper}), and, for content whose keys sprox holds, with sprox's licence URL in
 * its ClearKey ContentProtection ({@link ClearKeyLicenceWriter}). An MPD that cannot be rewritten safely is a 502
 * with the reason.
 */
final class MpdRelay {
    private MpdRelay() {}

    /**
     * @param mpdUrl   where the MPD was fetched from, after redirects; relative references resolve against it
     * @param licences present when sprox may hold keys at all; the licence URL goes on {@code dash.base_url}'s origin
     */
    static byte[] rewrite(byte[] body, URI mpdUrl, DashConfig dash, URI origin,
                          Optional<ClearKeyLicenceWriter.LicenceServer> licences) {
        // DASH has no allow_insecure_segments: an http reference stays http, as the origin wrote it.
        var mapper = new RoutePlaylistMapper(origin, dash.baseUrl().orElseThrow(), mpdUrl, true);
        MpdLimits limits = MpdLimits.defaults().withMaxChars(dash.maxManifestBytes());
        try {
            String rewritten = MpdRewriter.rewrite(OriginPlaylist.text(body), mpdUrl, mapper, limits);
            if (licences.isPresent()) {
                rewritten = ClearKeyLicenceWriter.write(rewritten, licences.get(), dash.baseUrl().orElseThrow(), limits);
            }
            return rewritten.getBytes(StandardCharsets.UTF_8);
        } catch (MpdException e) {
            throw OriginPlaylist.refused("malformed MPD: " + e.getMessage());
        }
    }
}
