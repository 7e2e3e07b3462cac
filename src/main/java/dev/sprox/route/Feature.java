package dev.sprox.route;

/**
 * Named switches for experimental rewrites, turned on or off in {@code features:} and applied by a reload,
 * so trying one needs no redeploy.
 */
public enum Feature {
    /** Drop EXT-X-PROGRAM-DATE-TIME from rewritten playlists, for players that mis-seek on wall-clock tags. */
    HLS_STRIP_PROGRAM_DATE_TIME
}
