package dev.sprox.route;

import dev.sprox.dash.ClearKeyLicenceWriter;
import dev.sprox.drm.KeyLookup;
import dev.sprox.drm.Kid;
import dev.sprox.drm.LicenceUrls;
import dev.sprox.security.UrlSigner;
import dev.sprox.telemetry.Tracing;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * sprox's own licence endpoint as the licence server of the MPDs a route rewrites: a KID counts as held when a
 * licence request for it would be answered now (a static key, or one the key server gives), and the URL is
 * {@code /keys/clearkey} on {@code dash.base_url}'s origin, signed with the direct signing key for
 * {@code direct_stream.signed_url_ttl_s} and bound to the MPD's held KIDs, so it opens no other title's keys.
 */
final class MpdLicences implements ClearKeyLicenceWriter.LicenceServer {
    private final KeyLookup keys;
    private final Tracing tracing;
    private final UrlSigner signer;
    private final String origin;
    private final Duration ttl;
    private final InstantSource clock;

    MpdLicences(KeyLookup keys, Tracing tracing, UrlSigner signer, URI baseUrl, Duration ttl, InstantSource clock) {
        this.keys = keys;
        this.tracing = tracing;
        this.signer = signer;
        this.origin = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** At most {@link LicenceUrls#MAX_KIDS}, as many as one licence URL may bind. */
    @Override
    public Set<String> held(Set<String> kids) {
        Set<String> held = new LinkedHashSet<>();
        for (String hex : kids) {
            if (held.size() == LicenceUrls.MAX_KIDS) {
                break;
            }
            Kid.parse(hex).filter(kid -> keys.holds(kid, tracing)).ifPresent(kid -> held.add(hex));
        }
        return held;
    }

    @Override
    public String url(Set<String> kids) {
        var bound = kids.stream().map(hex -> Kid.parse(hex).orElseThrow()).toList();
        return origin + LicenceUrls.signed(bound, signer, clock.instant().getEpochSecond() + ttl.toSeconds());
    }
}
