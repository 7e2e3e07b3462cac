package dev.sprox.upstream;

import static dev.sprox.upstream.TlsAssertions.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTlsSniTest {

    @TempDir
    static Path directory;
    static TestPki pki;
    static KeyStore originInternalIdentity;
    static KeyStore localhostIdentity;

    @BeforeAll
    static void issueCertificates() throws Exception {
        pki = TestPki.create(directory, "test-ca");
        originInternalIdentity = pki.keyStore(pki.issueServer("origin.internal"));
        localhostIdentity = pki.keyStore(pki.issueServer("localhost"));
    }

    private static UpstreamTlsConfig sni(String hostname) {
        return new UpstreamTlsConfig(Optional.of(hostname), false, Optional.of(pki.caCertificate()), Optional.empty());
    }

    @Test
    void sendsSniHostnameToAnOriginAddressedByIp() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(originInternalIdentity)) {
            var response = Upstream.get(sni("origin.internal"), "https://127.0.0.1:" + server.port() + "/");
            assertEquals("ok", response.body());
            assertEquals(List.of("origin.internal"), server.nextRequestedServerNames());
        }
    }

    @Test
    void sendsSniHostnameInsteadOfTheUrlHostName() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(originInternalIdentity)) {
            var response = Upstream.get(sni("origin.internal"), "https://localhost:" + server.port() + "/");
            assertEquals("ok", response.body());
            assertEquals(List.of("origin.internal"), server.nextRequestedServerNames());
        }
    }

    @Test
    void verifiesTheCertificateAgainstSniHostname() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(originInternalIdentity)) {
            var failure = assertThrows(SSLHandshakeException.class,
                    () -> Upstream.get(sni("wrong.internal"), "https://127.0.0.1:" + server.port() + "/"));
            assertContains(failure.getMessage(), "wrong.internal");
        }
    }

    @Test
    void doesNotFallBackToTheUrlHostWhenTheCertificateLacksSniHostname() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(localhostIdentity)) {
            assertThrows(SSLHandshakeException.class,
                    () -> Upstream.get(sni("wrong.internal"), "https://localhost:" + server.port() + "/"));
        }
    }
}
