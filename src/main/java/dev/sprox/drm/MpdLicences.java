package dev.sprox.drm;

import dev.sprox.dash.ClearKeyLicenceWriter;
import dev.sprox.direct.DirectAuthorization;
import dev.sprox.direct.UrlSigning;
import dev.sprox.telemetry.Tracing;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * sprox's own licence endpoint as the licence server of the MPDs its routes rewrite: a KID counts as held when a
 * licence request for it would be answered now (a static key, or one the key server gives, asked and cached as
 * for a licence request), and the URL is {@code /keys/clearkey} signed with the direct signing key for
 * {@code direct_stream.signed_url_ttl_s} and bound to the MPD's held KIDs, so it opens no other title's keys.
 * One per configuration generation.
 */
public final class MpdLicences implements ClearKeyLicenceWriter.LicenceServer {
    private final KeyLookup keys;
    private final Tracing tracing;
    private final DirectAuthorization authorization;

    private MpdLicences(KeyLookup keys, Tracing tracing, DirectAuthorization authorization) {
        this.keys = keys;
        this.tracing = tracing;
        this.authorization = authorization;
    }

    /** The licence server for this generation's MPDs; none when it has no keys and no key server. */
    public static Optional<ClearKeyLicenceWriter.LicenceServer> of(KeyLookup keys, Tracing tracing,
                                                                   DirectAuthorization authorization) {
        return keys.mayHoldKeys() ? Optional.of(new MpdLicences(keys, tracing, authorization)) : Optional.empty();
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
    public String path(Set<String> kids) {
        UrlSigning signing = authorization.signing(authorization.signedUrlTtl());
        return LicenceUrls.signed(kids.stream().map(hex -> Kid.parse(hex).orElseThrow()).toList(), signing.signer(),
                signing.expiresEpochSecond());
    }
}
