package dev.sprox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.route.RouteConfig;
import dev.sprox.security.RateLimitConfig;
import dev.sprox.security.SensitiveLogging;
import dev.sprox.server.ListenerConfig;
import dev.sprox.server.ServeGroup;
import dev.sprox.server.ServerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final Map<String, String> environment = Map.of("SPROX_TEST_HOST", "127.0.0.1",
            "CREDENTIALS_DIRECTORY", "creds");

    private LoadResult load(String routesYaml) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), routesYaml);
        return new ConfigLoader(environment::get).load(dir);
    }

    private SproxConfig valid(String routesYaml) throws IOException {
        return assertInstanceOf(LoadResult.Valid.class, load(routesYaml)).config();
    }

    private List<String> problems(String routesYaml) throws IOException {
        return assertInstanceOf(LoadResult.Invalid.class, load(routesYaml)).problems().stream()
                .map(Problem::toString).map(p -> p.replace(dir.toString(), "DIR")).toList();
    }

    @Test
    void readsListenersWithTheirEndpointGroups() throws IOException {
        SproxConfig config = valid("""
                listeners:
                  - id: public
                    host: 0.0.0.0
                    port: 8080
                  - id: admin
                    host: 127.0.0.1
                    port: 9901
                    serve: [admin, ops]
                routes: []
                """);
        assertEquals(List.of(
                new ListenerConfig("public", "0.0.0.0", 8080, ServeGroup.DEFAULT),
                new ListenerConfig("admin", "127.0.0.1", 9901, EnumSet.of(ServeGroup.ADMIN, ServeGroup.OPS))),
                config.listeners());
    }

    @Test
    void defaultGroupsNeverIncludeAdmin() throws IOException {
        SproxConfig config = valid("listeners: [{id: a, host: 127.0.0.1, port: 1}]\n");
        assertEquals(EnumSet.of(ServeGroup.ROUTES, ServeGroup.DIRECT, ServeGroup.OPS),
                config.listeners().getFirst().serve());
    }

    @Test
    void inlineListenDeclaresAListenerNamedAfterItsAddress() throws IOException {
        SproxConfig config = valid("""
                routes:
                  - id: vod
                    listen: {host: 127.0.0.1, port: 8080}
                    upstream: {origin: "https://origin.example.com/vod"}
                  - id: api
                    listen: {host: 127.0.0.1, port: 8080}
                    upstream: {origin: "http://api.example.com"}
                """);
        assertEquals(List.of(new ListenerConfig("127.0.0.1:8080", "127.0.0.1", 8080, ServeGroup.DEFAULT)),
                config.listeners());
        assertEquals(List.of(List.of("127.0.0.1:8080"), List.of("127.0.0.1:8080")),
                config.routes().stream().map(RouteConfig::listenerIds).toList());
    }

    @Test
    void inlineListenJoinsANamedListenerAtTheSameAddress() throws IOException {
        SproxConfig config = valid("""
                listeners: [{id: public, host: 127.0.0.1, port: 8080}]
                routes: [{id: vod, listen: {host: 127.0.0.1, port: 8080}, upstream: {origin: "http://o"}}]
                """);
        assertEquals(1, config.listeners().size());
        assertEquals(List.of("public"), config.routes().getFirst().listenerIds());
    }

    @Test
    void routeWithoutListenersServesEveryRoutesListener() throws IOException {
        SproxConfig config = valid("""
                listeners:
                  - {id: public, host: 127.0.0.1, port: 8080}
                  - {id: admin, host: 127.0.0.1, port: 9901, serve: [admin]}
                routes: [{id: vod, upstream: {origin: "http://o"}}]
                """);
        assertEquals(List.of("public"), config.routes().getFirst().listenerIds());
    }

    @Test
    void unknownKeyIsReportedWithItsPositionAndASuggestion() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:2:5 listeners[0].host: is required",
                        "DIR/routes.yaml:3:5 listeners[0].hots: unknown key; did you mean \"host\"?"),
                problems("""
                        listeners:
                          - id: a
                            hots: 127.0.0.1
                            port: 80
                        """));
    }

    @Test
    void wrongTypesAndValuesAreAllReportedInOnePass() throws IOException {
        assertEquals(List.of(
                        "DIR/routes.yaml:4:11 listeners[0].port: expected an integer, found a string \"eighty\"",
                        "DIR/routes.yaml:5:18 listeners[0].serve[1]: unknown endpoint group \"admn\"; expected one of"
                                + " routes, direct, ops, admin; did you mean \"admin\"?",
                        "DIR/routes.yaml:8:11 listeners[1].port: must be between 0 and 65535, found 70000",
                        "DIR/routes.yaml:10:19 trusted_proxies[0]: not an IP address or CIDR block: \"10.0.0.0/33\"",
                        "DIR/routes.yaml:11:18 logging.level: unknown level \"loud\"; expected one of error, warn,"
                                + " info, debug, trace",
                        "DIR/routes.yaml:11:36 logging.access_log: expected true or false, found a string \"maybe\"",
                        "DIR/routes.yaml:12:27 server.max_connections: must be between 1 and 1000000, found 0"),
                problems("""
                        listeners:
                          - id: a
                            host: 127.0.0.1
                            port: eighty
                            serve: [ops, admn]
                          - id: b
                            host: 127.0.0.1
                            port: 70000
                        routes: []
                        trusted_proxies: ["10.0.0.0/33", "::1"]
                        logging: {level: loud, access_log: maybe}
                        server: {max_connections: 0, header_timeout_ms: 100}
                        """));
    }

    @Test
    void duplicateListenerIdsAndAddressesAreRefused() throws IOException {
        assertEquals(List.of(
                        "DIR/routes.yaml:3:5 listeners[1].id: duplicate listener id \"a\" (first declared at"
                                + " DIR/routes.yaml:2:5)",
                        "DIR/routes.yaml:4:5 listeners[2]: listeners \"a\" and \"c\" both bind 127.0.0.1:80"),
                problems("""
                        listeners:
                          - {id: a, host: 127.0.0.1, port: 80}
                          - {id: a, host: 127.0.0.1, port: 81}
                          - {id: c, host: 127.0.0.1, port: 80}
                        """));
    }

    @Test
    void routeNamingAnUnknownListenerGetsASuggestion() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:5:16 routes[0].listeners: no listener with id \"pubic\"; did you mean"
                        + " \"public\"?"),
                problems("""
                        listeners:
                          - {id: public, host: 127.0.0.1, port: 80}
                        routes:
                          - id: vod
                            listeners: [pubic]
                            upstream: {origin: "http://o"}
                        """));
    }

    @Test
    void routeOnAListenerThatDoesNotServeRoutesIsRefused() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:3:31 routes[0].listeners: listener \"admin\" does not serve routes"
                        + " (add routes to its serve list)"),
                problems("""
                        listeners:
                          - {id: admin, host: 127.0.0.1, port: 80, serve: [admin]}
                        routes: [{id: vod, listeners: [admin], upstream: {origin: "http://o"}}]
                        """));
    }

    @Test
    void duplicateYamlKeysAreRefused() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:5:5 listeners[0].port: duplicate key (first written at line 4)"),
                problems("""
                        listeners:
                          - id: a
                            host: 127.0.0.1
                            port: 1
                            port: 2
                        """));
    }

    @Test
    void brokenYamlIsReportedWhereTheParserStopped() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:2:1 not valid YAML: expected ',' or ']', but got <stream end>"
                        + " (while parsing a flow sequence)"),
                problems("listeners: [1, 2\n"));
    }

    @Test
    void emptyFileHasNoListener() throws IOException {
        assertEquals(List.of("DIR listeners: no listener is configured: add one under listeners, or a listen block"
                + " to a route"), problems(""));
    }

    @Test
    void tlsBlockNeedsCertificates() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:1:54 listeners[0].tls.certificates: is required"),
                problems("listeners: [{id: a, host: 127.0.0.1, port: 443, tls: {}}]\n"));
    }

    @Test
    void inlineListenBlocksCannotDeclareTls() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:3:48 routes[0].listen.tls: declare TLS listeners under listeners: "
                        + "(with an id) and name them in the route's listeners: list"),
                problems("""
                        routes:
                          - id: r
                            listen: {host: 127.0.0.1, port: 8443, tls: {certificates: []}}
                            host_patterns: ["*"]
                            upstream: {origin: "http://127.0.0.1:1"}
                        """));
    }

    @Test
    void environmentReferencesResolve() throws IOException {
        SproxConfig config = valid("listeners: [{id: a, host: '${env:SPROX_TEST_HOST}', port: 80}]\n");
        assertEquals("127.0.0.1", config.listeners().getFirst().host());
    }

    @Test
    void unsetEnvironmentVariableIsAProblemNamingIt() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:1:27 listeners[0].host: environment variable NOT_SET_ANYWHERE is not"
                        + " set"),
                problems("listeners: [{id: a, host: '${env:NOT_SET_ANYWHERE}', port: 80}]\n"));
    }

    @Test
    void fileReferencesReadTheFileRelativeToTheConfigDirectory() throws IOException {
        Files.createDirectories(dir.resolve("creds"));
        Files.writeString(dir.resolve("creds/port"), "8443\n");
        SproxConfig config = valid("listeners: [{id: a, host: 127.0.0.1, port: '${file:${env:CREDENTIALS_DIRECTORY}/port}'}]\n");
        assertEquals(8443, config.listeners().getFirst().port());
    }

    @Test
    void missingReferencedFileIsAProblem() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:1:44 listeners[0].port: cannot read file missing.txt"),
                problems("listeners: [{id: a, host: 127.0.0.1, port: '${file:missing.txt}'}]\n"));
    }

    @Test
    void listenerFilesAddListeners() throws IOException {
        Files.createDirectories(dir.resolve("listeners"));
        Files.writeString(dir.resolve("listeners/admin.yaml"), "listeners: [{id: admin, host: 127.0.0.1, port: 9901,"
                + " serve: [admin]}]\n");
        SproxConfig config = valid("listeners: [{id: public, host: 127.0.0.1, port: 80}]\n");
        assertEquals(List.of("public", "admin"), config.listeners().stream().map(ListenerConfig::id).toList());
    }

    @Test
    void listenerFilesMayHoldOnlyListeners() throws IOException {
        Files.createDirectories(dir.resolve("listeners"));
        Files.writeString(dir.resolve("listeners/extra.yaml"), "routes: []\n");
        assertEquals(List.of("DIR/listeners/extra.yaml:1:1 routes: unknown key"),
                problems("listeners: [{id: public, host: 127.0.0.1, port: 80}]\n"));
    }

    @Test
    void serverSettingsOverrideDefaultsKeyByKey() throws IOException {
        SproxConfig config = valid("""
                listeners: [{id: a, host: 127.0.0.1, port: 80}]
                server: {header_timeout_ms: 2500, max_body_bytes: 1024}
                """);
        assertEquals(Duration.ofMillis(2500), config.server().headerTimeout());
        assertEquals(1024, config.server().maxBodyBytes());
        assertEquals(ServerSettings.DEFAULT.idleTimeout(), config.server().idleTimeout());
    }

    @Test
    void readsTheIpv6PrefixesOfTheRateLimits() throws IOException {
        SproxConfig config = valid("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n"
                + "rate_limit: {requests_per_second: 1, ipv6_prefix: 56,"
                + " auth_failures: {requests_per_second: 0.1, burst: 5, ipv6_prefix: 48}}\n");
        RateLimitConfig limits = config.rateLimit().orElseThrow();
        assertEquals(56, limits.ipv6Prefix());
        assertEquals(48, limits.authFailuresIpv6Prefix());
        assertEquals(new RateLimitConfig.Bucket(0.1, 5), limits.authFailures());
    }

    @Test
    void readsRateLimits() throws IOException {
        SproxConfig config = valid("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n"
                + "rate_limit: {requests_per_second: 2.5, global: {requests_per_second: 1000, burst: 2000}}\n");
        assertEquals(java.util.Optional.of(new RateLimitConfig(new RateLimitConfig.Bucket(2.5, 3),
                java.util.Optional.of(new RateLimitConfig.Bucket(1000, 2000)), RateLimitConfig.DEFAULT_AUTH_FAILURES,
                RateLimitConfig.DEFAULT_KEY_ENDPOINTS, 100_000, 128, 64)), config.rateLimit());
    }

    @Test
    void readsTheKeyEndpointBucket() throws IOException {
        SproxConfig config = valid("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n"
                + "rate_limit: {requests_per_second: 50, key_endpoints: {requests_per_second: 0.2, burst: 3}}\n");
        assertEquals(new RateLimitConfig.Bucket(0.2, 3), config.rateLimit().orElseThrow().keyEndpoints());
    }

    @Test
    void readsTheAuthenticationFailureBucket() throws IOException {
        SproxConfig config = valid("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n"
                + "rate_limit: {requests_per_second: 50, auth_failures: {requests_per_second: 0.5, burst: 4}}\n");
        assertEquals(new RateLimitConfig.Bucket(0.5, 4), config.rateLimit().orElseThrow().authFailures());
    }

    @Test
    void authenticationFailureBucketRefusesUnknownKeys() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:2:79 rate_limit.auth_failures.brust: unknown key; did you mean \"burst\"?"),
                problems("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n"
                        + "rate_limit: {requests_per_second: 50, auth_failures: {requests_per_second: 1, brust: 4}}\n"));
    }

    @Test
    void sensitiveLoggingDefaultsToRedactingAndKeepsItsPlainMeaning() throws IOException {
        assertEquals(SensitiveLogging.DEFAULT,
                valid("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n").sensitiveLogging());
        assertEquals(new SensitiveLogging(true, false), valid("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n"
                + "sensitive_logging: {log_sensitive_headers: true, redact_sensitive_queries: false}\n")
                .sensitiveLogging());
        assertEquals(new SensitiveLogging(false, true), SensitiveLogging.DEFAULT);
    }

    @Test
    void rateLimitNeedsARate() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:2:13 rate_limit.requests_per_second: is required"),
                problems("listeners: [{id: a, host: 127.0.0.1, port: 80}]\nrate_limit: {burst: 10}\n"));
    }

    @Test
    void corsRefusesCredentialsWithAWildcardOrigin() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:2:49 cors.allow_credentials: cannot be true when allow_origins has *:"
                        + " name the origins"),
                problems("listeners: [{id: a, host: 127.0.0.1, port: 80}]\n"
                        + "cors: {allow_origins: ['*'], allow_credentials: true}\n"));
    }

    @Test
    void missingMainFileIsReported() {
        var result = new ConfigLoader(environment::get).load(dir);
        assertEquals(List.of(dir.resolve("routes.yaml") + " configuration file not found"),
                assertInstanceOf(LoadResult.Invalid.class, result).problems().stream().map(Problem::toString).toList());
    }

    @Test
    void aSingleFileMayBeGivenInsteadOfADirectory() throws IOException {
        Path file = dir.resolve("edge.yaml");
        Files.writeString(file, "listeners: [{id: a, host: 127.0.0.1, port: 80}]\n");
        var result = new ConfigLoader(environment::get).load(file);
        assertEquals("a", assertInstanceOf(LoadResult.Valid.class, result).config().listeners().getFirst().id());
    }

    /** conf/, conf/local/, conf/staging/, conf/production/...: every shipped configuration directory. */
    static Stream<Path> shippedConfigurations() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("conf"))) {
            return files.filter(f -> f.getFileName().toString().equals(ConfigLoader.MAIN_FILE))
                    .map(Path::getParent).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("shippedConfigurations")
    void shippedConfigurationIsValid(Path directory) {
        var result = new ConfigLoader(name -> null).load(directory);
        assertInstanceOf(LoadResult.Valid.class, result, () -> result.toString());
    }

    @Test
    void productionAndStagingAreBothShipped() throws IOException {
        assertTrue(shippedConfigurations().toList().containsAll(
                List.of(Path.of("conf", "production"), Path.of("conf", "staging"))));
    }
}
