package dev.sprox.drm;

import dev.sprox.mp4.EncryptionParameters;

/**
 * How one track of an init segment is protected: its scheme and {@code tenc} defaults, and the {@code trex}
 * default sample size its fragments may rely on (-1 when the init segment has none).
 */
public record TrackProtection(long trackId, CencScheme scheme, EncryptionParameters defaults,
                              long defaultSampleSize) {}
