package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code Expect: 100-continue} (RFC 9110 §10.1.1): the go-ahead is sent only when the handler wants the body, never
 * for a body that will be refused, and any other expectation is refused with 417.
 */
class ExpectContinueTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertContinue(RawResponse interim) {
        assertEquals("HTTP/1.1", interim.version());
        assertEquals(100, interim.status(), interim::toString);
        assertEquals("Continue", interim.reason());
        assertTrue(interim.headers().isEmpty(), interim::toString);
    }

    @Test
    void sendsContinueWhenHandlerReadsBodyThenFinalResponse() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertContinue(client.read());
            RawResponse response = client.send("hello").read();
            assertEquals(200, response.status());
            assertEquals(TestServer.describe("hello".getBytes(StandardCharsets.US_ASCII)), response.bodyText());
            assertEquals("again\n", client.send("GET /say?again HTTP/1.1\r\nHost: test\r\n\r\n").read().bodyText());
        }
    }

    @Test
    void sendsContinueForChunkedBody() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-Continue\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            assertContinue(client.read());
            RawResponse response = client.send("5\r\nhello\r\n0\r\n\r\n").read();
            assertEquals(TestServer.describe("hello".getBytes(StandardCharsets.US_ASCII)), response.bodyText());
        }
    }

    @Test
    void sendsNoContinueWhenHandlerIgnoresBody() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            RawResponse response = client.read();
            assertEquals(200, response.status(), "the final answer comes first: " + response);
            // The client may still send the body it was never asked for, so the connection cannot be reused.
            assertTrue(response.hasToken("Connection", "close"));
            client.assertClosedByServer();
        }
    }

    @Test
    void sendsNoContinueForRequestWithoutBody() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /hello HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\n\r\n")
                    .read();
            assertEquals(200, response.status(), response::toString);
            assertFalse(response.hasToken("Connection", "close"));
        }
    }

    @Test
    void answers413WithoutContinueWhenContentLengthTooLarge() throws IOException {
        server.assertRefused("POST /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: "
                + (TestServer.SETTINGS.maxBodyBytes() + 1) + "\r\n\r\n", 413);
    }

    @Test
    void refusesOtherExpectationWith417() throws IOException {
        server.assertRefused("POST /echo HTTP/1.1\r\nHost: test\r\nExpect: something-else\r\nContent-Length: 5\r\n\r\n"
                + "hello", 417);
    }

    @Test
    void refusesOtherExpectationListedAfter100ContinueWith417() throws IOException {
        server.assertRefused("POST /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-continue, something-else\r\n"
                + "Content-Length: 5\r\n\r\nhello", 417);
    }

    @Test
    void refusesOtherExpectationInSecondFieldWith417() throws IOException {
        // Field lines of one name are one list (RFC 9110 §5.3): the second field cannot be skipped.
        server.assertRefused("POST /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\n"
                + "Expect: something-else\r\nContent-Length: 5\r\n\r\nhello", 417);
    }

    @Test
    void ignoresExpectationInHttp10Request() throws IOException {
        try (RawClient client = server.connect()) {
            // RFC 9110 §10.1.1: an HTTP/1.0 client cannot understand 100 Continue, so it must not get one.
            RawResponse response = client.send(
                    "POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello").read();
            assertEquals(200, response.status(), response::toString);
            assertEquals(TestServer.describe("hello".getBytes(StandardCharsets.US_ASCII)), response.bodyText());
        }
    }
}
