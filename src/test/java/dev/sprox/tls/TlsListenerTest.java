package dev.sprox.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.ExternalProgram;
import dev.sprox.testing.RunningSprox;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS listener serving three certificates, checked with the JDK's client and with {@code openssl s_client}:
 * SNI picks each host's certificate, the first is the default, only modern protocols and suites get through,
 * ALPN prefers h2, then http/1.1, sessions resume, and HTTPS responses carry HSTS.
 */
class TlsListenerTest {
    private static final String PUBLIC = "listener=\"public\"";
    private static final int IDLE_MILLIS = 1500;

    @TempDir
    static Path dir;

    private static ServerPki pki;
    private static TlsClient client;
    private static RunningSprox sprox;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        pki = ServerPki.create(dir);
        ServerPki.Identity a = pki.issue("a.example.com");
        ServerPki.Identity b = pki.issue("b.example.com");
        ServerPki.Identity wildcard = pki.issue("*.w.example.com");
        client = new TlsClient(pki.caCertificate());
        sprox = RunningSprox.start(dir, """
                listeners:
                  - id: public
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      certificates:
                        - {hosts: [a.example.com], certificate_path: %1$s, private_key_path: %2$s}
                        - {hosts: [b.example.com], certificate_path: %3$s, private_key_path: %4$s}
                        - {hosts: ["*.w.example.com"], certificate_path: %5$s, private_key_path: %6$s}
                      hsts: {max_age_secs: 31536000, include_subdomains: true}
                  - id: cached
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      certificates: [{hosts: [a.example.com], certificate_path: %1$s, private_key_path: %2$s}]
                      session: {tickets: false, timeout_secs: 600}
                    http2: {enabled: false}
                  - {id: plain, host: 127.0.0.1, port: 0, serve: [ops]}
                  - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
                logging: {level: warn, access_log: false}
                server: {shutdown_grace_ms: 200, header_timeout_ms: 700, idle_timeout_ms: %7$d}
                """.formatted(a.certificate(), a.privateKey(), b.certificate(), b.privateKey(),
                wildcard.certificate(), wildcard.privateKey(), IDLE_MILLIS));
        tlsPort = sprox.port("public");
    }

    @AfterAll
    static void stop() {
        if (sprox != null) {
            sprox.close();
        }
    }

    @Test
    void aKeptAliveConnectionIsClosedWithCloseNotifyAfterTheIdleTimeout() throws IOException {
        long start = System.nanoTime();
        String output = TlsClient.sClientUntilClosed(sprox.port("cached"),
                "GET /health HTTP/1.1\r\nHost: a.example.com\r\n\r\n", "-servername", "a.example.com");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(output.contains("HTTP/1.1 200"), output);
        // s_client says "closed" on close_notify; a connection merely torn down leaves it blocked in a read.
        assertTrue(output.strip().endsWith("closed"), "no close_notify:\n" + output);
        assertTrue(millis >= IDLE_MILLIS && millis < IDLE_MILLIS + 3000, "closed after " + millis + " ms");
    }

    @Test
    void sniSelectsEachHostsCertificate() throws IOException {
        assertEquals("a.example.com", client.commonName(tlsPort, Optional.of("a.example.com")));
        assertEquals("b.example.com", client.commonName(tlsPort, Optional.of("b.example.com")));
    }

    @Test
    void opensslSeesEachHostsCertificateAndVerifiesIt() throws IOException {
        for (String host : new String[] {"a.example.com", "b.example.com"}) {
            String out = TlsClient.sClient(tlsPort, "-servername", host, "-CAfile", pki.caCertificate().toString(),
                    "-verify_hostname", host);
            assertTrue(out.contains("subject=CN = " + host), out);
            assertTrue(out.contains("Verify return code: 0 (ok)"), out);
        }
    }

    @Test
    void aWildcardCertificateServesOneLabelBelowIt() throws IOException {
        assertEquals("*.w.example.com", client.commonName(tlsPort, Optional.of("live.w.example.com")));
        // Two labels below is not the wildcard's: the default certificate answers.
        assertEquals("a.example.com", client.commonName(tlsPort, Optional.of("x.live.w.example.com")));
    }

    @Test
    void noSniOrAnUnknownNameGetsTheFirstCertificate() throws IOException {
        assertEquals("a.example.com", client.commonName(tlsPort, Optional.empty()));
        assertEquals("a.example.com", client.commonName(tlsPort, Optional.of("unknown.example.org")));
        String out = TlsClient.sClient(tlsPort, "-noservername");
        assertTrue(out.contains("subject=CN = a.example.com"), out);
    }

    @Test
    void refusesTls11() throws Exception {
        double before = sprox.metric("sprox_tls_handshakes_total{" + PUBLIC + ",result=\"protocol_version\"}");
        // OpenSSL 3 only sends TLS 1.1 at security level 0.
        String out = TlsClient.sClient(tlsPort, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0",
                "-servername", "a.example.com");
        assertTrue(out.contains("alert protocol version") && out.contains("no peer certificate available")
                && out.contains("Cipher is (NONE)"), out);
        assertEquals(before + 1, sprox.metricReaching(
                "sprox_tls_handshakes_total{" + PUBLIC + ",result=\"protocol_version\"}", before + 1));
    }

    @Test
    void refusesWeakCipherSuites() throws Exception {
        double before = sprox.metric("sprox_tls_handshakes_total{" + PUBLIC + ",result=\"no_shared_cipher\"}");
        // ECDHE with CBC, then static RSA key exchange: both outside the modern TLS 1.2 list.
        for (String suite : new String[] {"ECDHE-ECDSA-AES128-SHA", "AES128-GCM-SHA256"}) {
            String out = TlsClient.sClient(tlsPort, "-tls1_2", "-cipher", suite, "-servername", "a.example.com");
            assertTrue(out.contains("alert handshake failure") && out.contains("no peer certificate available"),
                    out);
        }
        assertEquals(before + 2, sprox.metricReaching(
                "sprox_tls_handshakes_total{" + PUBLIC + ",result=\"no_shared_cipher\"}", before + 2));
    }

    /**
     * A keep-alive connection whose client pauses between requests, longer than the server waits for a next request
     * with its buffer in hand: the second request on the same TLS connection is answered too.
     */
    @Test
    void aKeepAliveConnectionIsAnsweredAgainAfterAPause() throws Exception {
        try (SSLSocket socket = client.connect(tlsPort, Optional.of("a.example.com"), "http/1.1")) {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 3; i++) {
                socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: a.example.com\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                assertEquals("HTTP/1.1 200 OK", in.readLine(), "answer " + (i + 1));
                int length = 0;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                in.skip(length);
                Thread.sleep(300);
            }
        }
    }

    @Test
    void tls12WithAModernSuiteIsAccepted() throws IOException {
        String out = TlsClient.sClient(tlsPort, "-tls1_2", "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305",
                "-servername", "b.example.com");
        assertTrue(out.contains("Cipher is ECDHE-ECDSA-CHACHA20-POLY1305"), out);
    }

    @Test
    void alpnPrefersH2ThenHttp11() throws IOException {
        try (SSLSocket socket = client.connect(tlsPort, Optional.of("a.example.com"), "http/1.1", "h2")) {
            assertEquals("h2", socket.getApplicationProtocol());
        }
        try (SSLSocket socket = client.connect(tlsPort, Optional.of("a.example.com"), "http/1.1")) {
            assertEquals("http/1.1", socket.getApplicationProtocol());
        }
        String out = TlsClient.sClient(tlsPort, "-alpn", "h2,http/1.1", "-servername", "a.example.com");
        assertTrue(out.contains("ALPN protocol: h2"), out);
    }

    @Test
    void aListenerWithHttp2OffNegotiatesHttp11AndRefusesH2Only() throws IOException {
        int cached = sprox.port("cached");
        try (SSLSocket socket = client.connect(cached, Optional.of("a.example.com"), "h2", "http/1.1")) {
            assertEquals("http/1.1", socket.getApplicationProtocol());
        }
        assertThrows(SSLHandshakeException.class, () -> client.connect(cached, Optional.of("a.example.com"), "h2")
                .close());
    }

    @Test
    void aSecondConnectionResumesTheSession() throws IOException {
        for (String version : new String[] {"-tls1_3", "-tls1_2"}) {
            Path session = dir.resolve("session" + version);
            String first = TlsClient.sClientRequest(tlsPort, "a.example.com", version,
                    "-servername", "a.example.com", "-sess_out", session.toString());
            assertTrue(first.contains("New, TLSv1."), first);
            String second = TlsClient.sClientRequest(tlsPort, "a.example.com", version,
                    "-servername", "a.example.com", "-sess_in", session.toString());
            assertTrue(second.contains("Reused, TLSv1."), second);
            assertTrue(second.contains("HTTP/1.1 200"), second);
        }
    }

    @Test
    void withoutTicketsTls12SessionsResumeFromTheServerCache() throws IOException {
        for (String listener : new String[] {"public", "cached"}) {
            Path session = dir.resolve("session-tickets-" + listener);
            int port = sprox.port(listener);
            TlsClient.sClientRequest(port, "a.example.com", "-tls1_2", "-servername", "a.example.com",
                    "-sess_out", session.toString());
            String saved = ServerPki.run(dir, ExternalProgram.openssl(), "sess_id", "-in", session.toString(), "-noout", "-text");
            assertEquals(listener.equals("public"), saved.contains("TLS session ticket:"), listener + ": " + saved);
            String second = TlsClient.sClientRequest(port, "a.example.com", "-tls1_2", "-servername",
                    "a.example.com", "-sess_in", session.toString());
            assertTrue(second.contains("Reused, TLSv1.2"), listener + ": " + second);
        }
    }

    @Test
    void aSessionIsNotResumedUnderAnotherName() throws IOException {
        Path session = dir.resolve("session-other-name");
        TlsClient.sClientRequest(tlsPort, "a.example.com", "-tls1_3", "-servername", "a.example.com",
                "-sess_out", session.toString());
        String other = TlsClient.sClientRequest(tlsPort, "b.example.com", "-tls1_3", "-servername", "b.example.com",
                "-sess_in", session.toString());
        assertTrue(other.contains("New, TLSv1.3"), other);
        assertTrue(other.contains("subject=CN = b.example.com"), other);
    }

    @Test
    void httpsResponsesCarryHstsAndPlainOnesDoNot() throws IOException {
        String secure = client.get(tlsPort, "a.example.com", "/health");
        assertTrue(secure.startsWith("HTTP/1.1 200"), secure);
        assertTrue(secure.contains("\r\nStrict-Transport-Security: max-age=31536000; includeSubDomains\r\n"), secure);
        String plain = TlsClient.plainGet(sprox.port("plain"), "a.example.com", "/health");
        assertTrue(plain.startsWith("HTTP/1.1 200"), plain);
        assertFalse(plain.contains("Strict-Transport-Security"), plain);
    }

    @Test
    void aClientThatNeverStartsTheHandshakeIsCutOffAtTheHeaderTimeout() throws Exception {
        double before = sprox.metric("sprox_tls_handshakes_total{" + PUBLIC + ",result=\"timeout\"}");
        try (var silent = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), tlsPort)) {
            silent.setSoTimeout(5_000);
            long start = System.nanoTime();
            assertEquals(-1, silent.getInputStream().read());
            assertTrue(System.nanoTime() - start < 4_000_000_000L, "closed only after the read timeout");
        }
        assertEquals(before + 1, sprox.metric("sprox_tls_handshakes_total{" + PUBLIC + ",result=\"timeout\"}"));
    }

    @Test
    void plainHttpToTheTlsPortIsCountedAsNotTls() throws Exception {
        String notTls = "sprox_tls_handshakes_total{" + PUBLIC + ",result=\"not_tls\"}";
        double before = sprox.metric(notTls);
        TlsClient.plainGet(tlsPort, "a.example.com", "/health");
        assertEquals(before + 1, sprox.metricReaching(notTls, before + 1));
    }

    @Test
    void successfulHandshakesAreTimedAndEveryHostsExpiryIsAGauge() throws IOException {
        client.certificate(tlsPort, Optional.of("a.example.com"));
        assertTrue(sprox.metric("sprox_tls_handshake_seconds_count{" + PUBLIC + "}") >= 1);
        for (String host : new String[] {"a.example.com", "b.example.com", "*.w.example.com"}) {
            double seconds = sprox.metric("sprox_tls_certificate_expiry_seconds{host=\"" + host + "\"," + PUBLIC
                    + "}");
            assertTrue(seconds > 29 * 86_400 && seconds <= 30 * 86_400, host + ": " + seconds);
        }
    }
}
