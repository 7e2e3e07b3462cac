package dev.sprox.upstream;

import static dev.sprox.upstream.TlsAssertions.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTlsTrustTest {

    @TempDir
    static Path directory;
    static TestPki pki;
    static KeyStore localhostIdentity;

    @BeforeAll
    static void issueCertificates() throws Exception {
        pki = TestPki.create(directory, "test-ca");
        localhostIdentity = pki.keyStore(pki.issueServer("localhost"));
    }

    private static UpstreamTlsConfig trusting(Path caBundle) {
        return new UpstreamTlsConfig(Optional.empty(), false, Optional.of(caBundle), Optional.empty());
    }

    @Test
    void defaultTrustsOnlyTheSystemCertificateAuthorities() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(localhostIdentity)) {
            assertThrows(SSLHandshakeException.class,
                    () -> Upstream.get(UpstreamTlsConfig.DEFAULT, "https://localhost:" + server.port() + "/"));
        }
    }

    @Test
    void trustsOriginsSignedByTheConfiguredCertificateAuthority() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(localhostIdentity)) {
            var response = Upstream.get(trusting(pki.caCertificate()), "https://localhost:" + server.port() + "/");
            assertEquals("ok", response.body());
        }
    }

    @Test
    void trustsEveryCertificateAuthorityInTheBundle() throws Exception {
        Path bundle = directory.resolve("bundle.pem");
        Path otherCa = TestPki.create(directory, "other-ca").caCertificate();
        Files.writeString(bundle, Files.readString(otherCa) + "\n" + Files.readString(pki.caCertificate()));
        try (TlsTestServer server = TlsTestServer.start(localhostIdentity)) {
            var response = Upstream.get(trusting(bundle), "https://localhost:" + server.port() + "/");
            assertEquals("ok", response.body());
        }
    }

    @Test
    void stillVerifiesTheHostNameWhenTrustingTheConfiguredCertificateAuthority() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(localhostIdentity)) {
            var failure = assertThrows(SSLHandshakeException.class,
                    () -> Upstream.get(trusting(pki.caCertificate()), "https://127.0.0.1:" + server.port() + "/"));
            assertContains(failure.getMessage(), "127.0.0.1");
        }
    }

    @Test
    void insecureSkipVerifyAcceptsAnExpiredSelfSignedCertificateForAnotherName() throws Exception {
        var insecure = new UpstreamTlsConfig(Optional.empty(), true, Optional.empty(), Optional.empty());
        try (TlsTestServer server = TlsTestServer.start(pki.expiredSelfSigned("other.example"))) {
            var response = Upstream.get(insecure, "https://127.0.0.1:" + server.port() + "/");
            assertEquals("ok", response.body());
        }
    }
}
