package dev.sprox.direct;

import dev.sprox.security.ApiPassword;
import dev.sprox.security.Secret;
import dev.sprox.security.UrlSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a direct request must present under one configuration.
 *
 * <ul>
 *   <li>A password: the password, or a URL signed by sprox (what it writes into playlists).</li>
 *   <li>A signing secret and no password: signed URLs only, minted with {@code sprox sign-url} or
 *       {@code /admin/sign-url}.</li>
 *   <li>Neither: open. Anyone may use the direct endpoints and the allowlist is the only gate.</li>
 * </ul>
 *
 * @param configuredSigner from {@code direct_stream.signing_secret}; without it sprox signs with a key of
 *                         its own that dies with the process
 */
public record DirectCredentials(Optional<ApiPassword> password, Optional<UrlSigner> configuredSigner) {
    public static final DirectCredentials OPEN = new DirectCredentials(Optional.empty(), Optional.empty());

    public static DirectCredentials of(DirectStreamConfig config) {
        return of(config.apiPassword(), config.signingSecret());
    }

    public static DirectCredentials of(Optional<Secret> password, Optional<Secret> signingSecret) {
        return new DirectCredentials(password.map(ApiPassword::new), signingSecret.map(UrlSigner::new));
    }

    public boolean open() {
        return password.isEmpty() && configuredSigner.isEmpty();
    }

    /** The signer for the URLs sprox writes and the signatures it checks. */
    public UrlSigner signer() {
        return configuredSigner.orElseGet(UrlSigner::processKey);
    }

    /** For URLs written at {@code now} that stay valid for {@code ttl}. */
    public UrlSigning signing(Instant now, Duration ttl) {
        return new UrlSigning(signer(), now.getEpochSecond() + ttl.toSeconds());
    }
}
