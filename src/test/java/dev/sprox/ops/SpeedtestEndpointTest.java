package dev.sprox.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.route.ProxyHarness;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 §5: {@code /speedtest} is on every default listener, so its size is capped ({@code
 * ops.speedtest.max_bytes}, a few MiB by default) and each request spends the client's ordinary rate limit.
 */
class SpeedtestEndpointTest extends ProxyHarness {
    private static final String LISTENER = """
            listeners:
              - {id: public, host: 127.0.0.1, port: 0, serve: [ops]}
            server: {shutdown_grace_ms: 300}
            logging: {level: warn, access_log: false}
            """;

    @Test
    void aGibibyteIsRefusedByTheDefaultCap() throws Exception {
        startConfig(LISTENER);
        HttpResponse<InputStream> response = client.send(request("/speedtest?bytes=1073741824").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertEquals(400, response.statusCode());
            assertEquals("bytes must be at most 8388608\n",
                    new String(body.readNBytes(1024), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theCapIsConfigurableAndAnswersWithoutBytesStayWithinIt() throws Exception {
        startConfig(LISTENER + "ops: {speedtest: {max_bytes: 1024}}\n");
        assertEquals(400, fetch("/speedtest?bytes=1025").statusCode());
        assertEquals(1024, fetch("/speedtest?bytes=1024").body().length());
        HttpResponse<String> unsized = fetch("/speedtest");
        assertEquals(200, unsized.statusCode());
        assertEquals(Optional.of("1024"), unsized.headers().firstValue("Content-Length"));
    }

    @Test
    void eachRequestSpendsTheOrdinaryRateLimit() throws Exception {
        startConfig(LISTENER + "rate_limit: {requests_per_second: 0.01, burst: 2}\n");
        assertEquals(200, fetch("/speedtest?bytes=10").statusCode());
        assertEquals(200, fetch("/speedtest?bytes=10").statusCode());
        HttpResponse<String> limited = fetch("/speedtest?bytes=10");
        assertEquals(429, limited.statusCode());
        assertEquals(true, limited.headers().firstValue("Retry-After").isPresent());
    }
}
