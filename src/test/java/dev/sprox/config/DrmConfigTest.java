package dev.sprox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.drm.DrmConfig;
import dev.sprox.drm.Kid;
import dev.sprox.security.TestSecrets;
import dev.sprox.upstream.UpstreamTlsConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code drm} block: keys from secrets, the key server, and problems at their positions. */
class DrmConfigTest {
    private static final String LISTENER = "listeners: [{id: a, host: 127.0.0.1, port: 80}]\n";

    @TempDir
    Path dir;

    private LoadResult load(String yaml) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), LISTENER + yaml);
        return new ConfigLoader(Map.of("KEY_B", TestSecrets.CONTENT_KEY_B_BASE64URL, "KS_TOKEN", "t0ken")::get)
                .load(dir);
    }

    private List<String> problems(String yaml) throws IOException {
        return assertInstanceOf(LoadResult.Invalid.class, load(yaml)).problems().stream()
                .map(Problem::toString).map(p -> p.replace(dir.toString(), "DIR")).toList();
    }

    @Test
    void absentMeansNoKeysAndNoKeyServer() throws IOException {
        assertEquals(DrmConfig.NONE, assertInstanceOf(LoadResult.Valid.class, load("")).config().drm());
    }

    @Test
    void readsKeysFromFilesAndTheEnvironmentInAnyKidForm() throws IOException {
        Files.writeString(dir.resolve("key-a"), TestSecrets.CONTENT_KEY_A + "\n");
        DrmConfig drm = assertInstanceOf(LoadResult.Valid.class, load("""
                drm:
                  keys:
                    - {kid: %s, key: "${file:key-a}"}
                    - {kid: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", key: "${env:KEY_B}"}
                """.formatted(TestSecrets.KID_A))).config().drm();
        assertEquals(List.of(Kid.parse(TestSecrets.KID_A).orElseThrow(), Kid.parse(TestSecrets.KID_B).orElseThrow()),
                drm.keys().stream().map(DrmConfig.StaticKey::kid).toList());
        assertEquals("REDACTED", drm.keys().getFirst().key().toString());
    }

    @Test
    void malformedKeysAndKidsAreProblemsAtTheirPlaceWithoutTheKeyText() throws IOException {
        List<String> problems = problems("""
                drm:
                  keys:
                    - {kid: nope, key: %s}
                    - {kid: %s, key: "%s0"}
                    - {kid: %s, key: %s}
                    - {kid: %s, key: %s, note: x}
                """.formatted(TestSecrets.CONTENT_KEY_A, TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A,
                TestSecrets.KID_B, TestSecrets.CONTENT_KEY_B, TestSecrets.KID_B, TestSecrets.CONTENT_KEY_B));
        assertEquals(List.of(
                "DIR/routes.yaml:4:13 drm.keys[0].kid: not a KID (32 hex digits, a UUID or base64url of 16 bytes):"
                        + " \"nope\"",
                "DIR/routes.yaml:5:52 drm.keys[1].key: not a 16-byte key (32 hex digits or base64url); the value is"
                        + " not shown",
                "DIR/routes.yaml:7:13 drm.keys[3].kid: KID " + TestSecrets.KID_B + " is already given at"
                        + " DIR/routes.yaml:6:13",
                "DIR/routes.yaml:7:86 drm.keys[3].note: unknown key"), problems);
        assertTrue(problems.stream().noneMatch(p -> p.contains(TestSecrets.CONTENT_KEY_A)), problems::toString);
    }

    @Test
    void readsTheKeyServerWithDefaults() throws IOException {
        DrmConfig.KeyServer server = assertInstanceOf(LoadResult.Valid.class, load("""
                drm:
                  key_server:
                    url: "https://keys.example/v1/{kid_uuid}"
                    headers: {Authorization: "Bearer ${env:KS_TOKEN}"}
                """)).config().drm().keyServer().orElseThrow();
        assertEquals(URI.create("https://keys.example/v1/6a5f0c2b-8e7d-4a3f-9c1b-2e4d6f8a0b1c"),
                server.urlFor(Kid.parse(TestSecrets.KID_A).orElseThrow()));
        assertEquals(DrmConfig.Method.GET, server.method());
        assertEquals("Bearer t0ken", server.headers().get("Authorization").value());
        assertEquals(Duration.ofSeconds(60), server.cacheTtl());
        assertEquals(Duration.ofSeconds(5), server.missTtl());
        assertEquals(UpstreamTlsConfig.DEFAULT, server.tls());
        assertEquals(new DrmConfig.Breaker(5, Duration.ofSeconds(10)), server.circuitBreaker());
    }

    @Test
    void readsAndChecksTheCircuitBreaker() throws IOException {
        assertEquals(new DrmConfig.Breaker(3, Duration.ofMillis(2500)), assertInstanceOf(LoadResult.Valid.class,
                load("drm:\n  key_server:\n    url: \"https://keys.example/{kid}\"\n"
                        + "    circuit_breaker: {failures: 3, open_ms: 2500}\n"))
                .config().drm().keyServer().orElseThrow().circuitBreaker());
        assertEquals(List.of(
                "DIR/routes.yaml:5:33 drm.key_server.circuit_breaker.failures: must be between 1 and 1000, found 0",
                "DIR/routes.yaml:5:45 drm.key_server.circuit_breaker.open_ms: must be between 100 and 3600000,"
                        + " found 5",
                "DIR/routes.yaml:5:48 drm.key_server.circuit_breaker.after: unknown key"),
                problems("drm:\n  key_server:\n    url: \"https://keys.example/{kid}\"\n"
                        + "    circuit_breaker: {failures: 0, open_ms: 5, after: 1}\n"));
    }

    @Test
    void keyServerProblems() throws IOException {
        assertEquals(List.of(
                "DIR/routes.yaml:4:10 drm.key_server.url: a GET key server needs the KID in its URL: {kid},"
                        + " {kid_uuid} or {kid_base64url}"),
                problems("drm:\n  key_server:\n    url: \"https://keys.example/v1\"\n"));
        assertEquals(List.of(
                "DIR/routes.yaml:4:10 drm.key_server.url: unknown placeholder {id}; expected {kid}, {kid_uuid},"
                        + " {kid_base64url}",
                "DIR/routes.yaml:5:13 drm.key_server.method: expected GET or POST, found \"PUT\"",
                "DIR/routes.yaml:6:18 drm.key_server.cache_ttl_s: must be between 0 and 86400, found -1"),
                problems("drm:\n  key_server:\n    url: \"https://keys.example/{id}\"\n    method: put\n"
                        + "    cache_ttl_s: -1\n"));
        assertEquals(List.of("DIR/routes.yaml:4:10 drm.key_server.url: not an absolute http(s) URL without"
                        + " credentials: \"ftp://keys.example/{kid}\""),
                problems("drm:\n  key_server:\n    url: \"ftp://keys.example/{kid}\"\n"));
    }

    @Test
    void aPostKeyServerNeedsNoPlaceholder() throws IOException {
        assertEquals(DrmConfig.Method.POST, assertInstanceOf(LoadResult.Valid.class,
                load("drm:\n  key_server: {url: \"https://keys.example/licence\", method: POST}\n"))
                .config().drm().keyServer().orElseThrow().method());
    }
}
