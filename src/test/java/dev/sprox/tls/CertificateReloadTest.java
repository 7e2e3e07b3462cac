package dev.sprox.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.runtime.ReloadResult;
import dev.sprox.testing.RunningSprox;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewed certificates: noticed by {@code watch_for_changes} whether the files are replaced or a symlink is
 * swapped (certbot, Kubernetes), served to new handshakes while a download on an old connection carries on
 * untouched; a broken pair is refused; SIGHUP reads them again too.
 */
class CertificateReloadTest {
    private static final String HOST = "vod.example.com";
    /** The speedtest body: 64 KiB chunks, each this pattern repeated. */
    private static final byte[] PATTERN = "sprox-speedtest-data-".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 64 * 1024;
    private static final long DOWNLOAD_BYTES = 48L * 1024 * 1024;

    @TempDir
    Path dir;

    private ServerPki pki;
    private TlsClient client;
    private RunningSprox sprox;
    private Path certificate;
    private Path key;
    private Path linkedDirectory;

    @BeforeEach
    void start() throws Exception {
        pki = ServerPki.create(dir);
        client = new TlsClient(pki.caCertificate());
        ServerPki.Identity first = pki.issue(HOST);
        certificate = dir.resolve("live.pem");
        key = dir.resolve("live.key");
        Files.copy(first.certificate(), certificate);
        Files.copy(first.privateKey(), key);
        // Kubernetes' layout: tls.crt -> ..data/tls.crt, ..data -> ..v1; a renewal swaps ..data.
        linkedDirectory = Files.createDirectories(dir.resolve("secret"));
        Path version = Files.createDirectories(linkedDirectory.resolve("..v1"));
        ServerPki.Identity linked = pki.issue(HOST);
        Files.copy(linked.certificate(), version.resolve("tls.crt"));
        Files.copy(linked.privateKey(), version.resolve("tls.key"));
        Files.createSymbolicLink(linkedDirectory.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(linkedDirectory.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(linkedDirectory.resolve("tls.key"), Path.of("..data/tls.key"));
        // Hard links in a directory nobody watches: writes through them raise no event where sprox looks.
        Path polled = Files.createDirectories(dir.resolve("polled"));
        Path unwatched = Files.createDirectories(dir.resolve("unwatched"));
        ServerPki.Identity polledIdentity = pki.issue(HOST);
        Files.copy(polledIdentity.certificate(), polled.resolve("cert.pem"));
        Files.copy(polledIdentity.privateKey(), polled.resolve("key.pem"));
        Files.createLink(unwatched.resolve("cert.pem"), polled.resolve("cert.pem"));
        Files.createLink(unwatched.resolve("key.pem"), polled.resolve("key.pem"));
        sprox = RunningSprox.start(dir, """
                listeners:
                  - id: files
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      watch_for_changes: true
                      certificates: [{hosts: [%1$s], certificate_path: live.pem, private_key_path: live.key}]
                  - id: linked
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      watch_for_changes: true
                      certificates: [{hosts: [%1$s], certificate_path: secret/tls.crt, private_key_path: secret/tls.key}]
                  - id: static
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      certificates: [{hosts: [%1$s], certificate_path: live.pem, private_key_path: live.key}]
                  - id: polled
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      watch_for_changes: true
                      recheck_interval_ms: 300
                      certificates: [{hosts: [%1$s], certificate_path: polled/cert.pem, private_key_path: polled/key.pem}]
                  - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
                logging: {level: warn, access_log: false}
                server: {shutdown_grace_ms: 200}
                ops: {speedtest: {max_bytes: %2$d}}
                """.formatted(HOST, DOWNLOAD_BYTES));
    }

    @AfterEach
    void stop() {
        if (sprox != null) {
            sprox.close();
        }
    }

    private BigInteger served(String listener) throws IOException {
        return client.certificate(sprox.port(listener), Optional.of(HOST)).getSerialNumber();
    }

    private static BigInteger serialOf(ServerPki.Identity identity) throws Exception {
        try (InputStream in = Files.newInputStream(identity.certificate())) {
            return ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in)).getSerialNumber();
        }
    }

