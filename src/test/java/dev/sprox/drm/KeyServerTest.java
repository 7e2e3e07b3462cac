package dev.sprox.drm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import dev.sprox.tls.ServerPki;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys from a real key server that requires a client certificate: fetched over mutual TLS, shared by
 * concurrent lookups, cached as configured; without the certificate, or with the server failing, the licence
 * request is a prompt 502.
 */
class KeyServerTest extends LicenceHarness {
    private static final Kid KID_C = Kid.parse("1a2b3c4d5e6f708192a3b4c5d6e7f809").orElseThrow();
    private static final Kid KID_D = Kid.parse("2b3c4d5e6f708192a3b4c5d6e7f8091a").orElseThrow();

    private ServerPki pki;
    private ServerPki.Identity client;
    private MutualTlsKeyServer keyServer;

    @BeforeEach
    void startKeyServer() throws Exception {
        pki = ServerPki.create(dir);
        client = pki.issue("sprox-client.test");
        keyServer = MutualTlsKeyServer.start(pki.issue("localhost"), pki.caCertificate());
        keyServer.add(KID_C, TestSecrets.CONTENT_KEY_A_BASE64URL);
        keyServer.add(KID_D, TestSecrets.CONTENT_KEY_B_BASE64URL);
    }

    @AfterEach
    void stopKeyServer() {
        keyServer.close();
    }

    private String keyServerBlock(boolean withClientCertificate, String extras) {
        var yaml = new StringBuilder("""
                  key_server:
                    url: "https://localhost:%d/keys/{kid}"
                    connect_timeout_ms: 5000
                    tls:
                      ca_certificate_path: %s
                """.formatted(keyServer.port(), pki.caCertificate()));
        if (withClientCertificate) {
            yaml.append("      client_certificate_path: ").append(client.certificate()).append('\n')
                    .append("      client_private_key_path: ").append(client.privateKey()).append('\n');
        }
        if (!extras.contains("read_timeout_ms")) {
            yaml.append("    read_timeout_ms: 5000\n");
        }
        for (String extra : extras.isEmpty() ? new String[0] : extras.split("\n")) {
            yaml.append("    ").append(extra).append('\n');
        }
        return yaml.toString();
    }

    /** The harness's drm block ends the file, so the key server block joins it. */
    private void startWithKeyServer(boolean withClientCertificate, String extras) throws Exception {
        startLicences("", keyServerBlock(withClientCertificate, extras));
    }

