package dev.sprox.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Statuses for requests that parse but cannot be served: unknown path, wrong method, unsupported version. */
class RoutingStatusTest {
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
    void answersUnknownPathWith404AndKeepsConnection() throws IOException {
        try (RawClient client = server.connect()) {
            RawResponse response = client.send("GET /no/such/path HTTP/1.1\r\nHost: test\r\n\r\n").read();
            assertEquals(404, response.status());
            // The request was well framed, so nothing stops the connection from serving the next one.
            assertFalse(response.hasToken("Connection", "close"));
            assertEquals("next\n", client.send("GET /say?next HTTP/1.1\r\nHost: test\r\n\r\n").read().bodyText());
        }
    }

    @Test
    void answersWrongMethodWith405AndAllow() throws IOException {
        RawResponse response = server.exchange("DELETE /hello HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(405, response.status());
        assertEquals("GET, HEAD", response.header("Allow").orElse(null));
    }

    @Test
    void listsEveryDeclaredMethodInAllow() throws IOException {
        RawResponse response = server.exchange("DELETE /echo HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(405, response.status());
        assertEquals("GET, HEAD, POST, PUT", response.header("Allow").orElse(null));
    }

    @Test
    void discardsBodyOfRequestAnswered405AndServesNext() throws IOException {
        try (RawClient client = server.connect()) {
            client.send("POST /hello HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"
                    + "GET /say?next HTTP/1.1\r\nHost: test\r\n\r\n");
            RawResponse refused = client.read();
            assertEquals(405, refused.status());
            assertEquals("GET, HEAD", refused.header("Allow").orElse(null));
            assertEquals("next\n", client.read().bodyText());
        }
    }

    @Test
    void refusesHttp2VersionWith505() throws IOException {
        server.assertRefused("GET /hello HTTP/2.0\r\nHost: test\r\n\r\n", 505);
    }

    @Test
    void refusesHttp3VersionWith505() throws IOException {
        server.assertRefused("GET /hello HTTP/3.0\r\nHost: test\r\n\r\n", 505);
    }

    @Test
    void refusesMalformedVersionNumberWith400() throws IOException {
        server.assertRefused("GET /hello HTTP/1.10\r\nHost: test\r\n\r\n", 400);
    }

    @Test
    void refusesUnsupportedTransferCodingWith501() throws IOException {
        server.assertRefused("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                501);
    }
}
