package dev.sprox.upstream;

import static dev.sprox.upstream.TlsAssertions.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.upstream.UpstreamTlsConfig.ClientCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UpstreamTlsClientCertificateTest {

    @TempDir
    static Path directory;
    static TestPki pki;
    static KeyStore localhostIdentity;
    static KeyStore clientAuthorities;

    @BeforeAll
    static void issueCertificates() throws Exception {
        pki = TestPki.create(directory, "test-ca");
        localhostIdentity = pki.keyStore(pki.issueServer("localhost"));
        clientAuthorities = KeyStore.getInstance("PKCS12");
        clientAuthorities.load(null, null);
        try (var in = Files.newInputStream(pki.caCertificate())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            clientAuthorities.setCertificateEntry("test-ca", ca);
        }
    }

    private static UpstreamTlsConfig presenting(Optional<ClientCertificate> clientCertificate) {
        return new UpstreamTlsConfig(Optional.empty(), false, Optional.of(pki.caCertificate()), clientCertificate);
    }

    @ParameterizedTest
    @EnumSource(TestPki.KeyForm.class)
    void presentsClientCertificateForMutualTls(TestPki.KeyForm keyForm) throws Exception {
        TestPki.Identity client = pki.issueClient(keyForm);
        var config = presenting(Optional.of(new ClientCertificate(client.certificate(), client.privateKey())));
        try (TlsTestServer server = TlsTestServer.requiringClientCertificates(localhostIdentity, clientAuthorities)) {
            var response = Upstream.get(config, "https://localhost:" + server.port() + "/");
            assertEquals("ok", response.body());
        }
    }

    @Test
    void originRequiringAClientCertificateRefusesUsWithoutOne() throws Exception {
        try (TlsTestServer server = TlsTestServer.requiringClientCertificates(localhostIdentity, clientAuthorities)) {
            // In TLS 1.3 the server refuses after the client's handshake is done, so the JDK client may report
            // it as a failed exchange ("Too many retries" once its own retries are off) around the alert.
            var failure = assertThrows(java.io.IOException.class,
                    () -> Upstream.get(presenting(Optional.empty()), "https://localhost:" + server.port() + "/"));
            String chain = "";
            for (Throwable t = failure; t != null; t = t.getCause()) {
                chain += t + "\n";
            }
            assertContains(chain, "certificate_required");
        }
    }
}
