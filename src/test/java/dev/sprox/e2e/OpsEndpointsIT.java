package dev.sprox.e2e;

import static dev.sprox.e2e.LogLine.field;
import static dev.sprox.e2e.LogLine.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.security.TestSecrets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ops and admin endpoints of a running sprox, through its real sockets and logs. The tests only read, so
 * they share one process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpsEndpointsIT {
    private SproxProcess sprox;
    private int publicPort;
    private int adminPort;

    @BeforeAll
    void start(@TempDir Path config) {
        Configs.routes(config, Configs.PUBLIC_AND_ADMIN);
        sprox = SproxProcess.run(config);
        publicPort = sprox.port("public");
        adminPort = sprox.port("admin");
    }

    @AfterAll
    void stop() {
        if (sprox != null) {
            sprox.close();
        }
    }

    @Test
    void healthReportsStatusVersionGenerationAndUptime() {
        RawHttp.Response health = RawHttp.get(publicPort, "/health");

        assertEquals(200, health.status(), health::text);
        assertEquals("application/json", health.header("Content-Type"));
        assertEquals("no-store", health.header("Cache-Control"));
        String json = health.text();
        assertTrue(json.matches("(?s)\\{\"status\":\"ok\",\"version\":\"0\\.1\\.0-SNAPSHOT\","
                + "\"config_generation\":1,\"uptime_seconds\":\\d+}\\s*"), json);
    }

    @Test
    void metricsIsPrometheusTextOnTheAdminListenerOnly() {
        RawHttp.get(publicPort, "/health");

        // The request metrics are recorded once the response is written, so a scrape may briefly trail it.
        String scrape = Eventually.until(() -> RawHttp.get(adminPort, "/metrics").text(),
                text -> text.contains("sprox_server_requests_seconds_count{endpoint=\"/health\",status_class=\"2xx\"}"),
                "the /health request in the metrics");
        RawHttp.Response metrics = RawHttp.get(adminPort, "/metrics");
        assertEquals(200, metrics.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.header("Content-Type"));
        assertTrue(scrape.contains("# TYPE sprox_config_generation gauge\n"), scrape);
        assertTrue(scrape.contains("\nsprox_config_generation 1.0\n"), scrape);
        assertTrue(scrape.contains("\nsprox_config_reloads_total{result=\"failure\"} 0.0\n"), scrape);

        RawHttp.Response onPublic = RawHttp.get(publicPort, "/metrics");
        assertEquals(404, onPublic.status(), onPublic::text);
        assertFalse(onPublic.text().contains("sprox_"), onPublic::text);
    }

    @Test
    void opsEndpointsAreServedOnEveryListenerThatServesOps() {
        assertEquals(200, RawHttp.get(adminPort, "/health").status());
        assertEquals(404, RawHttp.get(publicPort, "/no-such-thing").status());
    }

    @Test
    void ipAnswersTheCallersAddress() {
        RawHttp.Response ip = RawHttp.get(publicPort, "/ip");

        assertEquals(200, ip.status());
        assertEquals("text/plain; charset=utf-8", ip.header("Content-Type"));
        assertEquals("127.0.0.1", ip.text().strip());
    }

    @Test
    void accessLogRedactsSecretsAndEchoesTheRequestId() {
        RawHttp.Response ip = RawHttp.get(publicPort, "/ip?api_password=" + TestSecrets.API_PASSWORD + "&token=" + TestSecrets.TOKEN + "&lang=en",
                "X-Request-Id", "abc-123");

        assertEquals(200, ip.status());
        assertEquals("abc-123", ip.header("X-Request-Id"));
        String line = sprox.stdout().await(field("logger", "sprox.access").and(field("request_id", "abc-123")),
                SproxProcess.TIMEOUT);
        assertTrue(message("request").test(line), line);
        assertEquals("/ip?api_password=REDACTED&token=REDACTED&lang=en", LogLine.string(line, "path").orElseThrow(), line);
        assertTrue(field("listener", "public").test(line), line);
        assertTrue(field("endpoint", "/ip").test(line), line);
        assertTrue(field("method", "GET").test(line), line);
        assertTrue(field("status", 200).test(line), line);
        assertTrue(field("bytes", 9).test(line), line);
        assertTrue(field("client_ip", "127.0.0.1").test(line), line);
        assertTrue(field("user_agent", "sprox-e2e").test(line), line);
        assertTrue(line.contains("\"duration_ms\":"), line);
        assertFalse(sprox.stdout().text().contains(TestSecrets.API_PASSWORD), "the secret reached the log");
        assertFalse(sprox.stderr().text().contains(TestSecrets.API_PASSWORD), "the secret reached stderr");
    }

    @Test
    void aGeneratedRequestIdIsSentWhenNoneIsGiven() {
        RawHttp.Response health = RawHttp.get(publicPort, "/health");

        assertTrue(health.header("X-Request-Id").matches("[0-9a-f]{32}"), health.headers()::toString);
    }
}
