package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.Secret;
import dev.sprox.security.TestSecrets;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Socks5Bridge} between a real HttpClient, a real SOCKS5 server (microsocks) and origins on 127.0.0.1, one
 * plain and one TLS with a self-signed certificate made by {@code keytool}. Below {@code /echo} they answer with
 * what they saw (method, request target, Host); {@code /upload} sends the request body back.
 */
@Timeout(20)
class Socks5BridgeTest {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    static Microsocks socks;
    static Microsocks authSocks;
    static SSLContext clientTls;
    static MockOrigin http;
    static MockOrigin https;

    @BeforeAll
    static void start() throws Exception {
        socks = Microsocks.start(null, null);
        authSocks = Microsocks.start("alice", TestSecrets.SOCKS_PASSWORD);
        KeyStore identity = selfSigned(dir.resolve("origin.p12"));
        var keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(identity, PASSWORD);
        var serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(identity);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
        http = MockOrigin.start().dispatch(Socks5BridgeTest::echoOrUpload);
        https = MockOrigin.start(serverTls).dispatch(Socks5BridgeTest::echoOrUpload);
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.close();
        }
        if (https != null) {
            https.close();
        }
        if (socks != null) {
            socks.close();
        }
        if (authSocks != null) {
            authSocks.close();
        }
    }

    private static Socks5Config noAuth(int port) {
        return new Socks5Config("127.0.0.1", port, Optional.empty(), Optional.empty());
    }

    private static MockResponse echoOrUpload(RecordedRequest request) {
        if (request.path().equals("/upload")) {
            return MockResponse.ok(request.body());
        }
        if (request.path().startsWith("/echo")) {
            return MockResponse.ok("method=" + request.method() + "\nuri=" + request.target() + "\nhost="
                    + request.header("Host").orElse(null) + "\n");
        }
        return MockResponse.status(404);
    }

    /** A self-signed EC certificate for IP 127.0.0.1, as the JDK's {@code keytool} makes it. */
    private static KeyStore selfSigned(Path file) throws Exception {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "origin", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return KeyStore.getInstance(file.toFile(), PASSWORD);
    }

    private static HttpClient client(Socks5Bridge bridge) {
        return HttpClient.newBuilder().proxy(bridge.proxySelector()).sslContext(clientTls)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String httpUrl(String path) {
        return http.url(path);
    }

    private static String httpsUrl(String path) {
        return https.url(path);
    }

    @Test
    void plainHttpGetReachesOriginInOriginFormWithItsHost() throws Exception {
        try (var bridge = Socks5Bridge.start(noAuth(socks.port()), CONNECT_TIMEOUT); var client = client(bridge)) {
            var response = get(client, httpUrl("/echo/some/path?q=1&r=two"));

            assertEquals(200, response.statusCode());
            assertEquals("method=GET\nuri=/echo/some/path?q=1&r=two\nhost=127.0.0.1:" + http.port() + "\n",
                    response.body());
            assertEquals(Optional.of("close"), response.headers().firstValue("connection"));
        }
    }

    @Test
    void plainHttpRequestsGetOneTunnelEach() throws Exception {
        try (var bridge = Socks5Bridge.start(noAuth(socks.port()), CONNECT_TIMEOUT); var client = client(bridge)) {
            assertEquals(200, get(client, httpUrl("/echo/1")).statusCode());
            assertEquals(200, get(client, httpUrl("/echo/2")).statusCode());

            assertEquals(2, bridge.acceptedConnections());
        }
    }

    @Test
    void httpsGetTunnelsEndToEndAndReusesOneTunnel() throws Exception {
        int connectionsBefore = https.connectionCount();
        try (var bridge = Socks5Bridge.start(noAuth(socks.port()), CONNECT_TIMEOUT); var client = client(bridge)) {
            var first = get(client, httpsUrl("/echo/first"));
            var second = get(client, httpsUrl("/echo/second"));

            assertEquals("method=GET\nuri=/echo/first\nhost=127.0.0.1:" + https.port() + "\n", first.body());
            assertEquals("method=GET\nuri=/echo/second\nhost=127.0.0.1:" + https.port() + "\n",
                    second.body());
            assertEquals(1, bridge.acceptedConnections(), "both requests over one CONNECT tunnel");
            assertEquals(1, https.connectionCount() - connectionsBefore, "one TLS connection at the origin");
        }
    }

    @Test
    void usernamePasswordAuthenticationOpensTunnels() throws Exception {
        var config = new Socks5Config("127.0.0.1", authSocks.port(), Optional.of("alice"), Optional.of(new Secret(TestSecrets.SOCKS_PASSWORD)));
        try (var bridge = Socks5Bridge.start(config, CONNECT_TIMEOUT); var client = client(bridge)) {
            assertEquals(200, get(client, httpUrl("/echo/auth")).statusCode());
            assertEquals(200, get(client, httpsUrl("/echo/auth")).statusCode());
        }
    }

    @Test
    void wrongPasswordFailsEachRequestCleanlyAndTheSocksServerStaysUsable() throws Exception {
        var wrong = new Socks5Config("127.0.0.1", authSocks.port(), Optional.of("alice"), Optional.of(new Secret("wrong")));
        try (var bridge = Socks5Bridge.start(wrong, CONNECT_TIMEOUT); var client = client(bridge)) {
            var response = get(client, httpUrl("/echo/x"));
            assertEquals(502, response.statusCode());
            assertTrue(response.body().contains("rejected the username/password"), response.body());
            assertTrue(!response.body().contains("wrong"), "the password never appears");
            assertThrows(IOException.class, () -> get(client, httpsUrl("/echo/x")));
            assertEquals(502, get(client, httpUrl("/echo/again")).statusCode(), "bridge still answers");
        }
        var right = new Socks5Config("127.0.0.1", authSocks.port(), Optional.of("alice"), Optional.of(new Secret(TestSecrets.SOCKS_PASSWORD)));
        try (var bridge = Socks5Bridge.start(right, CONNECT_TIMEOUT); var client = client(bridge)) {
            assertEquals(200, get(client, httpUrl("/echo/good")).statusCode());
        }
    }

    @Test
    void socksServerDownFailsFastWith502() throws Exception {
        Duration generous = Duration.ofSeconds(10);
        try (var bridge = Socks5Bridge.start(noAuth(Microsocks.freePort()), generous);
             var client = client(bridge)) {
            long start = System.nanoTime();
            var response = get(client, httpUrl("/echo/x"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(502, response.statusCode());
            assertTrue(response.body().startsWith("SOCKS5 server 127.0.0.1:"), response.body());
            assertTrue(response.body().contains("unreachable"), response.body());
            assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "a refused connect does not wait out the "
                    + generous + " connect timeout; took " + took);
            assertThrows(IOException.class, () -> get(client, httpsUrl("/echo/x")));
        }
    }

    @Test
    void silentSocksServerTimesOutWithinConnectTimeout() throws Exception {
        try (var silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
             var bridge = Socks5Bridge.start(noAuth(silent.getLocalPort()), Duration.ofMillis(500));
             var client = client(bridge)) {
            long start = System.nanoTime();
            var response = get(client, httpUrl("/echo/x"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(502, response.statusCode());
            assertTrue(response.body().contains("timed out after 500 ms"), response.body());
            // the 500 ms bound plus slack for a cold HttpClient on a busy machine; what matters is no hang
            assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "took " + took);
        }
    }

    @Test
    void unreachableOriginSurfacesTheSocksReplyCode() throws Exception {
        int closedPort = Microsocks.freePort();
        try (var bridge = Socks5Bridge.start(noAuth(socks.port()), CONNECT_TIMEOUT); var client = client(bridge)) {
            var response = get(client, "http://127.0.0.1:" + closedPort + "/x");

            assertEquals(502, response.statusCode());
            assertEquals("SOCKS5 server refused: connection refused (5)\n", response.body());
            var failure = assertThrows(IOException.class,
                    () -> get(client, "https://127.0.0.1:" + closedPort + "/x"));
            assertTrue(String.valueOf(failure.getMessage()).contains("502"), String.valueOf(failure.getMessage()));
        }
    }

    @Test
    void largeUploadAndDownloadRelayIntact() throws Exception {
        byte[] body = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(body);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(body);
        try (var bridge = Socks5Bridge.start(noAuth(socks.port()), CONNECT_TIMEOUT); var client = client(bridge)) {
            for (String url : new String[] {httpUrl("/upload"), httpsUrl("/upload")}) {
                var response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());

                assertEquals(200, response.statusCode(), url);
                assertArrayEquals(expected, MessageDigest.getInstance("SHA-256").digest(response.body()), url);
            }
        }
    }

    @Test
    void closingTheBridgeClosesTunnelsAndRefusesNewConnections() throws Exception {
        var bridge = Socks5Bridge.start(noAuth(socks.port()), CONNECT_TIMEOUT);
        try (var tunnel = new Socket()) {
            tunnel.connect(bridge.address(), 2000);
            tunnel.setSoTimeout(5000);
            String target = "127.0.0.1:" + http.port();
            tunnel.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = tunnel.getInputStream();
            assertEquals("HTTP/1.1 200 Connection Established\r\n\r\n", readHead(in));
            assertEquals(1, bridge.openConnections());

            bridge.close();

            assertEquals(-1, readOrEof(in), "tunnel closed by the bridge");
            // The freed port may already belong to another process, and a connection racing the close may
            // still be taken from the backlog, so "refused" cannot be asserted: what matters is that no tunnel
            // is served any more.
            try (var probe = new Socket()) {
                probe.connect(bridge.address(), 2000);
                probe.setSoTimeout(2000);
                probe.getOutputStream().write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertEquals(-1, readOrEof(probe.getInputStream()), "no tunnel after close");
            } catch (IOException refusedOrReset) {
                // The usual outcome.
            }
        }
    }

    @Test
    void originFormRequestIsRefusedWith400() throws Exception {
        try (var bridge = Socks5Bridge.start(noAuth(socks.port()), CONNECT_TIMEOUT);
             var raw = new Socket()) {
            raw.connect(bridge.address(), 2000);
            raw.setSoTimeout(5000);
            raw.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("Connection: close\r\n"), answer);
        }
    }

    @Test
    void oversizedRequestHeadIsRefusedWith431() throws Exception {
        try (var bridge = Socks5Bridge.start(noAuth(socks.port()), CONNECT_TIMEOUT);
             var raw = new Socket()) {
            raw.connect(bridge.address(), 2000);
            raw.setSoTimeout(5000);
            OutputStream out = raw.getOutputStream();
            out.write(("GET " + httpUrl("/echo") + " HTTP/1.1\r\nX-Big: ").getBytes(StandardCharsets.US_ASCII));
            out.write("a".repeat(70 * 1024).getBytes(StandardCharsets.US_ASCII));
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    private static int readOrEof(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            return -1; // a reset is a close too
        }
    }
}
