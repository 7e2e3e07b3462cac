package dev.sprox.config;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;

/** Binds the {@code server} and {@code logging} blocks; absent keys keep their defaults. */
final class SettingsBinder {
    private static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

    private SettingsBinder() {}

    static ServerSettings server(Fields f) {
        ServerSettings d = ServerSettings.DEFAULT;
        var settings = new ServerSettings(
                f.integer("max_connections", 1, 1_000_000).map(Long::intValue).orElse(d.maxConnections()),
                f.millis("header_timeout_ms").orElse(d.headerTimeout()),
                f.millis("idle_timeout_ms").orElse(d.idleTimeout()),
                f.millis("body_timeout_ms").orElse(d.bodyTimeout()),
                f.integer("max_request_line_bytes", 256, 1 << 20).map(Long::intValue)
                        .orElse(d.maxRequestLineBytes()),
                f.integer("max_header_bytes", 1024, 1 << 20).map(Long::intValue).orElse(d.maxHeaderBytes()),
                f.integer("max_header_count", 8, 10_000).map(Long::intValue).orElse(d.maxHeaderCount()),
                f.integer("max_body_bytes", 0, Long.MAX_VALUE).orElse(d.maxBodyBytes()),
                f.millis("shutdown_grace_ms").orElse(d.shutdownGrace()),
                f.millis("send_timeout_ms").orElse(d.sendTimeout()));
        f.rejectUnknown();
        return settings;
    }

    /** {@code features: {name: true|false}}; unknown names are problems, with a suggestion. */
    static Set<Feature> features(Fields f) {
        var enabled = EnumSet.noneOf(Feature.class);
        for (Feature feature : Feature.values()) {
            if (f.bool(feature.configName()).orElse(false)) {
                enabled.add(feature);
            }
        }
        f.rejectUnknown();
        return enabled;
    }

    static LoggingSettings logging(Fields f) {
        String level = f.string("level").map(l -> l.strip().toLowerCase(Locale.ROOT))
                .orElse(LoggingSettings.DEFAULT.level());
        if (!LEVELS.contains(level)) {
            f.problem("level", "unknown level \"" + level + "\"; expected one of " + String.join(", ", LEVELS));
        }
        boolean accessLog = f.bool("access_log").orElse(LoggingSettings.DEFAULT.accessLog());
        f.rejectUnknown();
        return new LoggingSettings(level, accessLog);
    }

}
