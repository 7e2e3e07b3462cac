package dev.sprox.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.runtime.Sprox;
import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import dev.sprox.testing.RunningSprox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route's transport settings, end to end: a client asks sprox, sprox reaches a real TLS origin or goes
 * through a real SOCKS5 server, exactly as configured in routes.yaml.
 */
class RouteTransportTest {
    @TempDir
    static Path dir;

    private static TlsTestServer plainTls;
    private static TlsTestServer mutualTls;
    private static Microsocks socks;
    private static final MockOrigin origin = MockOrigin.start().dispatch(request -> MockResponse.ok("via socks"));
    private static Sprox sprox;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create(dir, "origins");
        KeyStore originIdentity = pki.keyStore(pki.issueServer("origin.internal"));
        plainTls = TlsTestServer.start(originIdentity);
        KeyStore clientAuthorities = KeyStore.getInstance("PKCS12");
        clientAuthorities.load(null, null);
        clientAuthorities.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(pki.caCertificate())));
        mutualTls = TlsTestServer.requiringClientCertificates(originIdentity, clientAuthorities);
        TestPki.Identity client = pki.issueClient(TestPki.KeyForm.EC_SEC1);
        socks = Microsocks.start("proxyuser", "proxypass");
        String ca = pki.caCertificate().toString();
        Files.writeString(dir.resolve("routes.yaml"), """
                listeners:
                  - {id: public, host: 127.0.0.1, port: 0, serve: [routes]}
                routes:
                  - {id: wrong-name, path_prefix: /wrong-name, host_patterns: [localhost],
                     upstream: {origin: "https://127.0.0.1:%1$d", tls: {ca_certificate_path: "%3$s"}}}
                  - {id: sni, path_prefix: /sni, host_patterns: [localhost],
                     upstream: {origin: "https://127.0.0.1:%1$d", tls: {ca_certificate_path: "%3$s",
                                sni_hostname: origin.internal}}}
                  - {id: untrusted, path_prefix: /untrusted, host_patterns: [localhost],
                     upstream: {origin: "https://127.0.0.1:%1$d", tls: {sni_hostname: origin.internal}}}
                  - {id: insecure, path_prefix: /insecure, host_patterns: [localhost],
                     upstream: {origin: "https://127.0.0.1:%1$d", tls: {insecure_skip_verify: true}}}
                  - {id: mutual, path_prefix: /mutual, host_patterns: [localhost],
                     upstream: {origin: "https://127.0.0.1:%2$d", tls: {ca_certificate_path: "%3$s",
                                sni_hostname: origin.internal, client_certificate_path: "%4$s",
                                client_private_key_path: "%5$s"}}}
                  - {id: no-client-cert, path_prefix: /no-client-cert, host_patterns: [localhost],
                     upstream: {origin: "https://127.0.0.1:%2$d", tls: {ca_certificate_path: "%3$s",
                                sni_hostname: origin.internal}}}
                  - {id: socks, path_prefix: /echo, host_patterns: [localhost],
                     upstream: {origin: "http://127.0.0.1:%6$d",
                                socks5: {address: "127.0.0.1:%7$d", username: proxyuser, password: proxypass}}}
                  - {id: socks-refused, path_prefix: /refused, host_patterns: [localhost],
                     upstream: {origin: "http://127.0.0.1:%6$d", retry: {max_attempts: 1},
                                socks5: {address: "127.0.0.1:%7$d", username: proxyuser, password: wrong}}}
                """.formatted(plainTls.port(), mutualTls.port(), ca, client.certificate(), client.privateKey(),
                origin.port(), socks.port()));
        sprox = RunningSprox.startIn(dir, Map.of()).sprox();
    }

    @AfterAll
    static void stop() throws Exception {
        sprox.drain();
        plainTls.close();
        mutualTls.close();
        socks.close();
        origin.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        int port = sprox.listeners().getFirst().boundAddress().getPort();
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void originCertificateForAnotherNameIsRefused() throws Exception {
        assertEquals(502, get("/wrong-name/x").statusCode());
    }

    @Test
    void sniOverrideIsSentAndVerified() throws Exception {
        var response = get("/sni/x");
        assertEquals(200, response.statusCode());
        assertEquals("ok", response.body());
        assertTrue(plainTls.nextRequestedServerNames().contains("origin.internal"));
    }

    @Test
    void originSignedByAnUntrustedAuthorityIsRefused() throws Exception {
        assertEquals(502, get("/untrusted/x").statusCode());
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() throws Exception {
        assertEquals(200, get("/insecure/x").statusCode());
    }

    @Test
    void clientCertificateIsPresentedForMutualTls() throws Exception {
        assertEquals(200, get("/mutual/x").statusCode());
    }

    @Test
    void originRequiringAClientCertificateRefusesARouteWithout() throws Exception {
        assertEquals(502, get("/no-client-cert/x").statusCode());
    }

    @Test
    void routeReachesItsOriginThroughAuthenticatedSocks5() throws Exception {
        var response = get("/echo/through-socks?a=1");
        assertEquals(200, response.statusCode());
        assertEquals("via socks", response.body());
        RecordedRequest seen = origin.requests("/echo/through-socks").getFirst();
        assertEquals("GET /echo/through-socks?a=1 HTTP/1.1", seen.requestLine());
        assertEquals(List.of(origin.authority()), seen.headers("Host"));
    }

    @Test
    void socksServerRefusingTheCredentialsIsABadGateway() throws Exception {
        assertEquals(502, get("/refused/x").statusCode());
        assertEquals(List.of(), origin.requests("/refused/x"), "nothing reached the origin");
    }
}
