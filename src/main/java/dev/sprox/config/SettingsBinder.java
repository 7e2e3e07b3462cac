package dev.sprox.config;

import dev.sprox.ops.OpsConfig;
import dev.sprox.pipeline.CorsConfig;
import dev.sprox.route.Feature;
import dev.sprox.security.RateLimitConfig;
import dev.sprox.security.SensitiveLogging;
import dev.sprox.server.ServerSettings;
import dev.sprox.telemetry.LoggingSettings;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

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
            if (f.bool(ConfigNames.of(feature)).orElse(false)) {
                enabled.add(feature);
            }
        }
        f.rejectUnknown();
        return enabled;
    }

    /**
     * {@code rate_limit}: a per-client bucket (required keys), an optional global one, and the bucket for
     * authentication failures and the one for key endpoints (both defaulted: whoever limits requests wants
     * guessing and harvesting limited too).
     */
    static OpsConfig ops(Fields f) {
        long speedtestMaxBytes = f.mapping("speedtest").map(s -> {
            long max = s.integer("max_bytes", 0, OpsConfig.MAX_SPEEDTEST_MAX_BYTES)
                    .orElse(OpsConfig.DEFAULT_SPEEDTEST_MAX_BYTES);
            s.rejectUnknown();
            return max;
        }).orElse(OpsConfig.DEFAULT_SPEEDTEST_MAX_BYTES);
        f.rejectUnknown();
        return new OpsConfig(speedtestMaxBytes);
    }

    static RateLimitConfig rateLimit(Fields f) {
        RateLimitConfig.Bucket perClient = bucket(f);
        java.util.Optional<RateLimitConfig.Bucket> global = f.mapping("global").map(SettingsBinder::nestedBucket);
        Optional<Fields> failures = f.mapping("auth_failures");
        int authFailuresIpv6Prefix = failures.map(a -> ipv6Prefix(a, RateLimitConfig.DEFAULT_AUTH_FAILURES_IPV6_PREFIX))
                .orElse(RateLimitConfig.DEFAULT_AUTH_FAILURES_IPV6_PREFIX);
        RateLimitConfig.Bucket authFailures = failures.map(SettingsBinder::nestedBucket)
                .orElse(RateLimitConfig.DEFAULT_AUTH_FAILURES);
        RateLimitConfig.Bucket keyEndpoints = f.mapping("key_endpoints").map(SettingsBinder::nestedBucket)
                .orElse(RateLimitConfig.DEFAULT_KEY_ENDPOINTS);
        int maxClients = f.integer("max_tracked_clients", 1, 10_000_000).map(Long::intValue)
                .orElse(RateLimitConfig.DEFAULT_MAX_TRACKED_CLIENTS);
        int ipv6Prefix = ipv6Prefix(f, RateLimitConfig.DEFAULT_IPV6_PREFIX);
        f.rejectUnknown();
        return new RateLimitConfig(perClient, global, authFailures, keyEndpoints, maxClients, ipv6Prefix,
                authFailuresIpv6Prefix);
    }

    /** Shorter than a /32 would lump whole providers together. */
    private static int ipv6Prefix(Fields f, int byDefault) {
        return f.integer("ipv6_prefix", 32, 128).map(Long::intValue).orElse(byDefault);
    }

    private static RateLimitConfig.Bucket nestedBucket(Fields f) {
        RateLimitConfig.Bucket bucket = bucket(f);
        f.rejectUnknown();
        return bucket;
    }

    private static RateLimitConfig.Bucket bucket(Fields f) {
        if (!f.has("requests_per_second")) {
            f.missing("requests_per_second");
        }
        double perSecond = f.decimal("requests_per_second", 0.001, 1_000_000).orElse(1.0);
        int burst = f.integer("burst", 1, 10_000_000).map(Long::intValue).orElse((int) Math.ceil(perSecond));
        return new RateLimitConfig.Bucket(perSecond, burst);
    }

    /** {@code cors}; credentials together with {@code *} would let any site read answers meant for a user. */
    static CorsConfig cors(Fields f) {
        List<String> origins = f.strings("allow_origins").stream().map(String::strip).toList();
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?")) {
                f.problem("allow_origins", "not an origin (scheme://host[:port]) or *: \"" + origin + "\"");
            }
        }
        List<String> methods = f.has("allow_methods")
                ? f.strings("allow_methods").stream().map(m -> m.strip().toUpperCase(Locale.ROOT)).toList()
                : CorsConfig.DEFAULT_METHODS;
        List<String> headers = f.strings("allow_headers").stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
                .toList();
        List<String> expose = f.has("expose_headers") ? f.strings("expose_headers") : CorsConfig.DEFAULT_EXPOSE;
        java.time.Duration maxAge = f.integer("max_age_secs", 0, 86_400).map(java.time.Duration::ofSeconds)
                .orElse(java.time.Duration.ofMinutes(10));
        boolean credentials = f.bool("allow_credentials").orElse(false);
        if (credentials && origins.contains("*")) {
            f.problem("allow_credentials", "cannot be true when allow_origins has *: name the origins");
        }
        f.rejectUnknown();
        return new CorsConfig(origins, methods, headers, expose, maxAge, credentials);
    }

    static SensitiveLogging sensitiveLogging(Fields f) {
        SensitiveLogging d = SensitiveLogging.DEFAULT;
        var settings = new SensitiveLogging(f.bool("log_sensitive_headers").orElse(d.logSensitiveHeaders()),
                f.bool("redact_sensitive_queries").orElse(d.redactSensitiveQueries()));
        f.rejectUnknown();
        return settings;
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
