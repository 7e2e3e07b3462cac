package dev.sprox.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** read_timeout_ms bounds each wait on the origin, request_timeout_ms the whole exchange. */
class RouteTimeoutTest extends ProxyHarness {
    private RawOrigin origin;

    @AfterEach
    void stopOrigin() throws Exception {
        if (origin != null) {
            origin.close();
        }
    }

    private static void pause(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static long millisSince(long start) {
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    /** {@code /fast} answers at once; anything else gets the head and 1000 of 100000 bytes, then nothing. */
    private static RawOrigin stallingMidBody() throws IOException {
        return new RawOrigin((request, in, out) -> {
            if (request.target().endsWith("/fast")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nfast"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[1000]);
            out.flush();
            pause(5_000);
        });
    }

    @Test
    void slowResponseHeadIsGatewayTimeout() throws Exception {
        origin = new RawOrigin((request, in, out) -> pause(5_000));
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
        origin = new RawOrigin((request, in, out) -> pause(5_000));
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 1000", "request_timeout_ms: 1000",
                "retry: {max_attempts: 3, initial_delay_ms: 10, max_delay_ms: 10}"));
        long start = System.nanoTime();
        assertEquals(504, fetch("/a.ts").statusCode());
        assertTrue(millisSince(start) < 1_800, "the whole exchange is limited to 1 s, took " + millisSince(start));
    }

    @Test
    void originStallingMidBodyCutsTheClientsResponseShort() throws Exception {
        origin = stallingMidBody();
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 500"));
        long start = System.nanoTime();
        var failure = assertThrows(IOException.class,
                () -> client.send(request("/a.ts").build(), HttpResponse.BodyHandlers.ofByteArray()));
        assertTrue(millisSince(start) < 3_000, millisSince(start) + " ms; " + failure);
        assertEquals("fast", fetch("/fast").body());
    }

    @Test
    void stalledBodyClosesTheConnectionBeforeContentLengthBytes() throws Exception {
        origin = stallingMidBody();
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 500"));
        String response = raw("GET /a.ts HTTP/1.1\r\nHost: localhost\r\n");
        assertTrue(response.contains("\r\nContent-Length: 100000\r\n"), response);
        int bodyBytes = response.length() - response.indexOf("\r\n\r\n") - 4;
        assertEquals(1000, bodyBytes, "the client gets what the origin sent, then the connection ends");
    }

    @Test
    void requestTimeoutCutsASlowlyDribbledBody() throws Exception {
        origin = new RawOrigin((request, in, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 100; i++) {
                out.write(new byte[10]);
                out.flush();
                pause(100);
            }
        });
        start(route("vod", origin.url("/vod"), "read_timeout_ms: 500", "request_timeout_ms: 1000"));
        long start = System.nanoTime();
        String response = raw("GET /a.ts HTTP/1.1\r\nHost: localhost\r\n");
        long elapsed = millisSince(start);
        int bodyBytes = response.length() - response.indexOf("\r\n\r\n") - 4;
        assertTrue(bodyBytes < 1000, bodyBytes + " bytes");
        assertTrue(elapsed >= 900 && elapsed < 3_000, elapsed + " ms");
    }
}
