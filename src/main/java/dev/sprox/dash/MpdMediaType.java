package dev.sprox.dash;

import java.util.Locale;
import java.util.Optional;

/** Tells an MPD by its media type ({@code application/dash+xml}, parameters ignored) or a path ending in .mpd. */
public final class MpdMediaType {
    private MpdMediaType() {}

    public static boolean isMpd(Optional<String> contentType, String path) {
        if (contentType.isPresent()) {
            String type = contentType.get();
            int semicolon = type.indexOf(';');
            String bare = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
            if (bare.equals("application/dash+xml")) {
                return true;
            }
        }
        return isMpdPath(path);
    }

    public static boolean isMpdPath(String path) {
        return path != null && path.toLowerCase(Locale.ROOT).endsWith(".mpd");
    }
}
