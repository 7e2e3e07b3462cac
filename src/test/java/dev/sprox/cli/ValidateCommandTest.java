package dev.sprox.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    private static final String ROUTE_WITH_SECRETS = """
            listeners: [{id: public, host: 127.0.0.1, port: 8080}]
            trusted_proxies: [10.0.0.0/8]
            routes:
              - id: vod
                listeners: [public]
                upstream:
                  origin: "http://origin.example.com/vod"
                  request_timeout_ms: 60000
                  socks5: {address: "socks.internal:1080", username: alice, password: "socks-pass-456"}
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int validate(String routesYaml, String... options) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), routesYaml);
        var cli = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] args = new String[options.length + 3];
        args[0] = "validate";
        args[1] = "-c";
        args[2] = dir.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return cli.execute(args);
    }

    @Test
    void jsonForAValidConfiguration() throws IOException {
        assertEquals(0, validate(ROUTE_WITH_SECRETS, "--format", "json"), out::toString);
        assertEquals("{\"valid\":true,\"config\":\"" + dir + "\",\"listeners\":1,\"routes\":1}\n",
                out.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void jsonForAnInvalidConfigurationListsEveryProblemWithItsPlace() throws IOException {
        assertEquals(1, validate("listeners: [{id: a, host: 127.0.0.1, port: \"x\\\"y\"}]\n", "--format", "json"));
        String file = dir.resolve("routes.yaml").toString().replace("\\", "\\\\");
        assertEquals("{\"valid\":false,\"problems\":[{\"file\":\"" + file + "\",\"line\":1,\"column\":44,"
                        + "\"path\":\"listeners[0].port\",\"message\":\"expected an integer, found a string \\\"x\\\"y\\\"\"}]}",
                out.toString().strip());
    }

    @Test
    void printShowsTheResolvedConfigurationWithDefaultsAndSnakeCaseNames() throws IOException {
        assertEquals(0, validate(ROUTE_WITH_SECRETS, "--print"));
        String yaml = out.toString();
        assertTrue(yaml.contains("connect_timeout_ms: 10000"), yaml);
        assertTrue(yaml.contains("request_timeout_ms: 60000"), yaml);
        assertTrue(yaml.contains("max_connections: 10000"), yaml);
        assertTrue(yaml.contains("username: alice"), yaml);
        assertTrue(yaml.contains("trusted_proxies:\n- 10.0.0.0/8\n"), yaml);
        assertTrue(yaml.contains("  listeners:\n  - public\n"), yaml);
    }

    @Test
    void printNeverShowsASecret() throws IOException {
        assertEquals(0, validate(ROUTE_WITH_SECRETS, "--print"));
        String yaml = out.toString();
        assertFalse(yaml.contains("socks-pass-456"), yaml);
        assertTrue(yaml.contains("password: REDACTED"), yaml);
    }

    @Test
    void printShowsDirectStreamWithItsSecretsMaskedAndItsTtlInSeconds() throws IOException {
        assertEquals(0, validate(ROUTE_WITH_SECRETS + """
                direct_stream:
                  api_password: direct-pass-789
                  signed_url_ttl_s: 600
                  allowlist: [{domain: "*.cdn.example.net"}]
                """, "--print"));
        String yaml = out.toString();
        assertFalse(yaml.contains("direct-pass-789"), yaml);
        assertTrue(yaml.contains("  api_password: REDACTED\n"), yaml);
        assertTrue(yaml.contains("  signed_url_ttl_s: 600\n"), yaml);
        assertTrue(yaml.contains("  - domain: '*.cdn.example.net'\n"), yaml);
    }

    @Test
    void printShowsDrmKidsButMasksKeysAndKeyServerHeaders() throws IOException {
        assertEquals(0, validate(ROUTE_WITH_SECRETS + """
                drm:
                  keys: [{kid: %s, key: %s}]
                  key_server: {url: "https://keys.example/{kid}", headers: {Authorization: "Bearer ks-789"}}
                """.formatted(TestSecrets.KID_A, TestSecrets.CONTENT_KEY_A), "--print"), err::toString);
        String yaml = out.toString();
        assertFalse(yaml.contains(TestSecrets.CONTENT_KEY_A) || yaml.contains("ks-789"), yaml);
        assertTrue(yaml.contains("  - kid: " + TestSecrets.KID_A + "\n    key: REDACTED\n"), yaml);
        assertTrue(yaml.contains("    Authorization: REDACTED\n"), yaml);
        assertTrue(yaml.contains("  cache_ttl_s: 60\n"), yaml);
        assertTrue(yaml.contains("    circuit_breaker:\n      failures: 5\n      open_ms: 10000\n"), yaml);
    }

    @Test
    void printShowsATlsBlockUnderItsConfigurationNamesWithTheKeyPasswordMasked() throws IOException {
        var pki = dev.sprox.tls.ServerPki.create(dir);
        var identity = pki.withEncryptedKey(pki.issue("vod.example.com"), "key-pass-789");
        assertEquals(0, validate("""
                listeners:
                  - id: https
                    host: 127.0.0.1
                    port: 8443
                    tls:
                      certificates:
                        - {hosts: [vod.example.com], certificate_path: %s, private_key_path: %s,
                           private_key_password: key-pass-789}
                      session: {timeout_secs: 600}
                      hsts: {max_age_secs: 300}
                """.formatted(identity.certificate(), identity.privateKey()), "--print"), err::toString);
        String yaml = out.toString();
        assertFalse(yaml.contains("key-pass-789"), yaml);
        for (String expected : new String[] {"private_key_password: REDACTED", "timeout_secs: 600",
            "max_age_secs: 300", "recheck_interval_ms: 60000", "expiry_warning_days: 14", "- TLSv1.3"}) {
            assertTrue(yaml.contains(expected), expected + " in\n" + yaml);
        }
    }

    @Test
    void printOfAnInvalidConfigurationPrintsTheProblemsInstead() throws IOException {
        assertEquals(1, validate("listeners: [{id: a, port: 1}]\n", "--print"));
        assertEquals("", out.toString());
        assertTrue(err.toString().contains("configuration is not valid"), err.toString());
    }

    @Test
    void printWithJsonIsMisuse() throws IOException {
        assertEquals(2, validate(ROUTE_WITH_SECRETS, "--print", "--format", "json"));
    }

    @Test
    void anUnknownFormatIsMisuse() throws IOException {
        assertEquals(2, validate(ROUTE_WITH_SECRETS, "--format", "xml"));
    }
}
