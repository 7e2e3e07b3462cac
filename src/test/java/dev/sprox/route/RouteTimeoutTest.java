package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprox.testing.MockResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** read_timeout_ms bounds each wait on the origin, request_timeout_ms the whole exchange. */
class RouteTimeoutTest extends OriginHarness {
    /** Reads the request and never answers, until sprox gives up and closes the connection. */
    private static final MockResponse SILENT = MockResponse.fault(MockResponse.Fault.STALL);

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** {@code /fast} answers at once; anything else gets the head and 1000 of 100000 bytes, then 5 s of nothing. */
    private void stallMidBody() {
        origin.answer("/vod/fast", MockResponse.ok("fast"))
                .dispatch(request -> MockResponse.ok(new byte[100_000])
                        .throttle(1000, Duration.ofSeconds(5))
                        .disconnectAfterBody(1000));
    }

    @Test
    void slowResponseHeadIsGatewayTimeout() throws Exception {
        origin.dispatch(request -> SILENT);
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 500", "retry: {max_attempts: 1}"));
        long start = System.nanoTime();
        assertEquals(504, fetch("/a.ts").statusCode());
        assertTrue(millisSince(start) < 2_000, millisSince(start) + " ms");
        assertEquals(1, metric("sprox_upstream_failures_total{kind=\"timeout\",route=\"vod\"}"));
    }

    @Test
    void originThatNeverAcceptsIsGatewayTimeoutAfterTheConnectTimeout() throws Exception {
        // A listening socket whose accept queue is full: the kernel drops further SYNs, so a connect hangs.
        try (var full = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            var fillers = new java.util.ArrayList<java.net.Socket>();
            try {
                for (int i = 0; i < 8; i++) {
                    var filler = new java.net.Socket();
                    fillers.add(filler);
                    try {
                        filler.connect(full.getLocalSocketAddress(), 200);
                    } catch (java.net.SocketTimeoutException queueFull) {
                        break;
                    }
                }
                start(route("vod", "http://127.0.0.1:" + full.getLocalPort() + "/vod", "retry: {max_attempts: 1}"));
                long start = System.nanoTime();
                assertEquals(504, fetch("/a.ts").statusCode());
                long elapsed = millisSince(start);
                assertTrue(elapsed >= 900 && elapsed < 3_000, "the harness's 1 s connect timeout fired after "
                        + elapsed + " ms");
            } finally {
                for (var filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void requestTimeoutBoundsRetriesOfASlowHead() throws Exception {
        origin.dispatch(request -> SILENT);
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 1000", "request_timeout_ms: 1000",
                "retry: {max_attempts: 3, initial_delay_ms: 10, max_delay_ms: 10}"));
        long start = System.nanoTime();
        assertEquals(504, fetch("/a.ts").statusCode());
        assertTrue(millisSince(start) < 1_800, "the whole exchange is limited to 1 s, took " + millisSince(start));
    }

    @Test
    void originStallingMidBodyCutsTheClientsResponseShort() throws Exception {
        stallMidBody();
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 500"));
        long start = System.nanoTime();
        var failure = assertThrows(IOException.class,
                () -> client.send(request("/a.ts").build(), HttpResponse.BodyHandlers.ofByteArray()));
        assertTrue(millisSince(start) < 3_000, millisSince(start) + " ms; " + failure);
        assertEquals("fast", fetch("/fast").body());
    }

    @Test
    void stalledBodyClosesTheConnectionBeforeContentLengthBytes() throws Exception {
        stallMidBody();
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 500"));
        String response = raw("GET /a.ts HTTP/1.1\r\nHost: localhost\r\n");
        assertTrue(response.contains("\r\nContent-Length: 100000\r\n"), response);
        int bodyBytes = response.length() - response.indexOf("\r\n\r\n") - 4;
        assertEquals(1000, bodyBytes, "the client gets what the origin sent, then the connection ends");
    }

    @Test
    void requestTimeoutCutsASlowlyDribbledBody() throws Exception {
        origin.dispatch(request -> MockResponse.ok(new byte[1000]).throttle(10, Duration.ofMillis(100)));
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 500", "request_timeout_ms: 1000"));
        long start = System.nanoTime();
        String response = raw("GET /a.ts HTTP/1.1\r\nHost: localhost\r\n");
        long elapsed = millisSince(start);
        int bodyBytes = response.length() - response.indexOf("\r\n\r\n") - 4;
        assertTrue(bodyBytes < 1000, bodyBytes + " bytes");
        assertTrue(elapsed >= 900 && elapsed < 3_000, elapsed + " ms");
    }
}
