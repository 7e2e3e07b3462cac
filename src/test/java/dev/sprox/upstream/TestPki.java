package dev.sprox.upstream;

import dev.sprox.testing.ExternalProgram;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates and keys made with the real tools in a test's temporary directory: {@code openssl} for everything
 * with a PEM form, the JDK's {@code keytool} where a back-dated (expired) certificate is needed.
 */
final class TestPki {

    static final char[] STORE_PASSWORD = "changeit".toCharArray();

    /** A PEM certificate and the PEM private key it belongs to. */
    record Identity(Path certificate, Path privateKey) {}

    /** The encodings a client key may come in. */
    enum KeyForm { RSA_PKCS8, RSA_PKCS1, EC_SEC1 }

    private final Path directory;
    private final Identity authority;
    private int counter;

    private TestPki(Path directory, Identity authority) {
        this.directory = directory;
        this.authority = authority;
    }

    /** A fresh certificate authority in {@code directory}. */
    static TestPki create(Path directory, String caName) throws IOException {
        Path certificate = directory.resolve(caName + "-ca.pem");
        Path key = directory.resolve(caName + "-ca.key");
        openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=" + caName,
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        return new TestPki(directory, new Identity(certificate, key));
    }

    Path caCertificate() {
        return authority.certificate();
    }

    /** A server certificate for {@code dnsName} only (no IP address), signed by this CA. */
    Identity issueServer(String dnsName) throws IOException {
        Path certificate = next(dnsName + ".pem");
        Path key = next(dnsName + ".key");
        openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "2", "-subj", "/CN=" + dnsName,
                "-addext", "subjectAltName=DNS:" + dnsName, "-addext", "basicConstraints=CA:FALSE",
                "-CA", authority.certificate().toString(), "-CAkey", authority.privateKey().toString());
        return new Identity(certificate, key);
    }

    /** A client key in the given encoding and a certificate for it signed by this CA. */
    Identity issueClient(KeyForm form) throws IOException {
        Path key = next("client-" + form + ".key");
        switch (form) {
            case RSA_PKCS1 -> openssl(directory, "genrsa", "-traditional", "-out", key.toString(), "2048");
            case EC_SEC1 -> openssl(directory, "ecparam", "-genkey", "-name", "prime256v1", "-noout",
                    "-out", key.toString());
            case RSA_PKCS8 -> {
                Path traditional = next("client-traditional.key");
                openssl(directory, "genrsa", "-traditional", "-out", traditional.toString(), "2048");
                openssl(directory, "pkcs8", "-topk8", "-nocrypt", "-in", traditional.toString(),
                        "-out", key.toString());
            }
        }
        Path certificate = next("client-" + form + ".pem");
        openssl(directory, "req", "-x509", "-key", key.toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=sprox client", "-addext", "basicConstraints=CA:FALSE",
                "-CA", authority.certificate().toString(), "-CAkey", authority.privateKey().toString());
        return new Identity(certificate, key);
    }

    /** The identity as a PKCS#12 key store, the form a JSSE test server loads. */
    KeyStore keyStore(Identity identity) throws IOException, GeneralSecurityException {
        Path store = next("server.p12");
        openssl(directory, "pkcs12", "-export", "-in", identity.certificate().toString(),
                "-inkey", identity.privateKey().toString(), "-name", "server", "-out", store.toString(),
                "-passout", "pass:" + new String(STORE_PASSWORD));
        return KeyStore.getInstance(store.toFile(), STORE_PASSWORD);
    }

    /** A self-signed certificate for {@code dnsName} that expired yesterday, as a key store. */
    KeyStore expiredSelfSigned(String dnsName) throws IOException, GeneralSecurityException {
        Path store = next("expired.p12");
        String keytool = Path.of(ProcessHandle.current().info().command().orElseThrow())
                .resolveSibling("keytool").toString();
        run(directory, keytool, "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(STORE_PASSWORD), "-alias", "server", "-keyalg", "EC",
                "-dname", "CN=" + dnsName, "-ext", "san=dns:" + dnsName, "-startdate", "-3d", "-validity", "2");
        return KeyStore.getInstance(store.toFile(), STORE_PASSWORD);
    }

    private Path next(String name) {
        return directory.resolve(++counter + "-" + name);
    }

    static void openssl(Path directory, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalProgram.openssl()));
        command.addAll(List.of(arguments));
        run(directory, command.toArray(String[]::new));
    }

    private static void run(Path directory, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + text);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command[0], e);
        }
    }
}
