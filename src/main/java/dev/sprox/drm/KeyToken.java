package dev.sprox.drm;

import dev.sprox.security.UrlSigner;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Content keys an integrator passes for one stream instead of putting them in sprox's configuration: sealed by
 * {@link UrlSigner#seal} (AES-GCM under a key derived from the signing secret), so a URL carrying them shows neither
 * the keys nor lets anyone change them, and a log shows the token's id only. The sealed content is each KID's 16
 * bytes followed by its key's 16, at most {@link LicenceUrls#MAX_KIDS} pairs.
 */
public final class KeyToken {
    private static final int PAIR = 32;

    private KeyToken() {}

    /** The token for {@code keys} until {@code expiresEpochSecond}; the keys stay the caller's. */
    public static String seal(Map<Kid, ContentKey> keys, UrlSigner signer, long expiresEpochSecond) {
        if (keys.isEmpty() || keys.size() > LicenceUrls.MAX_KIDS) {
            throw new IllegalArgumentException("a key token holds 1 to " + LicenceUrls.MAX_KIDS + " keys");
        }
        byte[] content = new byte[keys.size() * PAIR];
        try {
            int at = 0;
            for (Map.Entry<Kid, ContentKey> entry : keys.entrySet()) {
                System.arraycopy(entry.getKey().bytes(), 0, content, at, 16);
                System.arraycopy(entry.getValue().material(), 0, content, at + 16, ContentKey.LENGTH);
                at += PAIR;
            }
            return signer.seal(content, expiresEpochSecond);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * The keys of an unsealed token's content, each the caller's to close; empty when the content is not pairs.
     * The content is wiped either way.
     */
    static Optional<Map<Kid, ContentKey>> keys(byte[] content) {
        try {
            if (content.length == 0 || content.length % PAIR != 0 || content.length / PAIR > LicenceUrls.MAX_KIDS) {
                return Optional.empty();
            }
            var keys = new HashMap<Kid, ContentKey>();
            for (int at = 0; at < content.length; at += PAIR) {
                ContentKey previous = keys.put(Kid.of(Arrays.copyOfRange(content, at, at + 16)),
                        ContentKey.wrap(Arrays.copyOfRange(content, at + 16, at + PAIR)));
                if (previous != null) {
                    previous.close();
                }
            }
            return Optional.of(keys);
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }
}
