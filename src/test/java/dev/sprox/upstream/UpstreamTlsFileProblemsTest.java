package dev.sprox.upstream;

import static dev.sprox.upstream.TlsAssertions.assertContains;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.upstream.UpstreamTlsConfig.ClientCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTlsFileProblemsTest {

    @TempDir
    static Path directory;
    static TestPki pki;
    static TestPki.Identity rsaClient;
    static TestPki.Identity ecClient;

    @BeforeAll
    static void issueCertificates() throws Exception {
        pki = TestPki.create(directory, "test-ca");
        rsaClient = pki.issueClient(TestPki.KeyForm.RSA_PKCS8);
        ecClient = pki.issueClient(TestPki.KeyForm.EC_SEC1);
    }

    private static UpstreamTlsConfig trusting(Path caBundle) {
        return new UpstreamTlsConfig(Optional.empty(), false, Optional.of(caBundle), Optional.empty());
    }

    private static UpstreamTlsConfig presenting(Path chain, Path key) {
        return new UpstreamTlsConfig(Optional.empty(), false, Optional.empty(),
                Optional.of(new ClientCertificate(chain, key)));
    }

    @Test
    void refusesAKeyThatDoesNotMatchTheCertificateNamingBothFiles() throws Exception {
        TestPki.Identity otherRsaClient = pki.issueClient(TestPki.KeyForm.RSA_PKCS1);
        var failure = assertThrows(IOException.class,
                () -> UpstreamTls.sslContext(presenting(rsaClient.certificate(), otherRsaClient.privateKey())));
        assertContains(failure.getMessage(), otherRsaClient.privateKey().toString(),
                rsaClient.certificate().toString(), "does not match");
    }

    @Test
    void refusesAKeyOfAnotherTypeThanTheCertificate() {
        var failure = assertThrows(IOException.class,
                () -> UpstreamTls.sslContext(presenting(rsaClient.certificate(), ecClient.privateKey())));
        assertContains(failure.getMessage(), ecClient.privateKey().toString(), "does not match", "RSA");
    }

    @Test
    void refusesAFileWithoutPemBlocksNamingIt() throws Exception {
        Path notPem = Files.writeString(directory.resolve("not-pem.pem"), "just some text\n");
        var failure = assertThrows(IOException.class, () -> UpstreamTls.sslContext(trusting(notPem)));
        assertContains(failure.getMessage(), "CA certificate bundle", notPem.toString(), "no PEM blocks");
    }

    @Test
    void refusesAMissingFileNamingIt() {
        Path missing = directory.resolve("missing.pem");
        var failure = assertThrows(IOException.class, () -> UpstreamTls.sslContext(trusting(missing)));
        assertContains(failure.getMessage(), missing.toString(), "file not found");
    }

    @Test
    void refusesACertificateFileThatHoldsNoCertificate() {
        var failure = assertThrows(IOException.class,
                () -> UpstreamTls.sslContext(presenting(rsaClient.privateKey(), rsaClient.privateKey())));
        assertContains(failure.getMessage(), "client certificate chain", rsaClient.privateKey().toString(),
                "no -----BEGIN CERTIFICATE----- block");
    }

    @Test
    void refusesACorruptPemBlockNamingTheFile() throws Exception {
        Path corrupt = Files.writeString(directory.resolve("corrupt.pem"),
                "-----BEGIN CERTIFICATE-----\nnot*base64!\n-----END CERTIFICATE-----\n");
        var failure = assertThrows(IOException.class, () -> UpstreamTls.sslContext(trusting(corrupt)));
        assertContains(failure.getMessage(), corrupt.toString(), "not valid base64");
    }

    @Test
    void refusesEncryptedKeysWithAClearMessage() throws Exception {
        Path traditional = directory.resolve("encrypted-traditional.key");
        TestPki.openssl(directory, "genrsa", "-traditional", "-aes128", "-passout", "pass:secret",
                "-out", traditional.toString(), "2048");
        Path pkcs8 = directory.resolve("encrypted-pkcs8.key");
        TestPki.openssl(directory, "pkcs8", "-topk8", "-in", traditional.toString(), "-passin", "pass:secret",
                "-passout", "pass:secret", "-out", pkcs8.toString());
        for (Path encrypted : new Path[] {traditional, pkcs8}) {
            var failure = assertThrows(IOException.class,
                    () -> UpstreamTls.sslContext(presenting(rsaClient.certificate(), encrypted)));
            assertContains(failure.getMessage(), encrypted.toString(), "encrypted");
        }
    }
}
