package dev.sprox.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockOrigin;
import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RunningSprox;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the scheme matters: a route limited to https matches only TLS connections, and tells the origin so. */
class HttpsRouteTest {
    @TempDir
    Path dir;

    private final MockOrigin origin = MockOrigin.start().dispatch(request -> MockResponse.ok("served"));
    private RunningSprox sprox;
    private TlsClient client;

    @BeforeEach
    void start() throws Exception {
        ServerPki pki = ServerPki.create(dir);
        ServerPki.Identity vod = pki.issue("vod.example.com");
        client = new TlsClient(pki.caCertificate());
        sprox = RunningSprox.start(dir, """
                listeners:
                  - id: public
                    host: 127.0.0.1
                    port: 0
                    tls:
                      certificates: [{hosts: [vod.example.com], certificate_path: %s, private_key_path: %s}]
                  - {id: plain, host: 127.0.0.1, port: 0}
                routes:
                  - id: secure-only
                    listeners: [public, plain]
                    host_patterns: [vod.example.com]
                    protocols: [https]
                    upstream: {origin: "http://127.0.0.1:%d/"}
                logging: {level: warn, access_log: false}
                server: {shutdown_grace_ms: 200}
                """.formatted(vod.certificate(), vod.privateKey(), origin.port()));
    }

    @AfterEach
    void stop() {
        if (sprox != null) {
            sprox.close();
        }
        origin.close();
    }

    @Test
    void aTlsConnectionIsHttpsToRoutesAndToTheOrigin() throws Exception {
        String response = client.get(sprox.port("public"), "vod.example.com", "/a");
        assertTrue(response.startsWith("HTTP/1.1 200") && response.endsWith("served"), response);
        assertEquals(List.of("https"), origin.only().headers("X-Forwarded-Proto"));
    }

    @Test
    void aPlainConnectionDoesNotMatchAnHttpsOnlyRoute() throws Exception {
        String response = TlsClient.plainGet(sprox.port("plain"), "vod.example.com", "/a");
        assertTrue(response.startsWith("HTTP/1.1 404"), response);
        assertEquals(List.of(), origin.requests(), "nothing reached the origin");
    }
}