    @Test
    void keysAreFetchedOverMutualTls() throws Exception {
        startWithKeyServer(true, "");
        HttpResponse<String> answer = post(licenceUrl(), licenceRequest(KID_C, KID_A, KID_UNKNOWN));
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"keys\":[" + jwk(KID_C, TestSecrets.CONTENT_KEY_A_BASE64URL) + ","
                + jwk(KID_A, TestSecrets.CONTENT_KEY_A_BASE64URL) + "],\"type\":\"temporary\"}", answer.body());
        assertTrue(admin(KeysEndpoint.PATH).body().contains("\"kid\":\"" + KID_C.hex()
                + "\",\"kid_uuid\":\"" + KID_C.uuid() + "\",\"source\":\"key_server\",\"expires_at\":\""));
    }

    @Test
    void withoutTheClientCertificateTheLookupFailsAndTheLicenceIs502() throws Exception {
        startWithKeyServer(false, "");
        HttpResponse<String> answer = post(licenceUrl(), licenceRequest(KID_C));
        assertEquals(502, answer.statusCode(), answer.body());
        assertEquals(0, keyServer.requests());
        assertEquals(1, metric("sprox_drm_key_server_errors_total{kind=\"unreachable\"}"));
        // Static keys do not need the key server.
        assertEquals(200, post(licenceUrl(), licenceRequest(KID_A)).statusCode());
    }

    @Test
    void answersAreCachedForCacheTtlAndMissesForMissTtl() throws Exception {
        startWithKeyServer(true, "cache_ttl_s: 60\nmiss_ttl_s: 60");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(licenceUrl(), licenceRequest(KID_C, KID_UNKNOWN)).statusCode());
        }
        assertEquals(2, keyServer.requests(), "one request for the key, one for the unknown KID");
    }

    @Test
    void theMpdLookupAsksTheKeyServerOnceAndTheLicenceRequestUsesItsAnswer() throws Exception {
        startWithKeyServer(true, "cache_ttl_s: 60\nmiss_ttl_s: 60");
        KeyLookup keys = sprox.snapshot().keys();
        assertTrue(keys.mayHoldKeys());
        assertTrue(keys.holds(KID_C, sprox.snapshot().tracing()));
        assertFalse(keys.holds(KID_UNKNOWN, sprox.snapshot().tracing()));
        assertFalse(keys.holds(KID_UNKNOWN, sprox.snapshot().tracing()));
        assertEquals(200, post(licenceUrl(KID_C), licenceRequest(KID_C)).statusCode());
        assertEquals(2, keyServer.requests(), "one request for the key, one for the unknown KID");
    }

    @Test
    void aZeroCacheTtlAsksForEveryRequest() throws Exception {
        startWithKeyServer(true, "cache_ttl_s: 0");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, post(licenceUrl(), licenceRequest(KID_C)).statusCode());
        }
        assertEquals(3, keyServer.requests());
        assertTrue(!admin(KeysEndpoint.PATH).body().contains(KID_C.hex()));
    }

    @Test
    void concurrentLookupsOfOneKidShareOneRequest() throws Exception {
        startWithKeyServer(true, "cache_ttl_s: 0");
        keyServer.holdAnswers();
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 5; i++) {
                answers.add(pool.submit(() -> post(licenceUrl(), licenceRequest(KID_D))));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (keyServer.requests() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200);
            keyServer.release();
            for (Future<HttpResponse<String>> answer : answers) {
                assertEquals("{\"keys\":[" + jwk(KID_D, TestSecrets.CONTENT_KEY_B_BASE64URL)
                        + "],\"type\":\"temporary\"}", answer.get().body());
            }
        }
        assertEquals(1, keyServer.requests());
    }

    @Test
    void aFailingKeyServerIs502AndOpensTheBreaker() throws Exception {
        startWithKeyServer(true, "");
        keyServer.status.set(500);
        for (int i = 0; i < DrmConfig.Breaker.DEFAULT.failures(); i++) {
            assertEquals(502, post(licenceUrl(), licenceRequest(KID_C)).statusCode());
        }
        assertEquals(DrmConfig.Breaker.DEFAULT.failures(), keyServer.requests());
        assertEquals(502, post(licenceUrl(), licenceRequest(KID_D)).statusCode());
        assertEquals(DrmConfig.Breaker.DEFAULT.failures(), keyServer.requests(), "the open breaker asked nobody");
        assertEquals(1, metric("sprox_drm_key_server_errors_total{kind=\"circuit_open\"}"));
    }

    @Test
    void theBreakerFollowsItsConfiguration() throws Exception {
        startWithKeyServer(true, "circuit_breaker: {failures: 2, open_ms: 300}");
        keyServer.status.set(500);
        for (int i = 0; i < 3; i++) {
            assertEquals(502, post(licenceUrl(), licenceRequest(KID_C)).statusCode());
        }
        assertEquals(2, keyServer.requests(), "open after two failures");
        keyServer.status.set(200);
        Thread.sleep(400);
        assertEquals(200, post(licenceUrl(), licenceRequest(KID_C)).statusCode(), "the trial after open_ms");
        assertEquals(3, keyServer.requests());
    }

    @Test
    void aKeyServerThatNeverAnswersIs502AfterTheTimeout() throws Exception {
        startWithKeyServer(true, "read_timeout_ms: 300");
        keyServer.holdAnswers();
        HttpResponse<String> answer = post(licenceUrl(), licenceRequest(KID_C));
        assertEquals(502, answer.statusCode());
        assertEquals(1, metric("sprox_drm_key_server_errors_total{kind=\"timeout\"}"));
    }
}
