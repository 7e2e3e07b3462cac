package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** sprox_server_requests_active counts a request from its head until its response is written. */
class RequestsActiveTest extends ProxyHarness {
    /** The scrape that reads the gauge is itself a request in flight. */
    private static final String ACTIVE = "sprox_server_requests_active";

    private final CountDownLatch release = new CountDownLatch(1);
    private JdkOrigin origin;

    @AfterEach
    void stopOrigin() {
        release.countDown();
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void aRequestWaitingOnItsOriginIsActiveUntilAnswered() throws Exception {
        var arrived = new CountDownLatch(1);
        origin = new JdkOrigin(exchange -> {
            try (exchange) {
                arrived.countDown();
                release.await(10, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        start(route("slow", origin.url("/slow"), "read_timeout_ms: 10000"));
        assertEquals(1, metric(ACTIVE));
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(request("/a.ts").build(),
                HttpResponse.BodyHandlers.ofString());
        arrived.await(10, TimeUnit.SECONDS);
        assertEquals(2, metric(ACTIVE));
        release.countDown();
        assertEquals(200, held.get(10, TimeUnit.SECONDS).statusCode());
        assertMetricEventually(1, ACTIVE);
    }
}
