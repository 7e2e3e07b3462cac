package dev.sprox.config;

import dev.sprox.drm.ContentKey;
import dev.sprox.drm.DrmConfig;
import dev.sprox.drm.Kid;
import dev.sprox.security.Secret;
import dev.sprox.upstream.UpstreamTlsConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Binds the {@code drm} block. A malformed key is reported at its line without its text: a typo in a key is
 * still a key an operator would not want in a CI log.
 */
final class DrmBinder {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final List<String> PLACEHOLDERS = List.of("kid", "kid_uuid", "kid_base64url");

    private DrmBinder() {}

    static DrmConfig drm(Fields f) {
        List<DrmConfig.StaticKey> keys = keys(f);
        Optional<DrmConfig.KeyServer> server = f.mapping("key_server").flatMap(DrmBinder::keyServer);
        f.rejectUnknown();
        return new DrmConfig(keys, server);
    }

    private static List<DrmConfig.StaticKey> keys(Fields f) {
        var keys = new ArrayList<DrmConfig.StaticKey>();
        var seen = new HashMap<Kid, Source>();
        for (Fields.Item item : f.list("keys")) {
            Fields.of(item.node(), item.path(), f.context()).ifPresent(entry -> {
                Optional<Kid> kid = entry.requiredString("kid").flatMap(text -> Kid.parse(text).or(() -> {
                    entry.problem("kid", "not a KID (32 hex digits, a UUID or base64url of 16 bytes): \"" + text + "\"");
                    return Optional.empty();
                }));
                Optional<ContentKey> key = entry.requiredString("key").flatMap(text -> ContentKey.parse(text).or(() -> {
                    entry.problem("key", "not a 16-byte key (32 hex digits or base64url); the value is not shown");
                    return Optional.empty();
                }));
                entry.rejectUnknown();
                kid.ifPresent(k -> {
                    Source first = seen.putIfAbsent(k, entry.sourceOf("kid"));
                    if (first != null) {
                        entry.problem("kid", "KID " + k.hex() + " is already given at " + first);
                    }
                });
                if (kid.isPresent() && key.isPresent()) {
                    keys.add(new DrmConfig.StaticKey(kid.get(), key.get()));
                }
            });
        }
        return keys;
    }

    private static Optional<DrmConfig.KeyServer> keyServer(Fields f) {
        Optional<DrmConfig.Method> method = f.string("method").map(m -> m.strip().toUpperCase(Locale.ROOT))
                .flatMap(m -> switch (m) {
                    case "GET" -> Optional.of(DrmConfig.Method.GET);
                    case "POST" -> Optional.of(DrmConfig.Method.POST);
                    default -> {
                        f.problem("method", "expected GET or POST, found \"" + m + "\"");
                        yield Optional.empty();
                    }
                });
        DrmConfig.Method chosen = method.orElse(DrmConfig.Method.GET);
        Optional<String> url = f.requiredString("url").map(String::strip).filter(u -> checkUrl(f, u, chosen));
        Map<String, Secret> headers = f.secretHeaders("headers");
        UpstreamTlsConfig tls = f.mapping("tls").flatMap(RouteBinder::tls).orElse(UpstreamTlsConfig.DEFAULT);
        Duration connect = f.millis("connect_timeout_ms").orElse(DrmConfig.KeyServer.DEFAULT_CONNECT_TIMEOUT);
        Duration read = f.millis("read_timeout_ms").orElse(DrmConfig.KeyServer.DEFAULT_READ_TIMEOUT);
        Duration cache = f.integer("cache_ttl_s", 0, 86_400).map(Duration::ofSeconds)
                .orElse(DrmConfig.KeyServer.DEFAULT_CACHE_TTL);
        Duration miss = f.integer("miss_ttl_s", 0, 3_600).map(Duration::ofSeconds)
                .orElse(DrmConfig.KeyServer.DEFAULT_MISS_TTL);
        DrmConfig.Breaker breaker = f.mapping("circuit_breaker").map(DrmBinder::breaker)
                .orElse(DrmConfig.Breaker.DEFAULT);
        f.rejectUnknown();
        return url.map(u -> new DrmConfig.KeyServer(u, chosen, headers, tls, connect, read, cache, miss, breaker));
    }

    private static DrmConfig.Breaker breaker(Fields f) {
        int failures = f.integer("failures", 1, 1_000).map(Long::intValue)
                .orElse(DrmConfig.Breaker.DEFAULT.failures());
        Duration open = f.integer("open_ms", 100, Duration.ofHours(1).toMillis()).map(Duration::ofMillis)
                .orElse(DrmConfig.Breaker.DEFAULT.open());
        f.rejectUnknown();
        return new DrmConfig.Breaker(failures, open);
    }

    /** An absolute http(s) URL once the placeholders are filled; GET needs the KID somewhere in it. */
    private static boolean checkUrl(Fields f, String template, DrmConfig.Method method) {
        Matcher matcher = PLACEHOLDER.matcher(template);
        boolean hasKid = false;
        while (matcher.find()) {
            if (!PLACEHOLDERS.contains(matcher.group(1))) {
                f.problem("url", "unknown placeholder {" + matcher.group(1) + "}; expected "
                        + String.join(", ", PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList()));
                return false;
            }
            hasKid = true;
        }
        if (!hasKid && method == DrmConfig.Method.GET) {
            f.problem("url", "a GET key server needs the KID in its URL: {kid}, {kid_uuid} or {kid_base64url}");
            return false;
        }
        try {
            URI uri = new URI(matcher.replaceAll("00000000000000000000000000000000"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
                return true;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        f.problem("url", "not an absolute http(s) URL without credentials: \"" + template + "\"");
        return false;
    }

    /** A route's {@code drm} block: {@code decrypt}, whether it serves its encrypted DASH as clear HLS. */
    static boolean routeDecrypt(Fields f) {
        boolean decrypt = f.bool("decrypt").orElse(false);
        f.rejectUnknown();
        return decrypt;
    }
}
