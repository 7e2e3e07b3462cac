package dev.sprox.config;

import dev.sprox.hls.HlsConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Binds a route's {@code hls} block; its {@code base_url} rule serves the {@code dash} block too. */
final class HlsBinder {
    private HlsBinder() {}

    static HlsConfig hls(Fields hls) {
        boolean enabled = hls.bool("enabled").orElse(true);
        boolean rewrite = hls.bool("rewrite_playlist_urls").orElse(false);
        Optional<URI> baseUrl = hls.string("base_url").flatMap(text -> baseUrl(hls, text));
        boolean insecure = hls.bool("allow_insecure_segments").orElse(false);
        int maxBytes = maxPlaylistBytes(hls);
        double liveCacheFraction = hls.decimal("live_cache_fraction", 0, 1)
                .orElse(HlsConfig.DEFAULT_LIVE_CACHE_FRACTION);
        if (enabled && rewrite && baseUrl.isEmpty() && !hls.has("base_url")) {
            hls.problem("base_url", "is required when rewrite_playlist_urls is true");
        }
        int maxRewrittenBytes = maxRewrittenPlaylistBytes(hls);
        hls.rejectUnknown();
        return new HlsConfig(enabled, rewrite, baseUrl, insecure, maxBytes, liveCacheFraction, maxRewrittenBytes);
    }

    /** The same key and range in {@code routes[].hls} and {@code direct_stream}. */
    static int maxPlaylistBytes(Fields block) {
        return block.integer("max_playlist_bytes", 1024, 64L * 1024 * 1024).map(Long::intValue)
                .orElse(HlsConfig.DEFAULT_MAX_PLAYLIST_BYTES);
    }

    /** The same key and range in {@code routes[].hls} and {@code direct_stream}. */
    static int maxRewrittenPlaylistBytes(Fields block) {
        return block.integer("max_rewritten_playlist_bytes", 1024, HlsConfig.MAX_MAX_REWRITTEN_PLAYLIST_BYTES)
                .map(Long::intValue).orElse(HlsConfig.DEFAULT_MAX_REWRITTEN_PLAYLIST_BYTES);
    }

    static Optional<URI> baseUrl(Fields hls, String text) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // Reported below like any other unusable value.
        }
        hls.problem("base_url", "not an absolute http(s) URL without query: \"" + text + "\"");
        return Optional.empty();
    }
}
