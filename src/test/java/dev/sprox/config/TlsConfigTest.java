package dev.sprox.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.server.ListenerConfig;
import dev.sprox.tls.ServerPki;
import dev.sprox.tls.TlsConfig;
import dev.sprox.tls.TlsPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A listener's tls block: what it binds to, and every certificate or setting it refuses, at its line. */
class TlsConfigTest {
    @TempDir
    static Path pki;
    @TempDir
    Path dir;

    private static ServerPki authority;
    private static ServerPki.Identity vod;

    @BeforeAll
    static void certificates() throws IOException {
        authority = ServerPki.create(pki);
        vod = authority.issue("vod.example.com", "*.vod.example.com");
    }

    private LoadResult load(String yaml) throws IOException {
        Files.writeString(dir.resolve("routes.yaml"), yaml);
        return new ConfigLoader(Map.of("KEY_PASSWORD", "s3cret")::get).load(dir);
    }

    private List<String> problems(String yaml) throws IOException {
        return assertInstanceOf(LoadResult.Invalid.class, load(yaml)).problems().stream().map(Problem::toString)
                .map(p -> p.replace(dir.toString(), "DIR")).toList();
    }

    /** A listener whose one certificate entry is {@code entry} (indented for the list) plus {@code extra} lines. */
    private static String listener(ServerPki.Identity identity, String hosts, String extra) {
        return "listeners:\n"
                + "  - id: public\n"
                + "    host: 127.0.0.1\n"
                + "    port: 8443\n"
                + "    tls:\n"
                + "      certificates:\n"
                + "        - hosts: " + hosts + "\n"
                + "          certificate_path: " + identity.certificate() + "\n"
                + "          private_key_path: " + identity.privateKey() + "\n"
                + extra;
    }

    @Test
    void bindsTheTlsBlockWithModernDefaults() throws IOException {
        SproxConfig config = assertInstanceOf(LoadResult.Valid.class,
                load(listener(vod, "[vod.example.com, \"*.vod.example.com\"]", ""))).config();
        TlsConfig tls = config.listeners().getFirst().tls().orElseThrow();
        assertEquals(List.of("vod.example.com", "*.vod.example.com"), tls.certificates().getFirst().hosts());
        assertEquals(TlsPolicy.DEFAULT_PROTOCOLS, tls.protocols());
        assertEquals(TlsPolicy.DEFAULT_CIPHER_SUITES, tls.cipherSuites());
        assertEquals(TlsConfig.Session.DEFAULT, tls.session());
        assertEquals(14, tls.expiryWarningDays());
        assertEquals(false, tls.watchForChanges());
        assertTrue(tls.hsts().isEmpty() && tls.acme().isEmpty());
    }

    @Test
    void bindsHstsSessionAndAcmeSettings() throws IOException {
        SproxConfig config = assertInstanceOf(LoadResult.Valid.class, load(listener(vod, "[vod.example.com]", """
                      watch_for_changes: true
                      recheck_interval_ms: 5000
                      session: {cache_size: 100, timeout_secs: 600, tickets: false}
                      hsts: {max_age_secs: 63072000, include_subdomains: true, preload: true}
                      acme: {cache_path: acme}
                """))).config();
        TlsConfig tls = config.listeners().getFirst().tls().orElseThrow();
        assertEquals(new TlsConfig.Session(100, 600, false), tls.session());
        assertEquals("max-age=63072000; includeSubDomains; preload", tls.hsts().orElseThrow().headerValue());
        assertEquals(dir.resolve("acme"), tls.acme().orElseThrow().cachePath());
        assertEquals(Duration.ofSeconds(5), tls.recheckInterval());
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificate() throws IOException {
        ServerPki.Identity other = authority.issue("other.example.com");
        var mismatched = new ServerPki.Identity(vod.certificate(), other.privateKey());
        assertEquals(List.of("DIR/routes.yaml:9:29 listeners[0].tls.certificates[0].private_key_path: server private key "
                        + other.privateKey() + ": does not match the first certificate in " + vod.certificate()),
                problems(listener(mismatched, "[vod.example.com]", "")));
    }

    @Test
    void refusesAnExpiredCertificate() throws IOException {
        ServerPki.Identity expired = authority.expired("old.example.com");
        List<String> problems = problems(listener(expired, "[old.example.com]", ""));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("DIR/routes.yaml:8:29 listeners[0].tls.certificates[0]"
                + ".certificate_path: certificate 1 (CN=old.example.com) in " + expired.certificate() + " expired on "),
                problems.getFirst());
    }

