package dev.sprox.drm;

import dev.sprox.http.RequestError;
import dev.sprox.http.RequestRejected;
import java.io.IOException;
import java.util.Optional;

/**
 * Content sprox cannot decrypt: no key for its KID, the key server cannot say, a key that does not decrypt it, or a
 * layout sprox does not handle.
 */
public final class DecryptException extends IOException {
    /** Why, counted by {@code sprox_drm_decrypt_failures_total{reason}}. */
    public enum Reason {
        MISSING_KEY, KEY_UNAVAILABLE, WRONG_KEY, UNSUPPORTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;
    private final Optional<Kid> kid;

    public DecryptException(Reason reason, Optional<Kid> kid, String message) {
        super(message);
        this.reason = reason;
        this.kid = kid;
    }

    public Reason reason() {
        return reason;
    }

    /** The KID whose key was missing or wrong (KIDs are not secret). */
    public Optional<Kid> kid() {
        return kid;
    }

    /** A key whose decrypted samples are not the codec's: {@code detail} says which, for the log. */
    public static DecryptException wrongKey(Kid kid, String detail) {
        return new DecryptException(Reason.WRONG_KEY, Optional.of(kid), wrongKeyText(kid) + ": " + detail);
    }

    /**
     * What the player is told: a missing key is the player's to fix (403), the rest the origin's or ours (502); a
     * wrong key names its KID (not secret), so whoever holds the keys knows which one to fix.
     */
    public RequestRejected rejection() {
        return switch (reason) {
            case MISSING_KEY -> new RequestRejected(RequestError.FORBIDDEN, "no key for this content");
            case KEY_UNAVAILABLE -> new RequestRejected(RequestError.UPSTREAM_FAILED, "key server unavailable");
            case WRONG_KEY -> new RequestRejected(RequestError.UPSTREAM_FAILED, wrongKeyText(kid.orElseThrow()));
            case UNSUPPORTED -> new RequestRejected(RequestError.UPSTREAM_FAILED, "origin media cannot be decrypted");
        };
    }

    private static String wrongKeyText(Kid kid) {
        return "the key for KID " + kid.hex() + " does not decrypt this content";
    }
}
