package dev.sprox.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Named switches for experimental rewrites, turned on or off in {@code features:} and applied by a reload,
 * so trying one needs no redeploy.
 */
public enum Feature {
    /** Drop EXT-X-PROGRAM-DATE-TIME from rewritten playlists, for players that mis-seek on wall-clock tags. */
    HLS_STRIP_PROGRAM_DATE_TIME;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Feature> parse(String name) {
        return Arrays.stream(values()).filter(f -> f.configName().equals(name)).findFirst();
    }

    static List<String> names() {
        return Arrays.stream(values()).map(Feature::configName).toList();
    }
}
