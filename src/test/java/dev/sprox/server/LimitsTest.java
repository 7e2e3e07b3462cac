package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Size limits, timeouts and the connection cap: each turns a hostile or broken client away with its status. */
class LimitsTest {
    private static final Duration SHORT = Duration.ofMillis(400);
    private static final Duration LONG = Duration.ofSeconds(3);
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void refusesRequestLineLongerThanMaxWith414() throws IOException {
        server.assertRefused("GET /say?" + "a".repeat(1100) + " HTTP/1.1\r\nHost: test\r\n\r\n", 414);
    }

    @Test
    void acceptsRequestLineOfExactlyMaxLength() throws IOException {
        String frame = "GET /say? HTTP/1.1";
        String query = "a".repeat(TestServer.SETTINGS.maxRequestLineBytes() - frame.length());
        RawResponse response = server.exchange("GET /say?" + query + " HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(200, response.status());
        assertEquals(query + "\n", response.bodyText());
    }

    @Test
    void refusesHeaderSectionLargerThanMaxWith431() throws IOException {
        var headers = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            headers.append("X-Fill-").append(i).append(": ").append("v".repeat(500)).append("\r\n");
        }
        server.assertRefused("GET /hello HTTP/1.1\r\nHost: test\r\n" + headers + "\r\n", 431);
    }

    @Test
    void refusesSingleHeaderLargerThanMaxWith431() throws IOException {
        server.assertRefused("GET /hello HTTP/1.1\r\nHost: test\r\nX-Big: " + "v".repeat(5000) + "\r\n\r\n", 431);
    }

    @Test
    void refusesMoreHeaderFieldsThanMaxWith431() throws IOException {
        var headers = new StringBuilder("Host: test\r\n");
        for (int i = 1; i <= TestServer.SETTINGS.maxHeaderCount(); i++) {
            headers.append("X-").append(i).append(": 1\r\n");
        }
        server.assertRefused("GET /hello HTTP/1.1\r\n" + headers + "\r\n", 431);
    }

    @Test
    void acceptsExactlyMaxHeaderFields() throws IOException {
        var headers = new StringBuilder("Host: test\r\n");
        for (int i = 1; i < TestServer.SETTINGS.maxHeaderCount(); i++) {
            headers.append("X-").append(i).append(": 1\r\n");
        }
        assertEquals(200, server.exchange("GET /hello HTTP/1.1\r\n" + headers + "\r\n").status());
    }

    @Test
    void refusesContentLengthAboveMaxWith413WithoutWaitingForBody() throws IOException {
        long start = System.nanoTime();
        // Only the head is sent: waiting for the body would end in a 408 after the body timeout instead.
        server.assertRefused("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: "
                + (TestServer.SETTINGS.maxBodyBytes() + 1) + "\r\n\r\n", 413);
        assertTrue(millisSince(start) < TestServer.SETTINGS.bodyTimeout().toMillis(), "answered at once");
    }

