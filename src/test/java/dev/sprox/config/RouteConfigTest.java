package dev.sprox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.dash.DashConfig;
import dev.sprox.hls.HlsConfig;
import dev.sprox.http.HostPattern;
import dev.sprox.route.RouteConfig;
import dev.sprox.security.Secret;
import dev.sprox.upstream.HeaderPolicy;
import dev.sprox.upstream.RedirectTargets;
import dev.sprox.upstream.RetryConfig;
import dev.sprox.upstream.Socks5Config;
import dev.sprox.upstream.UpstreamConfig;
import dev.sprox.upstream.UpstreamTlsConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteConfigTest {
    private static final String LISTENER = "listeners: [{id: public, host: 127.0.0.1, port: 8080}]\n";

    @TempDir
    Path dir;

    private LoadResult load(String yaml, Map<String, String> environment) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), LISTENER + yaml);
        return new ConfigLoader(environment::get).load(dir);
    }

    private RouteConfig route(String yaml) throws IOException {
        return assertInstanceOf(LoadResult.Valid.class, load(yaml, Map.of())).config().routes().getFirst();
    }

    private List<String> problems(String yaml) throws IOException {
        return assertInstanceOf(LoadResult.Invalid.class, load(yaml, Map.of())).problems().stream()
                .map(Problem::toString).map(p -> p.replace(dir.toString(), "DIR")).toList();
    }

    @Test
    void readsAFullRoute() throws IOException {
        Files.writeString(dir.resolve("ca.pem"), "x");
        RouteConfig route = route("""
                routes:
                  - id: vod
                    host_patterns: ["VOD.example.com.", "*.vod.example.com"]
                    protocols: [HTTP]
                    path_prefix: /vod
                    upstream:
                      origin: https://origin.example.com/vod
                      connect_timeout_ms: 2000
                      read_timeout_ms: 5000
                      request_timeout_ms: 8000
                      tls: {sni_hostname: origin.internal, ca_certificate_path: ca.pem}
                      socks5: {address: "127.0.0.1:1080", username: u, password: p}
                      redirect: {follow_max: 3, allow_hosts: [media.internal, "*.cdn.internal"],
                                 allow_cidrs: [10.20.0.0/16]}
                      retry: {max_attempts: 2, initial_delay_ms: 50, multiplier: 3, max_delay_ms: 1000, jitter: 0,
                              budget: {ratio: 0.5, window_ms: 5000, min_per_second: 1}}
                      headers: {allow: [Authorization], deny: [X-Secret], x_forwarded_for: replace}
                """);
        assertEquals(List.of(new HostPattern("vod.example.com"), new HostPattern("*.vod.example.com")),
                route.hostPatterns());
        assertEquals(Set.of("http"), route.protocols());
        assertEquals(Optional.of("/vod"), route.pathPrefix());
        UpstreamConfig upstream = route.upstream();
        assertEquals(URI.create("https://origin.example.com/vod"), upstream.origin());
        assertEquals(Duration.ofSeconds(2), upstream.connectTimeout());
        assertEquals(Duration.ofSeconds(5), upstream.readTimeout());
        assertEquals(Optional.of(Duration.ofSeconds(8)), upstream.requestTimeout());
        assertEquals(new UpstreamTlsConfig(Optional.of("origin.internal"), false, Optional.of(dir.resolve("ca.pem")),
                Optional.empty()), upstream.tls());
        assertEquals(Optional.of(new Socks5Config("127.0.0.1", 1080, Optional.of("u"), Optional.of(new Secret("p")))),
                upstream.socks5());
        assertEquals(3, upstream.followRedirects());
        assertEquals(new RedirectTargets(List.of(new HostPattern("media.internal"), new HostPattern("*.cdn.internal")),
                List.of(dev.sprox.security.Cidr.parse("10.20.0.0/16").orElseThrow())), upstream.redirectTargets());
        assertEquals(new RetryConfig(2, Duration.ofMillis(50), 3.0, Duration.ofSeconds(1), 0.0, 0.5,
                Duration.ofSeconds(5), 1), upstream.retry());
        assertEquals(new HeaderPolicy(Set.of("authorization"), Set.of("x-secret"), HeaderPolicy.ForwardedFor.REPLACE),
                upstream.headers());
    }

    @Test
    void defaultsFollowTheProductBrief() throws IOException {
        UpstreamConfig upstream = route("routes: [{id: vod, upstream: {origin: 'http://o'}}]\n").upstream();
        assertEquals(Duration.ofSeconds(10), upstream.connectTimeout());
        assertEquals(Duration.ofSeconds(30), upstream.readTimeout());
        assertEquals(Optional.empty(), upstream.requestTimeout());
        assertEquals(7, upstream.followRedirects());
        assertEquals(RedirectTargets.NONE, upstream.redirectTargets());
        assertEquals(RetryConfig.DEFAULT, upstream.retry());
        assertEquals(HeaderPolicy.DEFAULT, upstream.headers());
        assertEquals(Optional.empty(), upstream.socks5());
    }

    @Test
    void everyRouteProblemIsReportedWithItsPosition() throws IOException {
        assertEquals(List.of(
                        "DIR/routes.yaml:4:21 routes[0].host_patterns[0]: not a host pattern: \"a*.example.com\";"
                                + " expected a name, *.name or *",
                        "DIR/routes.yaml:5:17 routes[0].protocols[0]: unknown protocol \"ftp\"; expected http or https",
                        "DIR/routes.yaml:7:15 routes[0].upstream.origin: not an absolute http(s) URL without query or"
                                + " credentials: \"origin.example\"",
                        "DIR/routes.yaml:8:30 routes[0].upstream.redirect.follow_max: must be between 0 and 10, found 11",
                        "DIR/routes.yaml:9:34 routes[0].upstream.headers.x_forwarded_for: expected append or replace,"
                                + " found \"prepend\"",
                        "DIR/routes.yaml:10:25 routes[0].upstream.socks5.address: expected host:port, found \"nowhere\"",
                        "DIR/routes.yaml:11:34 routes[0].upstream.tls.ca_certificate_path: cannot read file DIR/missing.pem"),
                problems("""
                        routes:
                          - id: vod
                            host_patterns: ["a*.example.com"]
                            protocols: [ftp]
                            upstream:
                              origin: origin.example
                              redirect: {follow_max: 11}
                              headers: {x_forwarded_for: prepend}
                              socks5: {address: nowhere}
                              tls: {ca_certificate_path: missing.pem}
                        """));
    }

    @Test
    void redirectAllowancesMustNameHostsAndAddresses() throws IOException {
        assertEquals(List.of(
                        "DIR/routes.yaml:6:32 routes[0].upstream.redirect.allow_hosts[0]: not a host name or *.domain: \"*\"",
                        "DIR/routes.yaml:6:52 routes[0].upstream.redirect.allow_cidrs[0]: not an IP address or CIDR block:"
                                + " \"10.0.0.0/33\""),
                problems("""
                        routes:
                          - id: vod
                            upstream:
                              origin: http://origin.example
                              redirect: {allow_hosts: ["*"], allow_cidrs: [10.0.0.0/33]}
                        """));
    }

    @Test
    void routeWithoutUpstreamIsRefused() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:3:5 routes[0].upstream: is required"),
                problems("routes:\n  - id: vod\n"));
    }

    @Test
    void proxyUrlFromTheEnvironmentPutsEveryRouteBehindSocks5() throws IOException {
        var result = load("""
                routes:
                  - {id: a, upstream: {origin: 'http://a', socks5: {address: 'h:1', username: u, password: p}}}
                  - {id: b, upstream: {origin: 'http://b'}}
                """, Map.of("SPROX_PROXY_URL", "socks5://proxy.internal:1081"));
        List<RouteConfig> routes = assertInstanceOf(LoadResult.Valid.class, result).config().routes();
        assertEquals(Optional.of(new Socks5Config("proxy.internal", 1081, Optional.of("u"), Optional.of(new Secret("p")))),
                routes.get(0).upstream().socks5());
        assertEquals(Optional.of(new Socks5Config("proxy.internal", 1081, Optional.empty(), Optional.empty())),
                routes.get(1).upstream().socks5());
    }

    @Test
    void malformedProxyUrlIsReportedOnce() throws IOException {
        var result = load("routes: [{id: a, upstream: {origin: 'http://a'}}, {id: b, upstream: {origin: 'http://b'}}]\n",
                Map.of("SPROX_PROXY_URL", "http://proxy:3128"));
        assertEquals(List.of("environment SPROX_PROXY_URL: expected socks5://[user:password@]host:port"),
                assertInstanceOf(LoadResult.Invalid.class, result).problems().stream().map(Problem::toString).toList());
    }

    @Test
    void secretsNeverShowInTheConfigurationText() throws IOException {
        RouteConfig route = route("routes: [{id: a, upstream: {origin: 'http://a', socks5: {address: 'h:1',"
                + " username: u, password: hunter2}}}]\n");
        assertEquals(false, route.toString().contains("hunter2"), route::toString);
        assertEquals("hunter2", route.upstream().socks5().orElseThrow().password().orElseThrow().value());
    }

    @Test
    void readsTheHlsBlock() throws IOException {
        RouteConfig route = route("routes:\n  - id: vod\n    upstream: {origin: 'http://o/vod'}\n"
                + "    hls: {enabled: true, rewrite_playlist_urls: true, base_url: 'https://edge.example/hls/',"
                + " allow_insecure_segments: true, max_playlist_bytes: 65536, live_cache_fraction: 0.25,"
                + " max_rewritten_playlist_bytes: 262144}\n");
        assertEquals(new HlsConfig(true, true, Optional.of(URI.create("https://edge.example/hls/")), true, 65536,
                0.25, 262144), route.hls());
    }

    @Test
    void liveCacheFractionDefaultsToHalfAndStaysWithinZeroAndOne() throws IOException {
        assertEquals(0.5, route("routes: [{id: a, upstream: {origin: 'http://o'}, hls: {enabled: true}}]\n")
                .hls().liveCacheFraction());
        assertEquals(0.0, route("routes: [{id: a, upstream: {origin: 'http://o'}, hls: {live_cache_fraction: 0}}]\n")
                .hls().liveCacheFraction());
        assertEquals(List.of("DIR/routes.yaml:5:32 routes[0].hls.live_cache_fraction: must be between 0.0 and 1.0,"
                        + " found 1.5"),
                problems("routes:\n  - id: vod\n    upstream: {origin: 'http://o'}\n"
                        + "    hls: {live_cache_fraction: 1.5}\n"));
    }

    @Test
    void readsTheDashBlock() throws IOException {
        RouteConfig route = route("routes:\n  - id: vod\n    upstream: {origin: 'http://o/vod'}\n"
                + "    dash: {rewrite_manifest_urls: true, base_url: 'https://edge.example/dash/',"
                + " max_manifest_bytes: 65536}\n");
        assertEquals(new DashConfig(true, true, Optional.of(URI.create("https://edge.example/dash/")), 65536),
                route.dash());
        assertEquals(DashConfig.DISABLED, route("routes: [{id: a, upstream: {origin: 'http://o'}}]\n").dash());
    }

    @Test
    void readsTheDecryptingMode() throws IOException {
        assertTrue(route("routes:\n  - id: vod\n    upstream: {origin: 'http://o'}\n    drm: {decrypt: true}\n")
                .decrypt());
        assertFalse(route("routes: [{id: a, upstream: {origin: 'http://o'}}]\n").decrypt());
    }

    @Test
    void unknownKeyOfTheRouteDrmBlockIsRefused() throws IOException {
        List<String> found = problems("routes:\n  - id: vod\n    upstream: {origin: 'http://o'}\n"
                + "    drm: {decrypted: true}\n");
        assertEquals(1, found.size(), found::toString);
        assertTrue(found.getFirst().startsWith("DIR/routes.yaml:5:") && found.getFirst().contains(
                "routes[0].drm.decrypted: unknown key"), found::toString);
    }

    @Test
    void dashRewritingNeedsAUsableBaseUrlAndKnownKeys() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:5:11 routes[0].dash.base_url: is required when rewrite_manifest_urls"
                        + " is true",
                "DIR/routes.yaml:5:41 routes[0].dash.max_manifest_byte: unknown key; did you mean"
                        + " \"max_manifest_bytes\"?"),
                problems("routes:\n  - id: vod\n    upstream: {origin: 'http://o'}\n"
                        + "    dash: {rewrite_manifest_urls: true, max_manifest_byte: 1}\n"));
        assertEquals(List.of("DIR/routes.yaml:5:22 routes[0].dash.base_url: not an absolute http(s) URL without"
                        + " query: \"edge.example\""),
                problems("routes:\n  - id: vod\n    upstream: {origin: 'http://o'}\n"
                        + "    dash: {base_url: edge.example}\n"));
    }

    @Test
    void rewritingNeedsABaseUrl() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:5:10 routes[0].hls.base_url: is required when rewrite_playlist_urls"
                        + " is true"),
                problems("routes:\n  - id: vod\n    upstream: {origin: 'http://o'}\n"
                        + "    hls: {rewrite_playlist_urls: true}\n"));
    }

    @Test
    void unknownFeatureIsRefusedWithASuggestion() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:2:12 features.hls_strip_program_datetime: unknown key; did you mean"
                        + " \"hls_strip_program_date_time\"?"),
                problems("features: {hls_strip_program_datetime: true}\n"));
    }

    @Test
    void hostPatternsMatchLikeTheBriefSays() {
        HostPattern wildcard = HostPattern.parse("*.vod.example.com").orElseThrow();
        assertEquals(List.of(true, true, false, true),
                List.of(wildcard.matches("a.vod.example.com"), wildcard.matches("a.b.vod.example.com"),
                        wildcard.matches("vod.example.com"), wildcard.matches("A.VOD.example.com.")));
    }
}
