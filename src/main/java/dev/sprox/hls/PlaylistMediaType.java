package dev.sprox.hls;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Tells an HLS playlist by its media type (parameters such as {@code charset} ignored) or its path. */
public final class PlaylistMediaType {
    private static final Set<String> TYPES = Set.of("application/vnd.apple.mpegurl", "application/x-mpegurl",
            "audio/mpegurl", "audio/x-mpegurl");

    private PlaylistMediaType() {}

    public static boolean isPlaylist(Optional<String> contentType, String path) {
        if (contentType.isPresent()) {
            String type = contentType.get();
            int semicolon = type.indexOf(';');
            String bare = (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
            if (TYPES.contains(bare)) {
                return true;
            }
        }
        return path != null && path.toLowerCase(Locale.ROOT).endsWith(".m3u8");
    }
}
