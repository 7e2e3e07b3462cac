package dev.sprox.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.RunningSprox;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain listener beside a TLS one: ACME HTTP-01 challenges come from the webroot sprox prepared, nothing
 * else from the file system, and every other request is redirected to HTTPS with 308.
 */
class AcmeRedirectTest {
    private static final String TOKEN = "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0";

    @TempDir
    Path dir;

    private RunningSprox sprox;
    private Path cache;
    private int tlsPort;

    @BeforeEach
    void start() throws Exception {
        ServerPki pki = ServerPki.create(dir);
        ServerPki.Identity vod = pki.issue("vod.example.com");
        cache = dir.resolve("acme");
        // The redirect names the TLS listener's configured port, so it needs a real one.
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            tlsPort = probe.getLocalPort();
        }
        sprox = RunningSprox.start(dir, """
                listeners:
                  - id: public
                    host: 127.0.0.1
                    port: %d
                    serve: [ops]
                    tls:
                      certificates: [{hosts: [vod.example.com], certificate_path: %s, private_key_path: %s}]
                      acme: {cache_path: acme}
                  - {id: http, host: 127.0.0.1, port: 0, redirect_to_https: public}
                  - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
                logging: {level: warn, access_log: false}
                server: {shutdown_grace_ms: 200}
                """.formatted(tlsPort, vod.certificate(), vod.privateKey()));
    }

    @AfterEach
    void stop() {
        if (sprox != null) {
            sprox.close();
        }
    }

    private String get(String path) throws IOException {
        return TlsClient.plainGet(sprox.port("http"), "vod.example.com", path);
    }

    @Test
    void theCacheDirectoryIsCreatedOwnerOnlyWithTheWebrootInside() throws IOException {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cache)));
        assertTrue(Files.isDirectory(cache.resolve("webroot/.well-known/acme-challenge")));
    }

    @Test
    void servesAChallengeFileFromTheWebroot() throws IOException {
        Files.writeString(cache.resolve("webroot/.well-known/acme-challenge").resolve(TOKEN), TOKEN + ".thumbprint");
        String response = get("/.well-known/acme-challenge/" + TOKEN);
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertTrue(response.endsWith("\r\n\r\n" + TOKEN + ".thumbprint"), response);
    }

    @Test
    void anUnknownTokenIsNotFound() throws IOException {
        String response = get("/.well-known/acme-challenge/" + TOKEN);
        assertTrue(response.startsWith("HTTP/1.1 404"), response);
    }

    /** Issue 14 §5: every component under the webroot is opened without following links, not just the last. */
    @Test
    void aChallengeDirectoryThatIsALinkOutOfTheWebrootIsNotFollowed() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve(TOKEN), "private key material");
        Path challenges = cache.resolve("webroot/.well-known/acme-challenge");
        Files.delete(challenges);
        Files.createSymbolicLink(challenges, outside);

        String response = get("/.well-known/acme-challenge/" + TOKEN);

        assertTrue(response.startsWith("HTTP/1.1 404"), response);
        assertTrue(!response.contains("private key material"), response);
    }

    @Test
    void aWellKnownDirectoryThatIsALinkOutOfTheWebrootIsNotFollowed() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("outside/acme-challenge"));
        Files.writeString(outside.resolve(TOKEN), "private key material");
        Path wellKnown = cache.resolve("webroot/.well-known");
        Files.delete(wellKnown.resolve("acme-challenge"));
        Files.delete(wellKnown);
        Files.createSymbolicLink(wellKnown, outside.getParent());

        String response = get("/.well-known/acme-challenge/" + TOKEN);

        assertTrue(response.startsWith("HTTP/1.1 404"), response);
        assertTrue(!response.contains("private key material"), response);
    }

    @Test
    void aChallengeFileThatIsALinkIsNotFollowed() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret"), "private key material");
        Files.createSymbolicLink(cache.resolve("webroot/.well-known/acme-challenge").resolve(TOKEN), secret);

        String response = get("/.well-known/acme-challenge/" + TOKEN);

        assertTrue(response.startsWith("HTTP/1.1 404"), response);
        assertTrue(!response.contains("private key material"), response);
    }

    @Test
    void refusesTraversalOutOfTheChallengeDirectory() throws IOException {
        Files.writeString(cache.resolve("secret"), "private key material");
        Files.writeString(cache.resolve("webroot/.well-known/secret"), "private key material");
        for (String path : new String[] {"/.well-known/acme-challenge/../secret",
            "/.well-known/acme-challenge/../../secret", "/.well-known/acme-challenge/%2e%2e/secret",
            "/.well-known/acme-challenge/%2E%2E%2Fsecret", "/.well-known/acme-challenge/..%2F..%2Fsecret",
            "/.well-known/acme-challenge/..%5csecret", "/.well-known/acme-challenge/.",
            "/.well-known/acme-challenge/", "/.well-known/acme-challenge/a/b"}) {
            String response = get(path);
            assertTrue(response.startsWith("HTTP/1.1 404"), path + " → " + response);
            assertTrue(!response.contains("private key material"), path + " → " + response);
        }
    }

    @Test
    void everythingElseIsRedirectedToHttpsWithTheSameHostAndTarget() throws IOException {
        String response = get("/live/index.m3u8?token=a%20b&x=1");
        assertTrue(response.startsWith("HTTP/1.1 308"), response);
        assertTrue(response.contains("\r\nLocation: https://vod.example.com:" + tlsPort
                + "/live/index.m3u8?token=a%20b&x=1\r\n"), response);
        assertTrue(!response.contains("Strict-Transport-Security"), response);
    }

    @Test
    void aHostThatCannotBeEchoedSafelyIsRefused() throws IOException {
        String response = TlsClient.plainGet(sprox.port("http"), "evil.example.com\"><script>", "/");
        assertTrue(response.startsWith("HTTP/1.1 400"), response);
    }
}
