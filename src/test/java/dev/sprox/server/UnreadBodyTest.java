package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A body the handler never read must still be skipped by its framing, or its bytes would be parsed as the next
 * request. The bodies here are made of request lines, so any mistake shows up as a smuggled answer.
 */
class UnreadBodyTest {
    private static final String SMUGGLED = "GET /say?smuggled HTTP/1.1\r\nHost: test\r\n\r\n";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String smuggledBody(int atLeast) {
        return SMUGGLED.repeat(atLeast / SMUGGLED.length() + 1);
    }

    @Test
    void discardsSmallUnreadBodyAndAnswersPipelinedRequest() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: test\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n"
                    + SMUGGLED + "GET /say?real HTTP/1.1\r\nHost: test\r\n\r\n");
            RawResponse ignored = client.read();
            assertEquals("ignored\n", ignored.bodyText());
            assertFalse(ignored.hasToken("Connection", "close"));
            assertEquals("real\n", client.read().bodyText());
        }
    }

    @Test
    void discardsUnreadChunkedBodyAndAnswersPipelinedRequest() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n"
                    + "GET /say?real HTTP/1.1\r\nHost: test\r\n\r\n");
            assertEquals("ignored\n", client.read().bodyText());
            assertEquals("real\n", client.read().bodyText());
        }
    }

    @Test
    void keepsConnectionWhenUnreadBodyIsExactly64KiB() throws IOException {
        String body = smuggledBody(64 * 1024).substring(0, 64 * 1024);
        try (RawClient client = server.connect()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                    + "GET /say?real HTTP/1.1\r\nHost: test\r\n\r\n");
            assertEquals("ignored\n", client.read().bodyText());
            assertEquals("real\n", client.read().bodyText());
        }
    }

    @Test
    void closesAfterRespondingWhenUnreadBodyExceeds64KiB() throws Exception {
        String body = smuggledBody(100 * 1024);
        try (RawClient client = server.connect()) {
            var writer = Thread.ofVirtual().start(() -> {
                try {
                    client.send("POST /ignore HTTP/1.1\r\nHost: test\r\nContent-Length: " + body.length() + "\r\n\r\n"
                            + body);
                } catch (IOException closedEarly) {
                    // The server stops reading once it decides to close; that may cut our write short.
                }
            });
            RawResponse response = client.read();
            assertEquals(200, response.status());
            assertEquals("ignored\n", response.bodyText());
            assertTrue(response.hasToken("Connection", "close"), response::toString);
            // Nothing after: the rest of the body was not taken for requests.
            client.assertClosedByServer();
            writer.join();
        }
        server.assertStillServes();
    }
}
