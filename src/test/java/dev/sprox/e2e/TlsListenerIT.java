package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.tls.ServerPki;
import dev.sprox.tls.TlsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sprox terminating TLS as an operator runs it: a renewal is picked up by SIGHUP on a listener that
 * does not watch, and by itself on one that does, each visible to openssl and in /metrics.
 */
class TlsListenerIT {
    private static final String HOST = "vod.example.com";

    @TempDir
    Path config;

    private ServerPki pki;
    private TlsClient client;
    private SproxProcess sprox;

    @BeforeEach
    void start() throws Exception {
        pki = ServerPki.create(Files.createDirectories(config.resolve("pki")));
        client = new TlsClient(pki.caCertificate());
        install(pki.issue(HOST), "tls/signalled");
        install(pki.issue(HOST), "tls/watched");
        Configs.routes(config, """
                listeners:
                  - {id: admin, host: 127.0.0.1, port: 0, serve: [admin]}
                logging: { level: info, access_log: false }
                server: { shutdown_grace_ms: 2000 }
                """);
        Configs.write(config.resolve("listeners/tls.yaml"), """
                listeners:
                  - id: signalled
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      certificates:
                        - {hosts: [%1$s], certificate_path: tls/signalled/cert.pem, private_key_path: tls/signalled/key.pem}
                      hsts: {max_age_secs: 600}
                  - id: watched
                    host: 127.0.0.1
                    port: 0
                    serve: [ops]
                    tls:
                      watch_for_changes: true
                      certificates:
                        - {hosts: [%1$s], certificate_path: tls/watched/cert.pem, private_key_path: tls/watched/key.pem}
                """.formatted(HOST));
        sprox = SproxProcess.run(config);
    }

    @AfterEach
    void stop() {
        sprox.close();
    }

    /** Copies a certificate and key where the listener reads them, as a renewal job would. */
    private void install(ServerPki.Identity identity, String directory) throws Exception {
        Path target = Files.createDirectories(config.resolve(directory));
        Files.copy(identity.certificate(), target.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(identity.privateKey(), target.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
    }

    private String servedSerial(String listener) throws Exception {
        return client.certificate(sprox.port(listener), Optional.of(HOST)).getSerialNumber().toString(16);
    }

    private String serialOf(ServerPki.Identity identity) throws Exception {
        try (var in = Files.newInputStream(identity.certificate())) {
            return ((java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in)).getSerialNumber().toString(16);
        }
    }

    @Test
    void servesHttpsThatOpensslAccepts() throws Exception {
        String out = TlsClient.sClient(sprox.port("signalled"), "-servername", HOST, "-CAfile",
                pki.caCertificate().toString(), "-verify_hostname", HOST, "-alpn", "http/1.1");
        assertTrue(out.contains("subject=CN = " + HOST) && out.contains("Verify return code: 0 (ok)")
                && out.contains("ALPN protocol: http/1.1") && out.contains("New, TLSv1.3"), out);
        String health = client.get(sprox.port("signalled"), HOST, "/health");
        assertTrue(health.startsWith("HTTP/1.1 200") && health.contains("Strict-Transport-Security: max-age=600"),
                health);
    }

    @Test
    void sighupInstallsARenewedCertificate() throws Exception {
        ServerPki.Identity renewed = pki.issue(HOST);
        install(renewed, "tls/signalled");
        int mark = sprox.stdout().mark();

        sprox.signal("HUP");

        sprox.stdout().awaitFrom(mark, message("configuration reloaded").and(field("config_generation", 2)),
                SproxProcess.TIMEOUT);
        assertEquals(serialOf(renewed), servedSerial("signalled"));
    }

    @Test
    void aWatchedListenerInstallsARenewalWithoutASignal() throws Exception {
        ServerPki.Identity renewed = pki.issue(HOST);
        int mark = sprox.stdout().mark();

        install(renewed, "tls/watched");

        sprox.stdout().awaitFrom(mark, message("changed certificates are now served").and(field("listener", "watched")),
                SproxProcess.TIMEOUT);
        assertEquals(serialOf(renewed), servedSerial("watched"));
        String metrics = RawHttp.get(sprox.port("admin"), "/metrics").text();
        assertTrue(metrics.contains("sprox_tls_certificate_reloads_total{listener=\"watched\",result=\"success\"} 1.0"),
                metrics);
        assertTrue(metrics.contains("sprox_tls_certificate_expiry_seconds{host=\"" + HOST + "\",listener=\"watched\"}"),
                metrics);
    }

    @Test
    void aBrokenRenewalIsRefusedAndLoggedWhileTheOldCertificateServes() throws Exception {
        String before = servedSerial("watched");
        int mark = sprox.stdout().mark();

        Files.copy(pki.issue(HOST).privateKey(), config.resolve("tls/watched/key.pem"),
                StandardCopyOption.REPLACE_EXISTING);

        String refused = sprox.stdout().awaitFrom(mark, message("changed certificates refused; the previous ones keep "
                + "serving").and(field("listener", "watched")), SproxProcess.TIMEOUT);
        assertTrue(refused.contains("does not match the first certificate"), refused);
        assertEquals(before, servedSerial("watched"));
    }
}
