package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprox.testing.MockResponse;
import dev.sprox.testing.RecordedRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET and HEAD are retried after transport errors, within max_attempts and the retry budget; nothing else is. */
class RouteRetryTest extends OriginHarness {
    private static final String RETRIES = "sprox_upstream_retries_total{route=\"vod\"}";
    private static final String DEFAULT_RETRY = "{max_attempts: 3, initial_delay_ms: 10, max_delay_ms: 50, jitter: 0.2,"
            + " budget: {ratio: 0.2, window_ms: 10000, min_per_second: 10}}";
    private static final MockResponse RESET = MockResponse.fault(MockResponse.Fault.RESET);

    private void startWithRetry(String retry) throws Exception {
        start(route("vod", origin.url("/vod"), "retry: " + retry));
    }

    /** What reached the origin, as request lines. */
    private List<String> requestLines() {
        return origin.requests().stream().map(RecordedRequest::requestLine).toList();
    }

    @Test
    void resetOnceThenAnsweredIsOneRetryAndA200() throws Exception {
        origin.enqueue(RESET).answer("/vod/a.ts", MockResponse.ok("segment"));
        startWithRetry(DEFAULT_RETRY);
        var response = fetch("/a.ts");
        assertEquals(200, response.statusCode());
        assertEquals("segment", response.body());
        assertEquals(1, metric(RETRIES));
        assertEquals(List.of("GET /vod/a.ts HTTP/1.1", "GET /vod/a.ts HTTP/1.1"), requestLines());
    }

    @Test
    void alwaysResettingOriginIs502AfterExactlyMaxAttempts() throws Exception {
        origin.answer("/vod/a.ts", RESET);
        startWithRetry(DEFAULT_RETRY);
        assertEquals(502, fetch("/a.ts").statusCode());
        assertEquals(List.of("GET /vod/a.ts HTTP/1.1", "GET /vod/a.ts HTTP/1.1", "GET /vod/a.ts HTTP/1.1"),
                requestLines());
        assertEquals(2, metric(RETRIES));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"unreachable\",route=\"vod\"}"));
    }

    @Test
    void emptyResponseIsRetriedToo() throws Exception {
        origin.answer("/vod/a.ts", MockResponse.fault(MockResponse.Fault.EMPTY_RESPONSE));
        startWithRetry("{max_attempts: 2, initial_delay_ms: 10, max_delay_ms: 10}");
        assertEquals(502, fetch("/a.ts").statusCode());
        assertEquals(List.of("GET /vod/a.ts HTTP/1.1", "GET /vod/a.ts HTTP/1.1"), requestLines());
    }

    @Test
    void postWithABodyIsNeverRetried() throws Exception {
        origin.answer("/vod/upload", RESET);
        startWithRetry(DEFAULT_RETRY);
        var response = client.send(request("/upload").POST(HttpRequest.BodyPublishers.ofString("payload")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(502, response.statusCode());
        assertEquals(List.of("POST /vod/upload HTTP/1.1"), requestLines());
        assertEquals(0, metric(RETRIES));
    }

    @Test
    void refusedConnectIsRetriedBySproxOnlyThen502() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        start(route("vod", "http://127.0.0.1:" + closedPort + "/vod", "retry: " + DEFAULT_RETRY));
        assertEquals(502, fetch("/a.ts").statusCode());
        assertEquals(2, metric(RETRIES));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"unreachable\",route=\"vod\"}"));
    }

    @Test
    void emptyBudgetRefusesTheFirstRetry() throws Exception {
        origin.answer("/vod/a.ts", RESET);
        startWithRetry("{max_attempts: 3, initial_delay_ms: 10, budget: {ratio: 0, min_per_second: 0}}");
        assertEquals(502, fetch("/a.ts").statusCode());
        assertEquals(List.of("GET /vod/a.ts HTTP/1.1"), requestLines());
        assertEquals(0, metric(RETRIES));
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"retry_budget_exhausted\",route=\"vod\"}"));
    }
}