    private static void eventually(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private double reloads(String listener, String result) throws IOException {
        return sprox.metric("sprox_tls_certificate_reloads_total{listener=\"" + listener + "\",result=\"" + result
                + "\"}");
    }

    @Test
    void replacedFilesAreServedToNewHandshakesWhileAnOpenDownloadContinues() throws Exception {
        try (var download = new Download(client.connect(sprox.port("files"), Optional.of(HOST)))) {
            ServerPki.Identity renewed = pki.issue(HOST);
            Files.copy(renewed.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);

            BigInteger expected = serialOf(renewed);
            eventually("the renewed certificate is served", () -> served("files").equals(expected));
            download.finish();
        }
        assertEquals(1, reloads("files", "success"));
        assertEquals(0, reloads("files", "failure"));
    }

    @Test
    void aSwappedSymlinkIsServedToNewHandshakesWhileAnOpenDownloadContinues() throws Exception {
        try (var download = new Download(client.connect(sprox.port("linked"), Optional.of(HOST)))) {
            ServerPki.Identity renewed = pki.issue(HOST);
            Path version = Files.createDirectories(linkedDirectory.resolve("..v2"));
            Files.copy(renewed.certificate(), version.resolve("tls.crt"));
            Files.copy(renewed.privateKey(), version.resolve("tls.key"));
            Path next = Files.createSymbolicLink(linkedDirectory.resolve("..data_tmp"), Path.of("..v2"));
            Files.move(next, linkedDirectory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);

            BigInteger expected = serialOf(renewed);
            eventually("the swapped-in certificate is served", () -> served("linked").equals(expected));
            download.finish();
        }
        assertEquals(1, reloads("linked", "success"));
    }

    @Test
    void aChangeNoEventReportsIsFoundByThePeriodicCheck() throws Exception {
        ServerPki.Identity renewed = pki.issue(HOST);
        // Written in place through the other links: same files, new contents, no event in polled/.
        Files.write(dir.resolve("unwatched/key.pem"), Files.readAllBytes(renewed.privateKey()));
        Files.write(dir.resolve("unwatched/cert.pem"), Files.readAllBytes(renewed.certificate()));

        BigInteger expected = serialOf(renewed);
        eventually("the renewal is found by comparing contents", () -> served("polled").equals(expected));
    }

    @Test
    void aMismatchedReplacementIsRefusedAndTheOldCertificateKeepsServing() throws Exception {
        BigInteger before = served("files");
        ServerPki.Identity other = pki.issue(HOST);
        Files.copy(other.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);

        eventually("the refusal is counted", () -> reloads("files", "failure") == 1);
        assertEquals(before, served("files"));
        assertEquals(0, reloads("files", "success"));

        // Completing the pair fixes it: the next change is installed.
        Files.copy(other.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
        BigInteger expected = serialOf(other);
        eventually("the completed pair is served", () -> served("files").equals(expected));
        assertEquals(1, reloads("files", "success"));
    }

    @Test
    void sighupReloadsCertificatesOfListenersThatDoNotWatch() throws Exception {
        BigInteger before = served("static");
        ServerPki.Identity renewed = pki.issue(HOST);
        // The files listener watches the same files; its reload is not what this test is about.
        Files.copy(renewed.certificate(), certificate, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed.privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
        assertEquals(before, served("static"));

        assertInstanceOf(ReloadResult.Reloaded.class, sprox.sprox().reload());
        assertEquals(serialOf(renewed), served("static"));
    }

    @Test
    void sighupWithABrokenCertificateKeepsTheRunningConfiguration() throws Exception {
        BigInteger before = served("static");
        Files.copy(pki.issue(HOST).privateKey(), key, StandardCopyOption.REPLACE_EXISTING);
        var kept = assertInstanceOf(ReloadResult.Kept.class, sprox.sprox().reload());
        assertTrue(kept.problems().stream().anyMatch(p -> p.contains("does not match the first certificate")),
                kept.problems().toString());
        assertEquals(before, served("static"));
    }

    /** {@code GET /speedtest} on an open TLS connection: its first megabyte read now, the rest by {@link #finish}. */
    private static final class Download implements AutoCloseable {
        private final SSLSocket socket;
        private final InputStream in;
        private long position;

        Download(SSLSocket socket) throws IOException {
            this.socket = socket;
            OutputStream out = socket.getOutputStream();
            out.write(("GET /speedtest?bytes=" + DOWNLOAD_BYTES + " HTTP/1.1\r\nHost: " + HOST
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            in = new java.io.BufferedInputStream(socket.getInputStream());
            String head = readHead();
            assertTrue(head.startsWith("HTTP/1.1 200") && head.contains("Content-Length: " + DOWNLOAD_BYTES), head);
            readBody(1024 * 1024);
        }

        private String readHead() throws IOException {
            var head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed in the response head: " + head);
                }
                head.append((char) b);
            }
            return head.toString();
        }

        /** Reads {@code count} body bytes, checking each is the pattern's byte at its offset. */
        private void readBody(long count) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            long end = position + count;
            while (position < end) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - position));
                if (n < 0) {
                    throw new IOException("download cut at byte " + position);
                }
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != PATTERN[(int) ((position + i) % CHUNK % PATTERN.length)]) {
                        throw new AssertionError("byte " + (position + i) + " differs");
                    }
                }
                position += n;
            }
        }

        /** Reads the rest: every byte as sent, then the end of the connection. */
        void finish() throws IOException {
            readBody(DOWNLOAD_BYTES - position);
            assertEquals(-1, in.read());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
