package dev.sprox.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprox.tls.CertifiedKey;
import dev.sprox.tls.PemCertificates;
import dev.sprox.tls.ServerPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test origin does what its script says, so tests that rely on it test sprox and not the origin. */
class MockOriginTest {
    private final MockOrigin origin = MockOrigin.start();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stop() {
        origin.close();
    }

    private HttpResponse<String> get(String target) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(origin.url(target))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void queuedAnswersComeFirstThenFixedOnesThenTheDispatcher() throws Exception {
        origin.enqueue(MockResponse.ok("first"))
                .answer("/a", MockResponse.ok("fixed a"))
                .answer("/a?v=2", MockResponse.ok("fixed a v2"))
                .dispatch(request -> MockResponse.status(418).body("dispatched " + request.target()));

        assertEquals("first", get("/a").body());
        assertEquals("fixed a", get("/a?v=1").body());
        assertEquals("fixed a v2", get("/a?v=2").body());
        HttpResponse<String> other = get("/b");
        assertEquals(418, other.statusCode());
        assertEquals("dispatched /b", other.body());
        assertEquals(List.of("/a", "/a?v=1", "/a?v=2", "/b"),
                origin.requests().stream().map(RecordedRequest::target).toList());
        assertEquals(3, origin.requests("/a").size());
    }

    @Test
    void anUnscriptedRequestIsA404NamingIt() throws Exception {
        HttpResponse<String> response = get("/nothing");
        assertEquals(404, response.statusCode());
        assertEquals("no answer scripted for /nothing", response.body());
    }

    @Test
    void keepAliveRequestsShareAConnectionAndChunkedBodiesArriveWhole() throws Exception {
        origin.dispatch(request -> MockResponse.ok(request.bodyText()).chunked());
        try (Socket socket = new Socket("127.0.0.1", origin.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /one HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n"
                    + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nfg")
                    .getBytes(StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals(2, answers.split("HTTP/1.1 200 OK", -1).length - 1, answers);
            assertEquals(true, answers.contains("5\r\nabcde\r\n0\r\n\r\n"), answers);
        }
        assertEquals("abcde", origin.takeRequest().bodyText());
        RecordedRequest second = origin.takeRequest();
        assertEquals("fg", second.bodyText());
        assertEquals(1, second.connection());
        assertEquals(2, second.sequence());
    }

    @Test
    void aScriptedDisconnectCutsTheBodyShortOfItsLength() throws Exception {
        origin.enqueue(MockResponse.ok("0123456789").disconnectAfterBody(4));
        try (Socket socket = new Socket("127.0.0.1", origin.port())) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertEquals(true, answer.contains("Content-Length: 10\r\n"), answer);
            assertEquals(true, answer.endsWith("\r\n\r\n0123"), answer);
        }
    }

    @Test
    void anOriginOnAnotherLoopbackAddressAnswersAndNamesItselfThere() throws Exception {
        try (var inside = MockOrigin.start(InetAddress.ofLiteral("127.0.0.2"))) {
            inside.answer("/steal", MockResponse.ok("inside"));
            assertEquals("127.0.0.2:" + inside.port(), inside.authority());
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(inside.url("/steal")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("inside", response.body());
            assertEquals(List.of("127.0.0.2:" + inside.port()), inside.only().headers("Host"));
        }
    }

    @Test
    void rawBytesAndResetsReachTheClientAsScripted() throws Exception {
        origin.enqueue(MockResponse.raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab"));
        try (Socket socket = new Socket("127.0.0.1", origin.port())) {
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nab",
                    new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        origin.enqueue(MockResponse.fault(MockResponse.Fault.RESET));
        assertThrows(IOException.class, () -> get("/reset"));
    }

    @Test
    void aMutualTlsOriginAnswersOnlyClientsWithACertificateItsAuthorityIssued(@TempDir Path dir) throws Exception {
        ServerPki pki = ServerPki.create(dir);
        try (var mutual = MockOrigin.startRequiringClientCertificates(
                tls(Optional.of(pki.issue("localhost")), pki.caCertificate()))) {
            mutual.answer("/key", MockResponse.ok("for certified clients"));
            var request = HttpRequest.newBuilder(URI.create("https://localhost:" + mutual.port() + "/key")).build();

            try (var anonymous = HttpClient.newBuilder().sslContext(tls(Optional.empty(), pki.caCertificate()))
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                assertThrows(IOException.class, () -> anonymous.send(request, HttpResponse.BodyHandlers.ofString()));
            }
            assertEquals(0, mutual.requestCount(), "a client without a certificate got a request through");
            try (var certified = HttpClient.newBuilder()
                    .sslContext(tls(Optional.of(pki.issue("client.test")), pki.caCertificate()))
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                assertEquals("for certified clients",
                        certified.send(request, HttpResponse.BodyHandlers.ofString()).body());
            }
            assertEquals("/key", mutual.only().target());
        }
    }

    /** A context that presents {@code identity} (if any) and trusts only {@code authority}. */
    private static SSLContext tls(Optional<ServerPki.Identity> identity, Path authority) throws Exception {
        char[] password = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (identity.isPresent()) {
            CertifiedKey key = CertifiedKey.load(identity.get().certificate(), identity.get().privateKey(),
                    Optional.empty(), "test identity");
            keys.setKeyEntry("identity", key.key(), password, key.chain().toArray(Certificate[]::new));
        }
        var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", PemCertificates.read(authority, "test CA").getFirst());
        var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
