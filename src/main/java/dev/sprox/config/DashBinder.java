package dev.sprox.config;

import dev.sprox.dash.DashConfig;
import java.net.URI;
import java.util.Optional;

/** Binds a route's {@code dash} block. */
final class DashBinder {
    private DashBinder() {}

    static DashConfig dash(Fields dash) {
        boolean enabled = dash.bool("enabled").orElse(true);
        boolean rewrite = dash.bool("rewrite_manifest_urls").orElse(false);
        Optional<URI> baseUrl = dash.string("base_url").flatMap(text -> HlsBinder.baseUrl(dash, text));
        int maxBytes = dash.integer("max_manifest_bytes", 1024, 64L * 1024 * 1024).map(Long::intValue)
                .orElse(DashConfig.DEFAULT_MAX_MANIFEST_BYTES);
        if (enabled && rewrite && baseUrl.isEmpty() && !dash.has("base_url")) {
            dash.problem("base_url", "is required when rewrite_manifest_urls is true");
        }
        dash.rejectUnknown();
        return new DashConfig(enabled, rewrite, baseUrl, maxBytes);
    }
}