    @Test
    void refusesAHostTheCertificateDoesNotCover() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:7:38 listeners[0].tls.certificates[0].hosts[1]: \"live.example.com\" "
                        + "is not covered by the certificate in " + vod.certificate() + ", whose DNS names are "
                        + "[vod.example.com, *.vod.example.com]"),
                problems(listener(vod, "[a.vod.example.com, live.example.com]", "")));
    }

    @Test
    void aWildcardCoversOneLabelOnly() throws IOException {
        List<String> problems = problems(listener(vod, "[a.b.vod.example.com]", ""));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().contains("\"a.b.vod.example.com\" is not covered"), problems.toString());
    }

    @Test
    void refusesAChainOutOfOrder() throws IOException {
        ServerPki.Identity reversed = authority.issueViaIntermediate(true, "chain.example.com");
        List<String> problems = problems(listener(reversed, "[chain.example.com]", ""));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("DIR/routes.yaml:8:29 listeners[0].tls.certificates[0]"
                + ".certificate_path:"), problems.toString());
        assertTrue(problems.getFirst().contains("does not match the first certificate")
                || problems.getFirst().contains("did not issue certificate 1"), problems.toString());
    }

    @Test
    void acceptsAChainInOrder() throws IOException {
        ServerPki.Identity chain = authority.issueViaIntermediate(false, "chain.example.com");
        assertInstanceOf(LoadResult.Valid.class, load(listener(chain, "[chain.example.com]", "")));
    }

    @Test
    void decryptsAnEncryptedKeyWithItsPassword() throws IOException {
        ServerPki.Identity encrypted = authority.withEncryptedKey(vod, "s3cret");
        assertInstanceOf(LoadResult.Valid.class, load(listener(encrypted, "[vod.example.com]",
                "          private_key_password: ${env:KEY_PASSWORD}\n")));
        assertEquals(List.of("DIR/routes.yaml:9:29 listeners[0].tls.certificates[0].private_key_path: server private "
                        + "key " + encrypted.privateKey() + ": the private key is encrypted and no password is configured"),
                problems(listener(encrypted, "[vod.example.com]", "")));
    }

    @Test
    void readsATraditionalRsaKey() throws IOException {
        ServerPki.Identity rsa = authority.issueRsaTraditional("rsa.example.com");
        assertInstanceOf(LoadResult.Valid.class, load(listener(rsa, "[rsa.example.com]", "")));
    }

    @Test
    void refusesWeakProtocolsAndCipherSuites() throws IOException {
        assertEquals(List.of(
                "DIR/routes.yaml:10:28 listeners[0].tls.protocols[1]: TLSv1.1 is deprecated and insecure (RFC 8996); "
                        + "use TLSv1.3 and TLSv1.2",
                "DIR/routes.yaml:11:62 listeners[0].tls.cipher_suites[1]: TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA is "
                        + "refused: CBC modes in TLS have a long history of padding-oracle attacks; use AES-GCM or "
                        + "ChaCha20-Poly1305",
                "DIR/routes.yaml:11:98 listeners[0].tls.cipher_suites[2]: TLS_RSA_WITH_AES_128_GCM_SHA256 is refused: "
                        + "its key exchange is not forward-secret ECDHE"),
                problems(listener(vod, "[vod.example.com]", """
                      protocols: [TLSv1.2, TLSv1.1]
                      cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_128_GCM_SHA256]
                """)));
    }

    @Test
    void addsTheTls13SuitesToAConfiguredTls12List() throws IOException {
        SproxConfig config = assertInstanceOf(LoadResult.Valid.class, load(listener(vod, "[vod.example.com]", """
                      cipher_suites: [TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256]
                """))).config();
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
                config.listeners().getFirst().tls().orElseThrow().cipherSuites());
    }

    @Test
    void hstsPreloadNeedsSubdomainsAndAYear() throws IOException {
        assertEquals(List.of("DIR/routes.yaml:10:42 listeners[0].tls.hsts.preload: preload lists require "
                        + "include_subdomains: true and max_age_secs of at least 31536000 (a year)"),
                problems(listener(vod, "[vod.example.com]", "      hsts: {max_age_secs: 600, preload: true}\n")));
    }

    @Test
    void aRedirectMustNameATlsListener() throws IOException {
        assertEquals(List.of(
                "DIR/routes.yaml:10:5 listeners[1].redirect_to_https: listener \"admin\" has no tls block",
                "DIR/routes.yaml:22:12 listeners[3].serve: a listener with redirect_to_https may serve only ops and "
                        + "admin; everything else is redirected"),
                problems(listener(vod, "[vod.example.com]", """
                  - id: http
                    host: 127.0.0.1
                    port: 8080
                    redirect_to_https: admin
                  - id: admin
                    host: 127.0.0.1
                    port: 9901
                    serve: [admin]
                  - id: other
                    host: 127.0.0.1
                    port: 8081
                    redirect_to_https: public
                    serve: [routes]
                """)));
    }

    /** conf/listeners/tls.yaml is commented out (it needs real files); uncommented, with files in place, it is valid. */
    @Test
    void theCommentedExampleInConfIsValidOnceItsFilesExist() throws IOException {
        ServerPki.Identity live = authority.withEncryptedKey(authority.issue("live.example.com"), "s3cret");
        Files.writeString(dir.resolve("live-key-password"), "s3cret");
        String example = Files.readString(Path.of("conf/listeners/tls.yaml"));
        String uncommented = example.substring(example.indexOf("# listeners:")).lines()
                .map(line -> line.startsWith("# ") ? line.substring(2) : line.replaceFirst("^#$", ""))
                .collect(java.util.stream.Collectors.joining("\n"))
                .replace("/etc/letsencrypt/live/vod.example.com/fullchain.pem", vod.certificate().toString())
                .replace("/etc/letsencrypt/live/vod.example.com/privkey.pem", vod.privateKey().toString())
                .replace("/etc/sprox/tls/live.pem", live.certificate().toString())
                .replace("/etc/sprox/tls/live.key", live.privateKey().toString());
        Files.writeString(dir.resolve("routes.yaml"), uncommented);
        var result = new ConfigLoader(Map.of("CREDENTIALS_DIRECTORY", dir.toString())::get).load(dir);
        SproxConfig config = assertInstanceOf(LoadResult.Valid.class, result, result.toString()).config();
        assertEquals(List.of("https", "http"), config.listeners().stream().map(ListenerConfig::id).toList());
    }

    @Test
    void aRedirectListenerServesNothingElseByDefault() throws IOException {
        SproxConfig config = assertInstanceOf(LoadResult.Valid.class, load(listener(vod, "[vod.example.com]", """
                  - {id: http, host: 127.0.0.1, port: 8080, redirect_to_https: public}
                """))).config();
        ListenerConfig http = config.listeners().get(1);
        assertEquals(java.util.Set.of(), http.serve());
        assertEquals(java.util.Optional.of("public"), http.redirectToHttps());
    }
}