    @Test
    void acceptsBodyOfExactlyMaxBodyBytes() throws IOException {
        byte[] body = new byte[(int) TestServer.SETTINGS.maxBodyBytes()];
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length + "\r\n\r\n").send(body);
            assertEquals(TestServer.describe(body), client.read().bodyText());
        }
    }

    @Test
    void refusesSlowlorisHeadWith408() throws Exception {
        try (TestServer slow = TestServer.start(TestServer.withTimeouts(SHORT, LONG, LONG));
             RawClient client = slow.connect()) {
            byte[] head = ("GET /hello HTTP/1.1\r\nHost: test\r\nX-Pad: " + "a".repeat(60) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            // One byte every 100 ms: each read is quick, but the whole head takes far longer than allowed.
            for (int i = 0; i < head.length && !client.responseWaiting(); i++) {
                client.send(new byte[] {head[i]});
                Thread.sleep(100);
            }
            RawResponse response = client.read();
            assertEquals(408, response.status(), response::toString);
            assertTrue(response.hasToken("Connection", "close"));
            client.assertClosedByServer();
            long elapsed = millisSince(start);
            assertTrue(elapsed >= SHORT.toMillis() && elapsed < head.length * 100L, "408 after " + elapsed + " ms");
            slow.assertStillServes();
        }
    }

    @Test
    void closesSilentConnectionAfterIdleTimeoutWithoutResponse() throws IOException {
        try (TestServer idle = TestServer.start(TestServer.withTimeouts(LONG, SHORT, LONG));
             RawClient client = idle.connect()) {
            long start = System.nanoTime();
            assertArrayEquals(new byte[0], client.readToEnd(), "no response bytes to a client that said nothing");
            long elapsed = millisSince(start);
            assertTrue(elapsed >= SHORT.toMillis() - 50 && elapsed < LONG.toMillis(),
                    "closed after " + elapsed + " ms");
            idle.assertStillServes();
        }
    }

    @Test
    void closesKeptAliveConnectionAfterIdleTimeout() throws IOException {
        try (TestServer idle = TestServer.start(TestServer.withTimeouts(LONG, SHORT, LONG));
             RawClient client = idle.connect()) {
            assertEquals(200, client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status());
            long start = System.nanoTime();
            assertArrayEquals(new byte[0], client.readToEnd());
            assertTrue(millisSince(start) < LONG.toMillis());
        }
    }

    @Test
    void aRequestTakingLongerThanTheIdleTimeoutIsAnsweredAndItsConnectionKept() throws IOException {
        try (TestServer idle = TestServer.start(TestServer.withTimeouts(LONG, SHORT, LONG));
             RawClient client = idle.connect()) {
            // The handler sleeps a second: longer than the idle timeout and the watch's sweep together.
            RawResponse answer = client.send("POST /after-pause HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\n"
                    + "hello").read();
            assertEquals(200, answer.status(), answer::toString);
            assertEquals(TestServer.describe("hello".getBytes(StandardCharsets.US_ASCII)), answer.bodyText());
            assertEquals(200, client.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read().status(),
                    "the connection still serves");
        }
    }

    @Test
    void refusesStalledBodyWith408() throws IOException {
        try (TestServer stall = TestServer.start(TestServer.withTimeouts(LONG, LONG, SHORT));
             RawClient client = stall.connect()) {
            long start = System.nanoTime();
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nhello");
            RawResponse response = client.read();
            assertEquals(408, response.status(), response::toString);
            assertTrue(response.hasToken("Connection", "close"));
            client.assertClosedByServer();
            assertTrue(millisSince(start) >= SHORT.toMillis() - 50);
            stall.assertStillServes();
        }
    }

    @Test
    void closesConnectionWhenUnreadBodyStalls() throws IOException {
        try (TestServer stall = TestServer.start(TestServer.withTimeouts(LONG, LONG, SHORT));
             RawClient client = stall.connect()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: test\r\nContent-Length: 10\r\n\r\nhello");
            RawResponse response = client.read();
            assertEquals(200, response.status(), "the handler's answer stands");
            assertTrue(response.hasToken("Connection", "close"), "but the connection cannot be reused");
            client.assertClosedByServer();
            stall.assertStillServes();
        }
    }

    @Test
    void closesConnectionWhoseClientStopsReading() throws Exception {
        try (TestServer slowReader = TestServer.start(TestServer.withSendTimeout(SHORT));
             RawClient client = slowReader.connect()) {
            client.send("GET /large HTTP/1.1\r\nHost: test\r\n\r\n");
            Thread.sleep(SHORT.toMillis() * 4);
            long received = 0;
            try (var in = client.socket().getInputStream()) {
                for (int n; (n = in.read(new byte[64 * 1024])) > 0; ) {
                    received += n;
                }
            } catch (java.net.SocketException reset) {
                // The server closed with data in flight; what matters is that it gave up.
            }
            assertTrue(received < 64L * 1024 * 1024, "the server kept sending to a client that stopped reading");
            slowReader.assertStillServes();
        }
    }

    @Test
    void refusesConnectionsBeyondMaxConnectionsWith503() throws Exception {
        try (TestServer capped = TestServer.start(TestServer.withMaxConnections(2));
             RawClient first = capped.connect();
             RawClient second = capped.connect()) {
            // A completed exchange on each proves both were accepted and counted before the third arrives.
            assertEquals("first\n", first.send("GET /say?first HTTP/1.1\r\nHost: test\r\n\r\n").read().bodyText());
            assertEquals("second\n", second.send("GET /say?second HTTP/1.1\r\nHost: test\r\n\r\n").read().bodyText());
            try (RawClient third = capped.connect()) {
                RawResponse refused = third.send("GET /hello HTTP/1.1\r\nHost: test\r\n\r\n").read();
                assertEquals(503, refused.status(), refused::toString);
                assertTrue(refused.hasToken("Connection", "close"));
                assertEquals("1", refused.header("Retry-After").orElse(null));
                third.assertClosedByServer();
            }
            assertEquals("again1\n", first.send("GET /say?again1 HTTP/1.1\r\nHost: test\r\n\r\n").read().bodyText());
            assertEquals("again2\n", second.send("GET /say?again2 HTTP/1.1\r\nHost: test\r\n\r\n").read().bodyText());

            first.close();
            long deadline = System.nanoTime() + LONG.toNanos();
            while (capped.activeConnections() >= 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            capped.assertStillServes();
        }
    }

    @Test
    void answers413WhileClientIsStillSendingTheBody() throws Exception {
        try (RawClient client = server.connect()) {
            int size = 8 * 1024 * 1024;
            var writer = Thread.ofVirtual().start(() -> {
                try {
                    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: " + size + "\r\n\r\n");
                    client.send(new byte[size]);
                } catch (IOException expected) {
                    // The server refuses and closes; the rest of the body has nowhere to go.
                }
            });
            RawResponse response = client.read();
            assertEquals(413, response.status(), response::toString);
            writer.join();
        }
        server.assertStillServes();
    }
}
