package dev.sprox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.sprox.direct.DirectStreamConfig;
import dev.sprox.security.AllowRule;
import dev.sprox.security.Cidr;
import dev.sprox.security.Secret;
import dev.sprox.upstream.OutboundProxy;
import dev.sprox.upstream.RetryConfig;
import dev.sprox.upstream.Socks5Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectStreamConfigTest {
    private static final String LISTENER = "listeners: [{id: a, host: 127.0.0.1, port: 8080}]\n";

    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>();

    private LoadResult load(String yaml) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), LISTENER + yaml);
        return new ConfigLoader(environment::get).load(dir);
    }

    private DirectStreamConfig direct(String yaml) throws IOException {
        return assertInstanceOf(LoadResult.Valid.class, load(yaml)).config().directStream();
    }

    private List<String> problems(String yaml) throws IOException {
        return assertInstanceOf(LoadResult.Invalid.class, load(yaml)).problems().stream()
                .map(Problem::toString).map(p -> p.replace(dir.toString(), "DIR")).toList();
    }

    @Test
    void withoutABlockNothingIsAllowed() throws IOException {
        assertEquals(DirectStreamConfig.DEFAULT, direct(""));
        assertEquals(List.of(), DirectStreamConfig.DEFAULT.allowlist());
        assertEquals(DirectStreamConfig.DEFAULT, ConfigLoader.embeddedDefault().directStream());
    }

    @Test
    void readsEveryKey() throws IOException {
        environment.put("PW", "s3cret");
        DirectStreamConfig config = direct("""
                direct_stream:
                  allowlist:
                    - domain: "*.cdn.example.net"
                      schemes: [https, HTTP]
                      paths: ["/vod/**", "/live/*/index.m3u8"]
                      ports: [443, 8443]
                    - domain: media.example.org
                  allow_cidrs: [127.0.0.1/32, "10.0.0.0/8"]
                  api_password: ${env:PW}
                  signing_secret: another-secret
                  signed_url_ttl_s: 600
                  max_concurrent: 20
                  connect_timeout_ms: 2000
                  read_timeout_ms: 5000
                  request_timeout_ms: 60000
                  follow_redirects: 3
                  retry: {max_attempts: 2, budget: {ratio: 0.5}}
                  proxy_url: "socks5://user:pw@proxy.internal:1080"
                  redact_destination_query: false
                  max_rewritten_playlist_bytes: 1048576
                """);
        assertEquals(List.of(
                new AllowRule("*.cdn.example.net", Set.of("https", "http"), List.of("/vod/**", "/live/*/index.m3u8"),
                        Set.of(443, 8443)),
                new AllowRule("media.example.org", Set.of("https"), List.of(), Set.of())), config.allowlist());
        assertEquals(List.of(Cidr.parse("127.0.0.1/32").orElseThrow(), Cidr.parse("10.0.0.0/8").orElseThrow()),
                config.allowCidrs());
        assertEquals(Optional.of(new Secret("s3cret")), config.apiPassword());
        assertEquals(Optional.of(new Secret("another-secret")), config.signingSecret());
        assertEquals(Duration.ofMinutes(10), config.signedUrlTtl());
        assertEquals(20, config.maxConcurrent());
        assertEquals(Duration.ofSeconds(2), config.connectTimeout());
        assertEquals(Duration.ofSeconds(5), config.readTimeout());
        assertEquals(Optional.of(Duration.ofMinutes(1)), config.requestTimeout());
        assertEquals(3, config.followRedirects());
        assertEquals(2, config.retry().maxAttempts());
        assertEquals(0.5, config.retry().budgetRatio());
        assertEquals(Optional.of(new OutboundProxy.Socks5(new Socks5Config("proxy.internal", 1080,
                Optional.of("user"), Optional.of(new Secret("pw"))))), config.proxy());
        assertEquals(false, config.redactDestinationQuery());
        assertEquals(1_048_576, config.maxRewrittenPlaylistBytes());
    }

    @Test
    void portsAreWholeNumbersFromOneTo65535AndAtLeastOne() throws IOException {
        assertEquals(List.of(
                "DIR/routes.yaml:4:41 direct_stream.allowlist[0].ports[1]: must be between 1 and 65535, found 70000",
                "DIR/routes.yaml:5:34 direct_stream.allowlist[1].ports: must name at least one port (leave it out"
                        + " for the scheme's default port)"),
                problems("""
                        direct_stream:
                          allowlist:
                            - {domain: a.example, ports: [8080, 70000]}
                            - {domain: b.example, ports: []}
                        """));
    }

    @Test
    void defaultsAreThoseOfTheContract() throws IOException {
        DirectStreamConfig config = direct("direct_stream: {allowlist: [{domain: a.example}]}\n");
        assertEquals(Duration.ofHours(1), config.signedUrlTtl());
        assertEquals(50, config.maxConcurrent());
        assertEquals(16 * 1024 * 1024, config.maxRewrittenPlaylistBytes());
        assertEquals(Set.of(), config.allowlist().getFirst().ports());
        assertEquals(Duration.ofSeconds(10), config.connectTimeout());
        assertEquals(Duration.ofSeconds(30), config.readTimeout());
        assertEquals(Optional.empty(), config.requestTimeout());
        assertEquals(10, config.followRedirects());
        assertEquals(RetryConfig.DEFAULT, config.retry());
        assertEquals(true, config.redactDestinationQuery());
        assertEquals(Optional.empty(), config.apiPassword());
        assertEquals(Optional.empty(), config.signingSecret());
    }

    @Test
    void httpProxyUrl() throws IOException {
        assertEquals(Optional.of(new OutboundProxy.Http("proxy.internal", 3128)),
                direct("direct_stream: {proxy_url: \"http://proxy.internal:3128\"}\n").proxy());
    }

    @Test
    void everyBadValueIsReportedWithItsPosition() throws IOException {
        assertEquals(List.of(
                "DIR/routes.yaml:4:7 direct_stream.allowlist[0].domain: is required",
                "DIR/routes.yaml:4:7 direct_stream.allowlist[0].domian: unknown key; did you mean \"domain\"?",
                "DIR/routes.yaml:5:15 direct_stream.allowlist[1].domain: not a host name, *.name or [IPv6 literal]:"
                        + " \"a.*.example\"",
                "DIR/routes.yaml:6:16 direct_stream.allowlist[1].schemes: must name http, https or both (leave it"
                        + " out for https only)",
                "DIR/routes.yaml:6:17 direct_stream.allowlist[1].schemes[0]: unsupported scheme \"ftp\"; expected"
                        + " http or https",
                "DIR/routes.yaml:7:15 direct_stream.allowlist[1].paths[0]: path glob must start with /: \"vod/*\"",
                "DIR/routes.yaml:8:17 direct_stream.allow_cidrs[0]: not an IP address or CIDR block: \"10.0.0.0/33\"",
                "DIR/routes.yaml:9:17 direct_stream.api_password: must not be empty (leave the key out instead)",
                "DIR/routes.yaml:10:19 direct_stream.max_concurrent: must be between 1 and 1000000, found 0",
                "DIR/routes.yaml:11:21 direct_stream.follow_redirects: must be between 0 and 10, found 11",
                "DIR/routes.yaml:12:14 direct_stream.proxy_url: expected http://host:port or"
                        + " socks5://[user:password@]host:port, found \"ftp://p:1\"",
                "DIR/routes.yaml:13:3 direct_stream.request_timeout: unknown key; did you mean"
                        + " \"request_timeout_ms\"?"),
                problems("""
                        direct_stream:
                          allowlist:
                            - domian: a.example
                            - domain: "a.*.example"
                              schemes: [ftp]
                              paths: ["vod/*"]
                          allow_cidrs: ["10.0.0.0/33"]
                          api_password: "  "
                          max_concurrent: 0
                          follow_redirects: 11
                          proxy_url: "ftp://p:1"
                          request_timeout: 5
                        """));
    }

    @Test
    void passwordComesFromTheDirectVariableThenTheSharedOne() throws IOException {
        environment.put("SPROX_API_PASSWORD", "shared");
        assertEquals(Optional.of(new Secret("shared")), direct("").apiPassword());
        environment.put("SPROX_DIRECT_API_PASSWORD", "direct");
        assertEquals(Optional.of(new Secret("direct")), direct("").apiPassword());
        assertEquals(Optional.of(new Secret("file")), direct("direct_stream: {api_password: file}\n").apiPassword());
    }

    @Test
    void blankPasswordVariablesAreUnset() throws IOException {
        environment.put("SPROX_DIRECT_API_PASSWORD", "  ");
        assertEquals(Optional.empty(), direct("").apiPassword());
    }

    @Test
    void environmentOverridesProxyAndRequestTimeout() throws IOException {
        environment.put("SPROX_DIRECT_PROXY_URL", "http://egress:3128");
        environment.put("SPROX_DIRECT_REQUEST_TIMEOUT_MS", "45000");
        DirectStreamConfig config = direct("""
                direct_stream: {proxy_url: "http://other:1", request_timeout_ms: 1000}
                """);
        assertEquals(Optional.of(new OutboundProxy.Http("egress", 3128)), config.proxy());
        assertEquals(Optional.of(Duration.ofSeconds(45)), config.requestTimeout());
    }

    @Test
    void badEnvironmentValuesAreProblemsThatNeverEchoAProxyUrl() throws IOException {
        environment.put("SPROX_DIRECT_PROXY_URL", "socks5://user:secret@nohost");
        environment.put("SPROX_DIRECT_REQUEST_TIMEOUT_MS", "soon");
        List<String> problems = problems("");
        assertEquals(List.of(
                "environment SPROX_DIRECT_REQUEST_TIMEOUT_MS: expected whole milliseconds between 1 and 86400000,"
                        + " found \"soon\"",
                "environment SPROX_DIRECT_PROXY_URL: expected http://host:port or socks5://[user:password@]host:port"),
                problems);
        assertFalse(problems.toString().contains("secret"));
    }
}
