package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Persistent connections and pipelining (RFC 9112 §9): which requests keep a connection, and in what order. */
class KeepAliveTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void answersPipelinedRequestsInOrder() throws IOException {
        try (RawClient client = server.connect()) {
            // One write: the server sees all of them in its buffer at once.
            client.send("GET /say?one HTTP/1.1\r\nHost: test\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /say?three HTTP/1.1\r\nHost: test\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "GET /say?five HTTP/1.1\r\nHost: test\r\n\r\n");
            assertEquals("one\n", client.read().bodyText());
            assertEquals(TestServer.describe("hello".getBytes(StandardCharsets.US_ASCII)), client.read().bodyText());
            assertEquals("three\n", client.read().bodyText());
            assertEquals(TestServer.describe("abc".getBytes(StandardCharsets.US_ASCII)), client.read().bodyText());
            RawResponse last = client.read();
            assertEquals("five\n", last.bodyText());
            assertFalse(last.has("Connection"), "an HTTP/1.1 connection stays open without saying so");
        }
    }

    @Test
    void answersEarlierPipelinedRequestsBeforeRefusingMalformedOne() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("GET /say?fine HTTP/1.1\r\nHost: test\r\n\r\n"
                    + "GET /say?broken HTTP/1.1\r\nHost : test\r\n\r\n"
                    + "GET /say?never HTTP/1.1\r\nHost: test\r\n\r\n");
            assertEquals("fine\n", client.read().bodyText());
            RawResponse refused = client.read();
            assertEquals(400, refused.status());
            assertTrue(refused.hasToken("Connection", "close"));
            client.assertClosedByServer();
        }
    }

    @Test
    void servesManySequentialRequestsOnOneConnection() throws IOException {
        try (RawClient client = server.connect()) {
            for (int i = 0; i < 20; i++) {
                RawResponse response = client.send("GET /say?n" + i + " HTTP/1.1\r\nHost: test\r\n\r\n").read();
                assertEquals("n" + i + "\n", response.bodyText());
            }
        }
    }

    @Test
    void closesAfterRequestWithConnectionClose() throws IOException {
        try (RawClient client = server.connect()) {
            // The second request must never be answered: the first one ended the connection.
            client.send("GET /say?last HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
                    + "GET /say?ignored HTTP/1.1\r\nHost: test\r\n\r\n");
            RawResponse response = client.read();
            assertEquals("last\n", response.bodyText());
            assertTrue(response.hasToken("Connection", "close"));
            client.assertClosedByServer();
        }
    }

    @Test
    void honoursCloseAmongOtherConnectionOptions() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /hello HTTP/1.1\r\nHost: test\r\nConnection: x-foo, Close\r\n\r\n")
                    .read();
            assertTrue(response.hasToken("Connection", "close"));
            client.assertClosedByServer();
        }
    }

    @Test
    void closesHttp10RequestWithoutKeepAlive() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertEquals(200, response.status());
            assertEquals("hello\n", response.bodyText());
            assertTrue(response.hasToken("Connection", "close"));
            client.assertClosedByServer();
        }
    }

    @Test
    void keepsHttp10RequestWithKeepAliveOpen() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse first = client.send("GET /say?first HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("first\n", first.bodyText());
            assertTrue(first.hasToken("Connection", "keep-alive"), first::toString);
            assertEquals("length", first.framing());
            RawResponse second = client.send("GET /say?second HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals("second\n", second.bodyText());
        }
    }

    @Test
    void sendsCloseDelimitedBodyToHttp10ForUnknownLength() throws IOException {
        try (RawClient client = server.connect()) {
            // Even with keep-alive asked for: HTTP/1.0 has no chunked coding, so only the close ends the body.
            RawResponse response = client.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertEquals(200, response.status());
            assertEquals("close", response.framing(), response::toString);
            assertFalse(response.has("Content-Length"));
            assertFalse(response.has("Transfer-Encoding"));
            assertTrue(response.hasToken("Connection", "close"));
            assertEquals(String.join("", TestServer.STREAM_PIECES), response.bodyText());
        }
    }
}
