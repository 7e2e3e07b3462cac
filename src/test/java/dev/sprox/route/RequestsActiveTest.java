package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.testing.MockResponse;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** sprox_server_requests_active counts a request from its head until its response is written. */
class RequestsActiveTest extends OriginHarness {
    /** The scrape that reads the gauge is itself a request in flight. */
    private static final String ACTIVE = "sprox_server_requests_active";

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void release() {
        release.countDown();
    }

    @Test
    void aRequestWaitingOnItsOriginIsActiveUntilAnswered() throws Exception {
        origin.dispatch(request -> {
            release.await(10, TimeUnit.SECONDS);
            return MockResponse.status(200);
        });
        start(route("slow", origin.url("/slow"), "read_timeout_ms: 10000"));
        assertEquals(1, metric(ACTIVE));
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(request("/a.ts").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("/slow/a.ts", origin.takeRequest().target());
        assertEquals(2, metric(ACTIVE));
        release.countDown();
        assertEquals(200, held.get(10, TimeUnit.SECONDS).statusCode());
        assertMetricEventually(1, ACTIVE);
    }
}
