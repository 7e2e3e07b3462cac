package dev.sprox.tls;

import dev.sprox.testing.ExternalProgram;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Server certificates for TLS listener tests, made with the real tools in a temporary directory: {@code openssl}
 * for everything PEM, {@code keytool} where a back-dated (expired) certificate is needed.
 */
public final class ServerPki {

    /** A PEM certificate chain and the PEM private key of its first certificate. */
    public record Identity(Path certificate, Path privateKey) {}

    private final Path directory;
    private final Identity authority;
    private int counter;

    private ServerPki(Path directory, Identity authority) {
        this.directory = directory;
        this.authority = authority;
    }

    /** A fresh certificate authority in {@code directory}. */
    public static ServerPki create(Path directory) throws IOException {
        Path certificate = directory.resolve("ca.pem");
        Path key = directory.resolve("ca.key");
        openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
                "-keyout", key.toString(), "-out", certificate.toString(), "-days", "30", "-subj", "/CN=sprox test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        return new ServerPki(directory, new Identity(certificate, key));
    }

    public Path caCertificate() {
        return authority.certificate();
    }

    /** An EC (P-256) certificate valid for 30 days with these DNS names, signed by the CA, PKCS#8 key. */
    public Identity issue(String... dnsNames) throws IOException {
        return issue(30, dnsNames);
    }

    public Identity issue(int days, String... dnsNames) throws IOException {
        Path key = next(dnsNames[0] + ".key");
        openssl(directory, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        return sign(key, days, dnsNames);
    }

    /** An RSA certificate whose key is written the traditional way ({@code BEGIN RSA PRIVATE KEY}). */
    public Identity issueRsaTraditional(String... dnsNames) throws IOException {
        Path key = next(dnsNames[0] + "-rsa.key");
        openssl(directory, "genrsa", "-traditional", "-out", key.toString(), "2048");
        return sign(key, 30, dnsNames);
    }

    /** A copy of {@code identity} with its key encrypted as PKCS#8 under {@code password}. */
    public Identity withEncryptedKey(Identity identity, String password) throws IOException {
        Path key = next("encrypted.key");
        openssl(directory, "pkcs8", "-topk8", "-in", identity.privateKey().toString(), "-out", key.toString(),
                "-passout", "pass:" + password);
        return new Identity(identity.certificate(), key);
    }

    /** A leaf issued by an intermediate CA, with the chain file written leaf first or, if asked, reversed. */
    public Identity issueViaIntermediate(boolean reversed, String... dnsNames) throws IOException {
        Path intermediateKey = next("intermediate.key");
        Path intermediate = next("intermediate.pem");
        Path extensions = next("intermediate.ext");
        Files.writeString(extensions, "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n");
        openssl(directory, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
                "-keyout", intermediateKey.toString(), "-out", intermediate.toString() + ".csr",
                "-subj", "/CN=sprox test intermediate");
        openssl(directory, "x509", "-req", "-in", intermediate + ".csr", "-CA", authority.certificate().toString(),
                "-CAkey", authority.privateKey().toString(), "-days", "30", "-extfile", extensions.toString(),
                "-out", intermediate.toString());
        Path key = next(dnsNames[0] + ".key");
        openssl(directory, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        Identity leaf = sign(key, 30, new Identity(intermediate, intermediateKey), dnsNames);
        Path chain = next("chain.pem");
        String leafText = Files.readString(leaf.certificate());
        String intermediateText = Files.readString(intermediate);
        Files.writeString(chain, reversed ? intermediateText + leafText : leafText + intermediateText);
        return new Identity(chain, key);
    }

    /** A self-signed certificate for {@code dnsName} that expired yesterday. */
    public Identity expired(String dnsName) throws IOException {
        Path store = next("expired.p12");
        String keytool = Path.of(ProcessHandle.current().info().command().orElseThrow())
                .resolveSibling("keytool").toString();
        run(directory, keytool, "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-alias", "server", "-keyalg", "EC", "-dname", "CN=" + dnsName,
                "-ext", "san=dns:" + dnsName, "-startdate", "-3d", "-validity", "2");
        Path certificate = next("expired.pem");
        Path key = next("expired.key");
        openssl(directory, "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nokeys",
                "-out", certificate.toString());
        openssl(directory, "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nocerts", "-noenc",
                "-out", key.toString());
        return new Identity(certificate, key);
    }

    private Identity sign(Path key, int days, String... dnsNames) throws IOException {
        return sign(key, days, authority, dnsNames);
    }

    private Identity sign(Path key, int days, Identity issuer, String... dnsNames) throws IOException {
        Path certificate = next(dnsNames[0].replace('*', '_') + ".pem");
        String names = List.of(dnsNames).stream().map(n -> "DNS:" + n).collect(Collectors.joining(","));
        openssl(directory, "req", "-x509", "-key", key.toString(), "-out", certificate.toString(),
                "-days", String.valueOf(days), "-subj", "/CN=" + dnsNames[0], "-addext", "subjectAltName=" + names,
                "-addext", "basicConstraints=CA:FALSE", "-CA", issuer.certificate().toString(),
                "-CAkey", issuer.privateKey().toString());
        return new Identity(certificate, key);
    }

    private Path next(String name) {
        return directory.resolve(++counter + "-" + name.replace('*', '_'));
    }

    private static void openssl(Path directory, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalProgram.openssl()));
        command.addAll(List.of(arguments));
        run(directory, command.toArray(String[]::new));
    }

    /** Runs a command to its end and returns everything it printed; fails when it exits non-zero. */
    static String run(Path directory, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        try (InputStream output = process.getInputStream()) {
            String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command[0], e);
        }
    }
}
