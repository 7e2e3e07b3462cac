package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTlsProtocolTest {

    @TempDir
    static Path directory;
    static TestPki pki;
    static KeyStore localhostIdentity;

    @BeforeAll
    static void issueCertificates() throws Exception {
        pki = TestPki.create(directory, "test-ca");
        localhostIdentity = pki.keyStore(pki.issueServer("localhost"));
    }

    private static UpstreamTlsConfig trustingTestCa() {
        return new UpstreamTlsConfig(Optional.empty(), false, Optional.of(pki.caCertificate()), Optional.empty());
    }

    @Test
    void offersOnlyTls13AndTls12() throws Exception {
        // HttpClient configures every connection from the context's default parameters.
        var parameters = UpstreamTls.sslContext(UpstreamTlsConfig.DEFAULT).getDefaultSSLParameters();
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, parameters.getProtocols());
    }

    @Test
    void speaksTls13WhenTheOriginDoes() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(localhostIdentity)) {
            var response = Upstream.get(trustingTestCa(), "https://localhost:" + server.port() + "/");
            assertEquals("TLSv1.3", response.sslSession().orElseThrow().getProtocol());
        }
    }

    @Test
    void speaksTls12WithAnOriginLimitedToIt() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(localhostIdentity, "TLSv1.2")) {
            var response = Upstream.get(trustingTestCa(), "https://localhost:" + server.port() + "/");
            assertEquals("TLSv1.2", response.sslSession().orElseThrow().getProtocol());
        }
    }
}
