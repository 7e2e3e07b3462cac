package dev.sprox.drm;

import dev.sprox.mp4.EncryptionParameters;

/**
 * How one track of an init segment is protected: its scheme and {@code tenc} defaults, the {@code trex} default
 * sample size its fragments may rely on (-1 when the init segment has none), and what its decrypted samples must
 * look like.
 */
public record TrackProtection(long trackId, CencScheme scheme, EncryptionParameters defaults, long defaultSampleSize,
                              SampleCheck check) {

    /** A track whose samples are not checked. */
    public TrackProtection(long trackId, CencScheme scheme, EncryptionParameters defaults, long defaultSampleSize) {
        this(trackId, scheme, defaults, defaultSampleSize, SampleCheck.NONE);
    }
}
