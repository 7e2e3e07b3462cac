package dev.sprox.drm;

import java.io.IOException;
import java.util.Optional;

/** Content sprox cannot decrypt: no key for its KID, the key server cannot say, or a layout sprox does not handle. */
public final class DecryptException extends IOException {
    /** Why, counted by {@code sprox_drm_decrypt_failures_total{reason}}. */
    public enum Reason {
        MISSING_KEY, KEY_UNAVAILABLE, UNSUPPORTED;

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

    /** The KID whose key was missing (KIDs are not secret). */
    public Optional<Kid> kid() {
        return kid;
    }
}
